namespace Watershed.Indicators.Tests.Api;

/// <summary>Households with hand-computed FCS (weights 2, 3, 1, 1, 4, 4, 0.5, 0.5, 0).</summary>
public static class Households
{
    /// <summary>7×2 = 14: poor.</summary>
    public static FcsHousehold Poor(string id, string community, string date, string? weight = null) =>
        new(id, community, $"hh-{id}", date, [7, 0, 0, 0, 0, 0, 0, 0, 0], weight);

    /// <summary>14 + 6 + 3 + 1 + 4 + 4 + 3.5 + 3.5 = 39: acceptable.</summary>
    public static FcsHousehold Acceptable39(string id, string community, string date, string? weight = null) =>
        new(id, community, $"hh-{id}", date, [7, 2, 3, 1, 1, 1, 7, 7, 7], weight);

    /// <summary>14 + 3 + 2 + 0 + 4 + 0 + 2 + 2 = 27: borderline.</summary>
    public static FcsHousehold Borderline27(string id, string community, string date, string? weight = null) =>
        new(id, community, $"hh-{id}", date, [7, 1, 2, 0, 1, 0, 4, 4, 7], weight);

    /// <summary>14 + 9 + 4 + 2 + 8 + 8 + 3.5 + 3.5 = 52: acceptable.</summary>
    public static FcsHousehold Acceptable52(string id, string community, string date, string? weight = null) =>
        new(id, community, $"hh-{id}", date, [7, 3, 4, 2, 2, 2, 7, 7, 7], weight);

    /// <summary>The baseline of most tests: Manzanares 14, 39, 27 (mean 80/3) and Conchacalla 52, in November 2025.</summary>
    public static FcsHousehold[] Baseline() =>
    [
        Poor("b-1", "manzanares", "2025-11-03"),
        Acceptable39("b-2", "manzanares", "2025-11-03"),
        Borderline27("b-3", "manzanares", "2025-11-04"),
        Acceptable52("b-4", "conchacalla", "2025-11-05"),
    ];
}
