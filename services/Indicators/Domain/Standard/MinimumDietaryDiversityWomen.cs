using Watershed.ServiceDefaults.Errors;
using M = Watershed.Indicators.Domain.AnswerFields.Mddw;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>The respondent woman's age in years and whether she ate from each of the 10 groups in the previous 24 hours.</summary>
public sealed record MddwAnswers
{
    public int? Age { get; init; }
    public bool? GrainsRoots { get; init; }
    public bool? Pulses { get; init; }
    public bool? NutsSeeds { get; init; }
    public bool? Dairy { get; init; }
    public bool? MeatFish { get; init; }
    public bool? Eggs { get; init; }
    public bool? DarkGreenLeafy { get; init; }
    public bool? VitaminAFruitVegetables { get; init; }
    public bool? OtherVegetables { get; init; }
    public bool? OtherFruits { get; init; }

    public static MddwAnswers Read(AnswerReader r) => new()
    {
        Age = r.WholeNumber(M.Age),
        GrainsRoots = r.YesNo(M.GrainsRoots),
        Pulses = r.YesNo(M.Pulses),
        NutsSeeds = r.YesNo(M.NutsSeeds),
        Dairy = r.YesNo(M.Dairy),
        MeatFish = r.YesNo(M.MeatFish),
        Eggs = r.YesNo(M.Eggs),
        DarkGreenLeafy = r.YesNo(M.DarkGreenLeafy),
        VitaminAFruitVegetables = r.YesNo(M.VitaminAFruitVegetables),
        OtherVegetables = r.YesNo(M.OtherVegetables),
        OtherFruits = r.YesNo(M.OtherFruits),
    };

    internal (string Field, bool? Eaten)[] Groups() =>
    [
        (M.GrainsRoots, GrainsRoots), (M.Pulses, Pulses), (M.NutsSeeds, NutsSeeds), (M.Dairy, Dairy),
        (M.MeatFish, MeatFish), (M.Eggs, Eggs), (M.DarkGreenLeafy, DarkGreenLeafy),
        (M.VitaminAFruitVegetables, VitaminAFruitVegetables), (M.OtherVegetables, OtherVegetables), (M.OtherFruits, OtherFruits),
    ];
}

/// <summary>Number of groups (0–10) and whether the minimum of 5 is reached.</summary>
public sealed record MddwScore(int Groups, bool Achieved);

/// <summary>Minimum Dietary Diversity for Women (indicators.md, MDD-W; FAO &amp; FHI 360 2016). Report the share achieving it.</summary>
public static class MinimumDietaryDiversityWomen
{
    public const int MinimumGroups = 5;

    public static IndicatorInfo Info { get; } = new(
        "MDDW",
        "Minimum Dietary Diversity for Women",
        "food groups (0–10)",
        Direction.HigherIsBetter,
        [
            new IndicatorCategory("achieved", "Minimum dietary diversity achieved (≥ 5 groups)", 1),
            new IndicatorCategory("not_achieved", "Below minimum dietary diversity (< 5 groups)", 2),
        ]);

    public static ScoreResult<MddwScore> Score(MddwAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var errors = new List<FieldViolation>();
        var missing = new List<string>();
        ItemChecks.Answered(M.Age, answers.Age, missing);
        // The indicator is defined for women of reproductive age only (FAO & FHI 360, 2016).
        if (answers.Age is < 15 or > 49)
        {
            errors.Add(new FieldViolation(M.Age, "must be 15–49 years: MDD-W covers women of reproductive age"));
        }

        var groups = answers.Groups();
        foreach (var (field, eaten) in groups)
        {
            ItemChecks.Answered(field, eaten, missing);
        }

        return ScoreResult<MddwScore>.From(errors, missing, () =>
        {
            var count = ItemChecks.CountYes(groups.Select(g => g.Eaten));
            return new MddwScore(count, count >= MinimumGroups);
        });
    }
}
