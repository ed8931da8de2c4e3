using System.Globalization;
using Watershed.ServiceDefaults.Errors;
using AnswerFes = Watershed.Indicators.Domain.AnswerFields.Fes;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>Answer to a livelihood coping strategy question (WFP LCS module; codes 10, 20, 30, 9999).</summary>
public enum CopingAnswer
{
    NoNotNeeded = 10,
    NoExhausted = 20,
    Yes = 30,
    NotApplicable = 9999,
}

/// <summary>One strategy's canonical field and its answer; null when unanswered.</summary>
public sealed record CopingChoice(string Field, CopingAnswer? Answer);

/// <summary>The round's strategies with their answers: 4 stress, 3 crisis, 3 emergency (<see cref="LcsStrategies"/>).</summary>
public sealed record LcsAnswers(IReadOnlyList<CopingChoice> Stress, IReadOnlyList<CopingChoice> Crisis, IReadOnlyList<CopingChoice> Emergency)
{
    /// <summary>
    /// Reads each strategy as WFP's module codes it (10, 20, 30, 9999) or by the codes' names. A skipped question ("n/a")
    /// and a non-standard "not applicable" code (999, as some forms write it) count as not applicable: WFP's script counts
    /// a strategy only when it is 20 or 30, whatever else the cell holds.
    /// </summary>
    public static LcsAnswers Read(AnswerReader r, LcsStrategies strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        return new([.. strategies.Stress.Select(f => ReadOne(r, f))], [.. strategies.Crisis.Select(f => ReadOne(r, f))], [.. strategies.Emergency.Select(f => ReadOne(r, f))]);
    }

    private static CopingChoice ReadOne(AnswerReader r, string field)
    {
        if (r.IsSkipped(field))
        {
            return new CopingChoice(field, CopingAnswer.NotApplicable);
        }

        var text = r.Text(field);
        CopingAnswer? answer = text?.ToUpperInvariant() switch
        {
            null => null,
            "10" or "NO_NOT_NEEDED" => CopingAnswer.NoNotNeeded,
            "20" or "NO_EXHAUSTED" => CopingAnswer.NoExhausted,
            "30" or "YES" => CopingAnswer.Yes,
            "9999" or "999" or "NOT_APPLICABLE" => CopingAnswer.NotApplicable,
            _ => null,
        };
        if (text is not null && answer is null)
        {
            r.Reject(field, $"'{TextRules.Echo(text)}' is not no_not_needed/no_exhausted/yes/not_applicable (10/20/30/9999)");
        }

        return new CopingChoice(field, answer);
    }
}

/// <summary>An expenditure item: its canonical field (e.g. "fes.food_7d.cereals_purchased") and amount.</summary>
public sealed record ExpenseItem(string Field, decimal Amount);

/// <summary>
/// Expenditure for the food expenditure share. Food items are values over the past 7 days (or 30 days, where a country
/// asks so), whether purchased in cash or on credit, or the estimated value of own production and gifts (each its own
/// item); non-food items are values over the past 30 days or the past 6 months.
/// </summary>
public sealed record FesAnswers(
    IReadOnlyList<ExpenseItem> Food7Days,
    IReadOnlyList<ExpenseItem> Food30Days,
    IReadOnlyList<ExpenseItem> NonFood30Days,
    IReadOnlyList<ExpenseItem> NonFood6Months)
{
    /// <summary>
    /// Every item the form asked, a blank or skipped ("n/a") cell as 0, as WFP's expenditure script does: a household
    /// leaves an item blank when it spent nothing on it.
    /// </summary>
    public static FesAnswers Read(AnswerReader r) => new(
        Items(r, AnswerFes.Food7DaysPrefix), Items(r, AnswerFes.Food30DaysPrefix), Items(r, AnswerFes.NonFood30DaysPrefix), Items(r, AnswerFes.NonFood6MonthsPrefix));

    private static ExpenseItem[] Items(AnswerReader r, string prefix) => [.. r.FieldsStartingWith(prefix).Select(f => new ExpenseItem(f, r.Number(f) ?? 0m))];
}

public sealed record FesScore(decimal Share, int Class);

