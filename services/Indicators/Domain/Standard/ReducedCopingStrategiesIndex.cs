using Watershed.ServiceDefaults.Errors;
using R = Watershed.Indicators.Domain.AnswerFields.Rcsi;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>Days (0–7) in the past 7 days the household had to use each strategy.</summary>
public sealed record RcsiAnswers(int? LessPreferredFood, int? BorrowFood, int? LimitPortions, int? RestrictAdults, int? FewerMeals)
{
    public static RcsiAnswers Read(AnswerReader r) => new(
        r.WholeNumber(R.LessPreferredFood),
        r.WholeNumber(R.BorrowFood),
        r.WholeNumber(R.LimitPortions),
        r.WholeNumber(R.RestrictAdults),
        r.WholeNumber(R.FewerMeals));
}

/// <summary>rCSI 0–56 and its IPC-compatible phase 1, 2 or 3 (3 meaning "3 or worse").</summary>
public sealed record RcsiScore(int Value, int Phase);

/// <summary>reduced Coping Strategies Index (indicators.md, rCSI; Maxwell &amp; Caldwell 2008).</summary>
public static class ReducedCopingStrategiesIndex
{
    public static IndicatorInfo Info { get; } = new(
        "RCSI",
        "reduced Coping Strategies Index",
        "score (0–56)",
        Direction.LowerIsBetter,
        [
            new IndicatorCategory("phase_1", "Phase 1 (0–3)", 1),
            new IndicatorCategory("phase_2", "Phase 2 (4–18)", 2),
            new IndicatorCategory("phase_3", "Phase 3 or worse (≥ 19)", 3),
        ]);

    public static ScoreResult<RcsiScore> Score(RcsiAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        // Weights 1, 2, 1, 3, 1 (indicators.md, rCSI).
        (string Field, int? Days, int Weight)[] items =
        [
            (R.LessPreferredFood, answers.LessPreferredFood, 1),
            (R.BorrowFood, answers.BorrowFood, 2),
            (R.LimitPortions, answers.LimitPortions, 1),
            (R.RestrictAdults, answers.RestrictAdults, 3),
            (R.FewerMeals, answers.FewerMeals, 1),
        ];
        var errors = new List<FieldViolation>();
        var missing = new List<string>();
        foreach (var (field, days, _) in items)
        {
            ItemChecks.Days(field, days, errors, missing);
        }

        return ScoreResult<RcsiScore>.From(errors, missing, () =>
        {
            var value = items.Sum(i => i.Weight * i.Days!.Value);
            return new RcsiScore(value, Phase(value));
        });
    }

    /// <summary>0–3 phase 1, 4–18 phase 2, ≥ 19 phase 3 or worse (indicators.md, rCSI).</summary>
    public static int Phase(int rcsi) => rcsi switch
    {
        <= 3 => 1,
        <= 18 => 2,
        _ => 3,
    };
}
