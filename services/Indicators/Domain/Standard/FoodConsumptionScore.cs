using Watershed.ServiceDefaults.Errors;
using F = Watershed.Indicators.Domain.AnswerFields.Fcs;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>Which FCS cut-offs a survey uses (indicators.md, FCS): the survey states it. The proto enum's twin.</summary>
public enum FcsCutoffs
{
    /// <summary>Poor ≤ 21, borderline 21.5–35, acceptable &gt; 35.</summary>
    Standard2135 = 1,

    /// <summary>Poor ≤ 28, borderline 28.5–42, acceptable &gt; 42: where sugar and oil are eaten nearly daily.</summary>
    Alternative2842 = 2,
}

public enum FcsCategory
{
    Acceptable = 1,
    Borderline = 2,
    Poor = 3,
}

/// <summary>FCS-N frequency classes (WFP FCS-N): 0 never, 1–6 sometimes, 7+ at least daily. The proto enum's twin (same names and numbers, no zero).</summary>
public enum NutrientFrequency
{
    Never = 1,
    Sometimes = 2,
    AtLeastDaily = 3,
}

/// <summary>
/// Days (0–7) in the past 7 days per food group. A form asks either the main group or its sub-groups:
/// a main group given wins (its sub-groups, if also given, only feed FCS-N and may not exceed it);
/// otherwise the group is the sum of ALL its sub-groups, capped at 7, and missing if any sub-group is.
/// </summary>
public sealed record FcsAnswers
{
    public int? Staples { get; init; }
    public int? Cereals { get; init; }
    public int? Tubers { get; init; }
    public int? Pulses { get; init; }
    public int? Vegetables { get; init; }
    public int? OrangeVegetables { get; init; }
    public int? GreenLeafy { get; init; }
    public int? OtherVegetables { get; init; }
    public int? Fruit { get; init; }
    public int? OrangeFruit { get; init; }
    public int? OtherFruit { get; init; }
    public int? MeatFishEggs { get; init; }
    public int? FleshMeat { get; init; }
    public int? OrganMeat { get; init; }
    public int? Fish { get; init; }
    public int? Eggs { get; init; }
    public int? Dairy { get; init; }
    public int? Sugar { get; init; }
    public int? Oil { get; init; }
    public int? Condiments { get; init; }

    public static FcsAnswers Read(AnswerReader r) => new()
    {
        Staples = r.WholeNumber(F.Staples),
        Cereals = r.WholeNumber(F.Cereals),
        Tubers = r.WholeNumber(F.Tubers),
        Pulses = r.WholeNumber(F.Pulses),
        Vegetables = r.WholeNumber(F.Vegetables),
        OrangeVegetables = r.WholeNumber(F.OrangeVegetables),
        GreenLeafy = r.WholeNumber(F.GreenLeafy),
        OtherVegetables = r.WholeNumber(F.OtherVegetables),
        Fruit = r.WholeNumber(F.Fruit),
        OrangeFruit = r.WholeNumber(F.OrangeFruit),
        OtherFruit = r.WholeNumber(F.OtherFruit),
        MeatFishEggs = r.WholeNumber(F.MeatFishEggs),
        FleshMeat = r.WholeNumber(F.FleshMeat),
        OrganMeat = r.WholeNumber(F.OrganMeat),
        Fish = r.WholeNumber(F.Fish),
        Eggs = r.WholeNumber(F.Eggs),
        Dairy = r.WholeNumber(F.Dairy),
        Sugar = r.WholeNumber(F.Sugar),
        Oil = r.WholeNumber(F.Oil),
        Condiments = r.WholeNumber(F.Condiments),
    };
}

/// <summary>FCS-N sums (null where a sub-group they need was not asked) and their frequency classes.</summary>
public sealed record FcsNutrients(int? VitaminA, int? Protein, int? HaemIron)
{
    public NutrientFrequency? VitaminAFrequency => Classify(VitaminA);
    public NutrientFrequency? ProteinFrequency => Classify(Protein);
    public NutrientFrequency? HaemIronFrequency => Classify(HaemIron);

    public static NutrientFrequency? Classify(int? days) => days switch
    {
        null => null,
        0 => NutrientFrequency.Never,
        < 7 => NutrientFrequency.Sometimes,
        _ => NutrientFrequency.AtLeastDaily,
    };
}

/// <summary>FCS value (a multiple of 0.5, 0–112), its category, WFP's data-quality flag and FCS-N.</summary>
public sealed record FcsScore(decimal Value, FcsCategory Category, bool QualityFlag, FcsNutrients Nutrients);

/// <summary>Food Consumption Score, WFP (indicators.md, FCS).</summary>
public static class FoodConsumptionScore
{
    public static IndicatorInfo Info { get; } = new(
        "FCS",
        "Food Consumption Score",
        "score (0–112)",
        Direction.HigherIsBetter,
        [
            new IndicatorCategory("acceptable", "Acceptable", 1),
            new IndicatorCategory("borderline", "Borderline", 2),
            new IndicatorCategory("poor", "Poor", 3),
        ]);

    private sealed record Group(string Field, decimal Weight, Func<FcsAnswers, int?> Main, (string Field, Func<FcsAnswers, int?> Days)[] SubGroups);