/// <summary>Livelihood coping class: 1 none, 2 stress, 3 crisis, 4 emergency.</summary>
public sealed record LcsScore(int Class);

/// <summary>CARI's three parts and the result: class 1 food secure … 4 severely food insecure.</summary>
public sealed record CariScore(int CurrentStatus, int LivelihoodCoping, FesScore FoodExpenditure, decimal Unrounded, int Class);

/// <summary>
/// A household's CARI parts, each known on its own: current status 1–4 (from FCS and rCSI), the highest livelihood coping
/// level 1–4, the food expenditure share and its class. A part is null when an answer it needs is missing.
/// </summary>
public sealed record CariParts(int? CurrentStatus, int? LivelihoodCoping, FesScore? FoodExpenditure);

public sealed record CariAnswers(FcsAnswers Fcs, RcsiAnswers Rcsi, LcsAnswers Lcs, FesAnswers Fes);

/// <summary>
/// WFP's Consolidated Approach for Reporting Indicators of Food Security, CARI-FES variant
/// (indicators.md, CARI; WFP-VAM/RAMResourcesScripts Indicators/CARI). Every part is required:
/// a missing FCS, rCSI, coping answer or expenditure item makes CARI missing.
/// </summary>
public static class Cari
{
    public static IndicatorInfo Info { get; } = new(
        "CARI",
        "CARI food security index (FES)",
        "class (1–4)",
        Direction.LowerIsBetter,
        [
            new IndicatorCategory("food_secure", "Food secure", 1),
            new IndicatorCategory("marginally_food_secure", "Marginally food secure", 2),
            new IndicatorCategory("moderately_food_insecure", "Moderately food insecure", 3),
            new IndicatorCategory("severely_food_insecure", "Severely food insecure", 4),
        ]);

    public static string CategoryCode(int cariClass) => Info.Categories[cariClass - 1].Code;

    public static ScoreResult<CariScore> Score(CariAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        // CARI always uses the 21/35 cut-offs, whatever the survey reports FCS with.
        var fcs = FoodConsumptionScore.Score(answers.Fcs, FcsCutoffs.Standard2135);
        var rcsi = ReducedCopingStrategiesIndex.Score(answers.Rcsi);
        var lcs = LivelihoodCoping(answers.Lcs);
        var fes = FoodExpenditureShare(answers.Fes);

        var errors = new List<FieldViolation>([.. fcs.Errors, .. rcsi.Errors, .. lcs.Errors, .. fes.Errors]);
        var missing = new List<string>([.. fcs.MissingFields, .. rcsi.MissingFields, .. lcs.MissingFields, .. fes.MissingFields]);
        return ScoreResult<CariScore>.From(errors, missing, () =>
        {
            var cs = CurrentStatus(fcs.Value!.Category, rcsi.Value!.Value);
            var unrounded = (cs + (lcs.Value!.Class + fes.Value!.Class) / 2m) / 2m;
            return new CariScore(cs, lcs.Value.Class, fes.Value, unrounded, Combine(cs, lcs.Value.Class, fes.Value.Class));
        });
    }

    /// <summary>Each part of CARI that the household's answers give, whether or not CARI itself can be computed.</summary>
    public static CariParts Parts(CariAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var fcs = FoodConsumptionScore.Score(answers.Fcs, FcsCutoffs.Standard2135).Value;
        var rcsi = ReducedCopingStrategiesIndex.Score(answers.Rcsi).Value;
        return new CariParts(
            fcs is not null && rcsi is not null ? CurrentStatus(fcs.Category, rcsi.Value) : null,
            LivelihoodCoping(answers.Lcs).Value?.Class,
            FoodExpenditureShare(answers.Fes).Value);
    }

    /// <summary>Acceptable FCS 1, or 2 with rCSI ≥ 4; borderline 3; poor 4.</summary>
    public static int CurrentStatus(FcsCategory category21And35, int rcsi) => category21And35 switch
    {
        FcsCategory.Acceptable => rcsi >= 4 ? 2 : 1,
        FcsCategory.Borderline => 3,
        _ => 4,
    };

