namespace Watershed.Indicators.Domain;

/// <summary>Which way an indicator improves. The proto enum's twin (same names and numbers, no zero).</summary>
public enum Direction
{
    HigherIsBetter = 1,
    LowerIsBetter = 2,
}

/// <summary>A category households fall into, ordered from best (rank 1) to worst.</summary>
public sealed record IndicatorCategory(string Code, string Label, int Rank);

/// <summary>What an indicator is: the facts a report needs besides the numbers.</summary>
public sealed record IndicatorInfo(
    string Code,
    string Name,
    string Unit,
    Direction Direction,
    IReadOnlyList<IndicatorCategory> Categories)
{
    public bool HasCategory(string code) => Categories.Any(c => c.Code == code);
}
