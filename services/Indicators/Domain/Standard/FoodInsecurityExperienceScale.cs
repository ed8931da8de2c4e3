using Q = Watershed.Indicators.Domain.AnswerFields.Fies;

namespace Watershed.Indicators.Domain.Standard;

public sealed record FiesAnswers
{
    public bool? Worried { get; init; }
    public bool? Healthy { get; init; }
    public bool? FewFoods { get; init; }
    public bool? Skipped { get; init; }
    public bool? AteLess { get; init; }
    public bool? RanOut { get; init; }
    public bool? Hungry { get; init; }
    public bool? WholeDay { get; init; }

    public static FiesAnswers Read(AnswerReader r) => new()
    {
        Worried = r.YesNo(Q.Worried),
        Healthy = r.YesNo(Q.Healthy),
        FewFoods = r.YesNo(Q.FewFoods),
        Skipped = r.YesNo(Q.Skipped),
        AteLess = r.YesNo(Q.AteLess),
        RanOut = r.YesNo(Q.RanOut),
        Hungry = r.YesNo(Q.Hungry),
        WholeDay = r.YesNo(Q.WholeDay),
    };
}

public sealed record FiesScore(int RawScore);

/// <summary>
/// FIES raw score (indicators.md, FIES): the number of yes answers. It is NOT the SDG 2.1.2 prevalence,
/// which needs the Rasch model equated to FAO's global scale; report the raw-score distribution.
/// </summary>
public static class FoodInsecurityExperienceScale
{
    public static IndicatorInfo Info { get; } = new(
        "FIES_RAW",
        "Food Insecurity Experience Scale raw score",
        "yes answers (0–8)",
        Direction.LowerIsBetter,
        [.. Enumerable.Range(0, 9).Select(s => new IndicatorCategory(
            s.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Raw score {s}", s + 1))]);

    public static ScoreResult<FiesScore> Score(FiesAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        (string Field, bool? Yes)[] items =
        [
            (Q.Worried, answers.Worried), (Q.Healthy, answers.Healthy), (Q.FewFoods, answers.FewFoods), (Q.Skipped, answers.Skipped),
            (Q.AteLess, answers.AteLess), (Q.RanOut, answers.RanOut), (Q.Hungry, answers.Hungry), (Q.WholeDay, answers.WholeDay),
        ];
        var missing = new List<string>();
        foreach (var (field, yes) in items)
        {
            ItemChecks.Answered(field, yes, missing);
        }

        return ScoreResult<FiesScore>.From([], missing, () => new FiesScore(ItemChecks.CountYes(items.Select(i => i.Yes))));
    }
}
