namespace Watershed.Indicators.Domain;

/// <summary>The proto enum's twin (same names and numbers, no zero).</summary>
public enum ComparisonOperator
{
    LessThan = 1,
    LessThanOrEqual = 2,
    GreaterThan = 3,
    GreaterThanOrEqual = 4,
    Equal = 5,
    NotEqual = 6,
}

/// <summary>"value &lt;operator&gt; threshold", e.g. "≥ 30": used by custom share indicators and by alert rules.</summary>
public sealed record Condition(ComparisonOperator Operator, decimal Threshold)
{
    public bool IsMetBy(decimal value) => Operator switch
    {
        ComparisonOperator.LessThan => value < Threshold,
        ComparisonOperator.LessThanOrEqual => value <= Threshold,
        ComparisonOperator.GreaterThan => value > Threshold,
        ComparisonOperator.GreaterThanOrEqual => value >= Threshold,
        ComparisonOperator.Equal => value == Threshold,
        ComparisonOperator.NotEqual => value != Threshold,
        _ => throw new InvalidOperationException($"Unknown operator {Operator}."),
    };
}
