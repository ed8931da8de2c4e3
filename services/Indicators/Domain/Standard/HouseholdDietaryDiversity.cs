using H = Watershed.Indicators.Domain.AnswerFields.Hdds;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>Whether the household ate from each of the 12 groups in the previous 24 hours.</summary>
public sealed record HddsAnswers
{
    public bool? Cereals { get; init; }
    public bool? RootsTubers { get; init; }
    public bool? Vegetables { get; init; }
    public bool? Fruits { get; init; }
    public bool? Meat { get; init; }
    public bool? Eggs { get; init; }
    public bool? Fish { get; init; }
    public bool? Legumes { get; init; }
    public bool? Dairy { get; init; }
    public bool? Oils { get; init; }
    public bool? Sweets { get; init; }
    public bool? Condiments { get; init; }

    public static HddsAnswers Read(AnswerReader r) => new()
    {
        Cereals = r.YesNo(H.Cereals),
        RootsTubers = r.YesNo(H.RootsTubers),
        Vegetables = r.YesNo(H.Vegetables),
        Fruits = r.YesNo(H.Fruits),
        Meat = r.YesNo(H.Meat),
        Eggs = r.YesNo(H.Eggs),
        Fish = r.YesNo(H.Fish),
        Legumes = r.YesNo(H.Legumes),
        Dairy = r.YesNo(H.Dairy),
        Oils = r.YesNo(H.Oils),
        Sweets = r.YesNo(H.Sweets),
        Condiments = r.YesNo(H.Condiments),
    };

    internal (string Field, bool? Eaten)[] Items() =>
    [
        (H.Cereals, Cereals), (H.RootsTubers, RootsTubers), (H.Vegetables, Vegetables), (H.Fruits, Fruits),
        (H.Meat, Meat), (H.Eggs, Eggs), (H.Fish, Fish), (H.Legumes, Legumes),
        (H.Dairy, Dairy), (H.Oils, Oils), (H.Sweets, Sweets), (H.Condiments, Condiments),
    ];
}

/// <summary>HDDS 0–12 and the IPC phase band WFP's scripts map it to.</summary>
public sealed record HddsScore(int Value, string PhaseBand);

/// <summary>Household Dietary Diversity Score (indicators.md, HDDS; FANTA 2006). No universal cut-off: report the mean.</summary>
public static class HouseholdDietaryDiversity
{
    public static IndicatorInfo Info { get; } = new(
        "HDDS",
        "Household Dietary Diversity Score",
        "food groups (0–12)",
        Direction.HigherIsBetter,
        [
            new IndicatorCategory("ipc_1_2", "5–12 groups (IPC phase 1–2)", 1),
            new IndicatorCategory("ipc_3", "3–4 groups (IPC phase 3)", 2),
            new IndicatorCategory("ipc_4_5", "0–2 groups (IPC phase 4–5)", 3),
        ]);

    public static ScoreResult<HddsScore> Score(HddsAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var items = answers.Items();
        var missing = new List<string>();
        foreach (var (field, eaten) in items)
        {
            ItemChecks.Answered(field, eaten, missing);
        }

        return ScoreResult<HddsScore>.From([], missing, () =>
        {
            var value = ItemChecks.CountYes(items.Select(i => i.Eaten));
            return new HddsScore(value, PhaseBand(value));
        });
    }

    /// <summary>0–2 → IPC 4–5, 3–4 → IPC 3, 5–12 → IPC 1–2 (WFP's scripts, indicators.md HDDS).</summary>
    public static string PhaseBand(int hdds) => hdds switch
    {
        <= 2 => "ipc_4_5",
        <= 4 => "ipc_3",
        _ => "ipc_1_2",
    };
}
