namespace Watershed.Indicators.Domain;

public enum Direction
{
    HigherIsBetter,
    LowerIsBetter,
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
