using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>One indicator's household figure as aggregation needs it: value and category, both null when missing.</summary>
public sealed record IndicatorValue(string IndicatorCode, decimal? Value, string? Category);

/// <summary>
/// What a household's score carries besides its figure: FCS-N on the FCS score, CARI's parts on the CARI score (each part
/// that the answers give, even when CARI itself is missing).
/// </summary>
public sealed record ScoreDetails(FcsNutrients? Nutrients, CariParts? CariParts);

/// <summary>Every standard indicator scored for one household, with CARI's parts.</summary>
public sealed record HouseholdScores(
    ScoreResult<FcsScore> Fcs,
    ScoreResult<RcsiScore> Rcsi,
    ScoreResult<HddsScore> Hdds,
    ScoreResult<MddwScore> Mddw,
    ScoreResult<HhsScore> Hhs,
    ScoreResult<FiesScore> Fies,
    ScoreResult<MahfpScore> Mahfp,
    ScoreResult<CariScore> Cari,
    CariParts CariParts)
{
    /// <summary>What the formulas found besides each indicator's figure, in the order of <see cref="Values"/>.</summary>
    public IReadOnlyList<ScoreDetails?> Details =>
    [
        Fcs.Value is { } fcs ? new ScoreDetails(fcs.Nutrients, null) : null, null, null, null, null, null, null, new ScoreDetails(null, CariParts),
    ];

    /// <summary>Every rejected answer once (CARI re-checks the FCS and rCSI answers), in field order.</summary>
    public IReadOnlyList<FieldViolation> Errors =>
    [
        .. new[] { Fcs.Errors, Rcsi.Errors, Hdds.Errors, Mddw.Errors, Hhs.Errors, Fies.Errors, Mahfp.Errors, Cari.Errors }
            .SelectMany(e => e)
            .Distinct(),
    ];

    /// <summary>The answers each indicator lacked, in the order of <see cref="Values"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> MissingFieldsByIndicator =>
        [Fcs.MissingFields, Rcsi.MissingFields, Hdds.MissingFields, Mddw.MissingFields, Hhs.MissingFields, Fies.MissingFields, Mahfp.MissingFields, Cari.MissingFields];

    public IReadOnlyList<IndicatorValue> Values =>
    [
        new(FoodConsumptionScore.Info.Code, Fcs.Value?.Value, Fcs.Value is { } f ? FoodConsumptionScore.CategoryCode(f.Category) : null),
        new(ReducedCopingStrategiesIndex.Info.Code, Rcsi.Value?.Value, Rcsi.Value is { } r ? ReducedCopingStrategiesIndex.Info.Categories[r.Phase - 1].Code : null),
        new(HouseholdDietaryDiversity.Info.Code, Hdds.Value?.Value, Hdds.Value?.PhaseBand),
        new(MinimumDietaryDiversityWomen.Info.Code, Mddw.Value?.Groups, Mddw.Value is { } m ? m.Achieved ? "achieved" : "not_achieved" : null),
        new(HouseholdHungerScale.Info.Code, Hhs.Value?.Value, Hhs.Value is { } h ? HouseholdHungerScale.CategoryCode(h.Category) : null),
        new(FoodInsecurityExperienceScale.Info.Code, Fies.Value?.RawScore, Fies.Value?.RawScore.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new(MonthsOfAdequateFoodProvisioning.Info.Code, Mahfp.Value?.Months, null),
        new(Standard.Cari.Info.Code, Cari.Value?.Class, Cari.Value is { } c ? Standard.Cari.CategoryCode(c.Class) : null),
    ];
}

/// <summary>Scores a household's canonical answers on every standard indicator.</summary>
public static class HouseholdScorer
{
    public static IReadOnlyList<IndicatorInfo> Indicators { get; } =
    [
        FoodConsumptionScore.Info,
        ReducedCopingStrategiesIndex.Info,
        HouseholdDietaryDiversity.Info,
        MinimumDietaryDiversityWomen.Info,
        HouseholdHungerScale.Info,
        FoodInsecurityExperienceScale.Info,
        MonthsOfAdequateFoodProvisioning.Info,
        Cari.Info,
    ];

    public static IndicatorInfo? Find(string code) => Indicators.FirstOrDefault(i => i.Code == code);

    /// <summary>Scores with the round's FCS cut-offs and LCS strategies (<see cref="LcsStrategies.Default"/> when it names none).</summary>
    public static HouseholdScores Score(AnswerSheet answers, FcsCutoffs cutoffs, LcsStrategies? strategies = null)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var lcs = strategies ?? LcsStrategies.Default;
        return new HouseholdScores(
            Run(answers, FcsAnswers.Read, a => FoodConsumptionScore.Score(a, cutoffs)),
            Run(answers, RcsiAnswers.Read, ReducedCopingStrategiesIndex.Score),
            Run(answers, HddsAnswers.Read, HouseholdDietaryDiversity.Score),
            Run(answers, MddwAnswers.Read, MinimumDietaryDiversityWomen.Score),
            Run(answers, HhsAnswers.Read, HouseholdHungerScale.Score),
            Run(answers, FiesAnswers.Read, FoodInsecurityExperienceScale.Score),
            Run(answers, MahfpAnswers.Read, MonthsOfAdequateFoodProvisioning.Score),
            Run(answers, r => ReadCari(r, lcs), Cari.Score),
            Cari.Parts(ReadCari(answers.Read(), lcs)));
    }

    /// <summary>One woman of a household's repeat group on MDD-W, from her own answers.</summary>
    public static ScoreResult<MddwScore> ScoreWoman(AnswerSheet answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return Run(answers, MddwAnswers.Read, MinimumDietaryDiversityWomen.Score);
    }

    /// <summary>The MDD-W fields the sheet answers (a value that is not blank nor "n/a").</summary>
    public static IReadOnlyList<string> AnsweredMddwFields(AnswerSheet answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return [.. answers.Fields.Where(f => f.StartsWith("mddw.", StringComparison.Ordinal) && answers[f] is not null).Order(StringComparer.Ordinal)];
    }

    private static CariAnswers ReadCari(AnswerReader r, LcsStrategies lcs) => new(FcsAnswers.Read(r), RcsiAnswers.Read(r), LcsAnswers.Read(r, lcs), FesAnswers.Read(r));

    // An unreadable value rejects the indicator that reads it, before any range check.
    private static ScoreResult<TScore> Run<TAnswers, TScore>(AnswerSheet sheet, Func<AnswerReader, TAnswers> read, Func<TAnswers, ScoreResult<TScore>> score)
        where TScore : class
    {
        var reader = sheet.Read();
        var answers = read(reader);
        return reader.Errors.Count > 0 ? ScoreResult<TScore>.Rejected(reader.Errors) : score(answers);
    }
}