    // Weights 2, 3, 1, 1, 4, 4, 0.5, 0.5, 0 (indicators.md, FCS; WFP technical guidance 2008).
    private static readonly Group[] Groups =
    [
        new(F.Staples, 2m, a => a.Staples, [(F.Cereals, a => a.Cereals), (F.Tubers, a => a.Tubers)]),
        new(F.Pulses, 3m, a => a.Pulses, []),
        new(F.Vegetables, 1m, a => a.Vegetables,
            [(F.OrangeVegetables, a => a.OrangeVegetables), (F.GreenLeafy, a => a.GreenLeafy), (F.OtherVegetables, a => a.OtherVegetables)]),
        new(F.Fruit, 1m, a => a.Fruit, [(F.OrangeFruit, a => a.OrangeFruit), (F.OtherFruit, a => a.OtherFruit)]),
        new(F.MeatFishEggs, 4m, a => a.MeatFishEggs,
            [(F.FleshMeat, a => a.FleshMeat), (F.OrganMeat, a => a.OrganMeat), (F.Fish, a => a.Fish), (F.Eggs, a => a.Eggs)]),
        new(F.Dairy, 4m, a => a.Dairy, []),
        new(F.Sugar, 0.5m, a => a.Sugar, []),
        new(F.Oil, 0.5m, a => a.Oil, []),
        new(F.Condiments, 0m, a => a.Condiments, []),
    ];

    public static ScoreResult<FcsScore> Score(FcsAnswers answers, FcsCutoffs cutoffs)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var errors = new List<FieldViolation>();
        var missing = new List<string>();
        var total = 0m;

        foreach (var group in Groups)
        {
            var main = group.Main(answers);
            CheckDays(group.Field, main, errors);
            foreach (var (field, days) in group.SubGroups)
            {
                var sub = days(answers);
                CheckDays(field, sub, errors);
                if (main is not null && sub > main)
                {
                    errors.Add(new FieldViolation(field, $"must not exceed {group.Field} ({main} days)"));
                }
            }

            var groupDays = main ?? SumOfSubGroups(group, answers, missing);
            total += group.Weight * (groupDays ?? 0);
        }

        return ScoreResult<FcsScore>.From(errors, missing, () => new FcsScore(
            total,
            Categorize(total, cutoffs),
            total < 14m || total > 100m,
            Nutrients(answers)));
    }

    public static FcsCategory Categorize(decimal fcs, FcsCutoffs cutoffs)
    {
        var (poorUpTo, borderlineUpTo) = cutoffs switch
        {
            FcsCutoffs.Standard2135 => (21m, 35m),
            FcsCutoffs.Alternative2842 => (28m, 42m),
            _ => throw new ArgumentOutOfRangeException(nameof(cutoffs), cutoffs, null),
        };
        return fcs <= poorUpTo ? FcsCategory.Poor : fcs <= borderlineUpTo ? FcsCategory.Borderline : FcsCategory.Acceptable;
    }

    public static string CategoryCode(FcsCategory category) => category.ToString().ToLowerInvariant();

    private static int? SumOfSubGroups(Group group, FcsAnswers answers, List<string> missing)
    {
        if (group.SubGroups.Length == 0 || group.SubGroups.All(s => s.Days(answers) is null))
        {
            missing.Add(group.Field);
            return null;
        }

        var unanswered = group.SubGroups.Where(s => s.Days(answers) is null).Select(s => s.Field).ToList();
        if (unanswered.Count > 0)
        {
            missing.AddRange(unanswered);
            return null;
        }

        return Math.Min(7, group.SubGroups.Sum(s => s.Days(answers)!.Value));
    }

    private static void CheckDays(string field, int? days, List<FieldViolation> errors)
    {
        if (days is < 0 or > 7)
        {
            errors.Add(new FieldViolation(field, "must be 0–7 days"));
        }
    }

    /// <summary>
    /// FCS-N sums (WFP FCS-N guidelines); dairy and pulses come from their main groups. A sub-group left unanswered under
    /// a main group eaten on 0 days is 0: forms skip the sub-groups then, and WFP's script recodes them to 0.
    /// </summary>
    private static FcsNutrients Nutrients(FcsAnswers a)
    {
        var (fleshMeat, organMeat, fish, eggs) = (Sub(a.FleshMeat, a.MeatFishEggs), Sub(a.OrganMeat, a.MeatFishEggs), Sub(a.Fish, a.MeatFishEggs), Sub(a.Eggs, a.MeatFishEggs));
        var (orangeVegetables, greenLeafy, orangeFruit) = (Sub(a.OrangeVegetables, a.Vegetables), Sub(a.GreenLeafy, a.Vegetables), Sub(a.OrangeFruit, a.Fruit));
        return new(
            Sum(a.Dairy, organMeat, eggs, orangeVegetables, greenLeafy, orangeFruit),
            Sum(a.Pulses, a.Dairy, fleshMeat, organMeat, fish, eggs),
            Sum(fleshMeat, organMeat, fish));

        static int? Sub(int? subGroup, int? mainGroup) => subGroup ?? (mainGroup == 0 ? 0 : null);
    }

    private static int? Sum(params int?[] days) => days.Any(d => d is null) ? null : days.Sum(d => d!.Value);
}