    /// <summary>
    /// 1 none, 2 stress, 3 crisis, 4 emergency: the most severe group with a strategy answered yes or
    /// "no, already exhausted" (the household could no longer use it because it had already done so).
    /// </summary>
    public static ScoreResult<LcsScore> LivelihoodCoping(LcsAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        (IReadOnlyList<CopingChoice> Choices, int Count, int Class)[] groups =
        [
            (answers.Stress, LcsStrategies.StressCount, 2),
            (answers.Crisis, LcsStrategies.CrisisCount, 3),
            (answers.Emergency, LcsStrategies.EmergencyCount, 4),
        ];
        if (groups.Any(g => g.Choices.Count != g.Count))
        {
            throw new ArgumentException("LCS needs 4 stress, 3 crisis and 3 emergency strategies.", nameof(answers));
        }

        var missing = groups.SelectMany(g => g.Choices).Where(c => c.Answer is null).Select(c => c.Field).ToList();
        return ScoreResult<LcsScore>.From([], missing, () => new LcsScore(groups
            .Where(g => g.Choices.Any(c => c.Answer is CopingAnswer.Yes or CopingAnswer.NoExhausted))
            .Select(g => g.Class)
            .DefaultIfEmpty(1)
            .Max()));
    }

    /// <summary>
    /// FES = food / (food + non-food), monthly: food = 7-day values × 30/7 + 30-day values; non-food = 30-day values +
    /// 6-month values / 6. Both sides are multiplied by 42 so the classes come from exact decimal comparisons. A form that
    /// asks no food item, or no non-food item, leaves the share missing; so does a household whose every item is 0 (the
    /// share is 0 / 0, as in WFP's script).
    /// </summary>
    public static ScoreResult<FesScore> FoodExpenditureShare(FesAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var errors = new List<FieldViolation>();
        var missing = new List<string>();
        var food7 = Total(answers.Food7Days, errors);
        var food30 = Total(answers.Food30Days, errors);
        var nonFood30 = Total(answers.NonFood30Days, errors);
        var nonFood6 = Total(answers.NonFood6Months, errors);
        if (answers.Food7Days.Count == 0 && answers.Food30Days.Count == 0)
        {
            missing.Add(AnswerFes.Food7DaysPrefix + "*");
        }

        if (answers.NonFood30Days.Count == 0 && answers.NonFood6Months.Count == 0)
        {
            missing.Add(AnswerFes.NonFood30DaysPrefix + "*");
        }

        if (errors.Count == 0 && missing.Count == 0 && food7 + food30 + nonFood30 + nonFood6 == 0m)
        {
            missing.Add(AllExpenditure);
        }

        return ScoreResult<FesScore>.From(errors, missing, () =>
        {
            var foodMonthly42 = food7 * 180m + food30 * 42m;
            var total42 = foodMonthly42 + nonFood30 * 42m + nonFood6 * 7m;
            return new FesScore(foodMonthly42 / total42, ShareClass(foodMonthly42, total42));
        });
    }

    /// <summary>The missing field a household whose every expenditure item is 0 is reported with.</summary>
    public const string AllExpenditure = "fes.*";

    /// <summary>FES &lt; 0.50 → 1, &lt; 0.65 → 2, &lt; 0.75 → 3, else 4 (indicators.md, CARI).</summary>
    public static int FesClass(decimal share) => ShareClass(share, 1m);

    /// <summary>round_half_up(mean(CS, mean(LCS, FES class))) = ⌊(2·CS + LCS + FES + 2) / 4⌋ in exact integers: 2.5 → 3, never to even.</summary>
    public static int Combine(int currentStatus, int livelihoodCoping, int fesClass) =>
        (2 * currentStatus + livelihoodCoping + fesClass + 2) / 4;

    private static int ShareClass(decimal food, decimal total) =>
        food * 100m < total * 50m ? 1 : food * 100m < total * 65m ? 2 : food * 100m < total * 75m ? 3 : 4;

    private static decimal Total(IReadOnlyList<ExpenseItem> items, List<FieldViolation> errors)
    {
        foreach (var item in items.Where(i => i.Amount < 0m))
        {
            errors.Add(new FieldViolation(item.Field, $"must be 0 or more, got {item.Amount.ToString(CultureInfo.InvariantCulture)}"));
        }

        return items.Sum(i => i.Amount);
    }
}
