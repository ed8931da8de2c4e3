namespace Watershed.Indicators.Domain;

public enum ComparisonOperator
{
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    Equal,
    NotEqual,
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
