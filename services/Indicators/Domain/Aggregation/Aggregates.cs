using System.Globalization;

namespace Watershed.Indicators.Domain.Aggregation;

/// <summary>One household's figure on one indicator, with what aggregation needs to place and weigh it.</summary>
public sealed record HouseholdObservation(
    string IndicatorCode,
    string SubmissionId,
    string AreaId,
    DateOnly InterviewDate,
    decimal? Weight,
    decimal? Value,
    string? Category);

/// <summary>A household value and its survey weight (null when the survey is unweighted).</summary>
public sealed record WeightedValue(decimal? Value, decimal? Weight);

/// <summary>Households in one category: how many, their weight, and their share (0–100) of households with a score.</summary>
public sealed record CategoryShare(string Category, int N, decimal SumOfWeights, decimal? Percent);

/// <summary>
/// An indicator for one area and period. <see cref="N"/> households have a score, <see cref="NMissing"/> do not
/// and are left out of every figure. Unweighted surveys count each household with weight 1, so
/// <see cref="SumOfWeights"/> is then N.
/// </summary>
public sealed record IndicatorAggregate(
    string IndicatorCode,
    string AreaId,
    Period Period,
    int N,
    int NMissing,
    decimal SumOfWeights,
    decimal? WeightedSum,
    decimal? Mean,
    IReadOnlyList<CategoryShare> Distribution)
{
    /// <summary>The figure a metric names; null when there is nothing to compute it from or the category is unknown.</summary>
    public decimal? Value(AggregateMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var category = Distribution.FirstOrDefault(c => c.Category == metric.Category);
        return metric.Kind switch
        {
            MetricKind.Mean => Mean,
            MetricKind.Sum => WeightedSum,
            MetricKind.SumOfWeights => SumOfWeights,
            MetricKind.N => N,
            MetricKind.NMissing => NMissing,
            MetricKind.Percent => category?.Percent,
            MetricKind.WeightedCount => category?.SumOfWeights,
            MetricKind.Count => category?.N,
            _ => null,
        };
    }
}

public enum MetricKind
{
    Mean,
    Sum,
    SumOfWeights,
    N,
    NMissing,
    Percent,
    WeightedCount,
    Count,
}

/// <summary>
/// A figure of an aggregate, written "mean", "sum" (Σwx), "sum_weights", "n", "n_missing", or per category
/// "percent:poor", "weighted_count:poor" (Σw in the category), "count:poor" (households in the category).
/// </summary>
public sealed record AggregateMetric(MetricKind Kind, string? Category = null)
{
    private static readonly (MetricKind Kind, string Name, bool PerCategory)[] Names =
    [
        (MetricKind.Mean, "mean", false), (MetricKind.Sum, "sum", false), (MetricKind.SumOfWeights, "sum_weights", false),
        (MetricKind.N, "n", false), (MetricKind.NMissing, "n_missing", false),
        (MetricKind.Percent, "percent", true), (MetricKind.WeightedCount, "weighted_count", true), (MetricKind.Count, "count", true),
    ];

    public static AggregateMetric Mean { get; } = new(MetricKind.Mean);
    public static AggregateMetric SumOfWeights { get; } = new(MetricKind.SumOfWeights);
    public static AggregateMetric Sum { get; } = new(MetricKind.Sum);
    public static AggregateMetric N { get; } = new(MetricKind.N);
    public static AggregateMetric NMissing { get; } = new(MetricKind.NMissing);

    public static AggregateMetric Percent(string category) => new(MetricKind.Percent, category);
    public static AggregateMetric WeightedCount(string category) => new(MetricKind.WeightedCount, category);
    public static AggregateMetric Count(string category) => new(MetricKind.Count, category);

    public bool IsPerCategory => Names.Single(n => n.Kind == Kind).PerCategory;

    /// <summary>For a ratio, the numerator and denominator that let DHIS2 recompute it across areas; null otherwise.</summary>
    public (AggregateMetric Numerator, AggregateMetric Denominator)? Parts => Kind switch
    {
        MetricKind.Mean => (Sum, SumOfWeights),
        MetricKind.Percent => (WeightedCount(Category!), SumOfWeights),
        _ => null,
    };

    public static bool TryParse(string? text, out AggregateMetric? metric)
    {
        metric = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? text : text[..colon];
        var category = colon < 0 ? null : text[(colon + 1)..];
        var match = Names.FirstOrDefault(n => n.Name == name);
        if (match.Name is null || match.PerCategory != (category is { Length: > 0 }))
        {
            return false;
        }

        metric = new AggregateMetric(match.Kind, category);
        return true;
    }

    public static AggregateMetric Parse(string text) =>
        TryParse(text, out var metric) ? metric! : throw new FormatException($"'{text}' is not a metric: use mean, sum, sum_weights, n, n_missing, percent:<category>, weighted_count:<category> or count:<category>.");

    public override string ToString()
    {
        var name = Names.Single(n => n.Kind == Kind).Name;
        return Category is null ? name : string.Create(CultureInfo.InvariantCulture, $"{name}:{Category}");
    }
}

/// <summary>
/// Households of one indicator, area, interview date and category, of one kind (weighted or not; scored or left out),
/// summed: what an aggregate needs of them, so a database can add them up (GROUP BY) and send a few rows instead of
/// every household. <see cref="SumOfWeights"/> and <see cref="WeightedSum"/> are Σw and Σwx over the scored households
/// (w = 1 when the round is unweighted); null when <see cref="Scored"/> is false.
/// </summary>
public sealed record HouseholdTally(
    string IndicatorCode,
    string AreaId,
    DateOnly InterviewDate,
    bool Weighted,
    bool Scored,
    string? Category,
    int Count,
    decimal? SumOfWeights,
    decimal? WeightedSum)
{
    /// <summary>
    /// True when a household counts in an aggregate's figures: it has a value within ±<see cref="AnswerReader.MaxNumber"/>
    /// and, in a weighted round, a valid weight (<see cref="SurveyWeights.IsValid"/>). Others are counted in n_missing.
    /// </summary>
    public static bool Counts(decimal? weight, decimal? value) =>
        value is { } v && Math.Abs(v) <= AnswerReader.MaxNumber && (weight is null || SurveyWeights.IsValid(weight.Value));

    /// <summary>The same tallies a database's GROUP BY gives, from households in memory (SQLite, and tests).</summary>
    public static IReadOnlyList<HouseholdTally> Of(IEnumerable<HouseholdObservation> households)
    {
        ArgumentNullException.ThrowIfNull(households);
        return
        [
            .. households
                .GroupBy(h => (h.IndicatorCode, h.AreaId, h.InterviewDate, Weighted: h.Weight is not null, Scored: Counts(h.Weight, h.Value), h.Category))
                .Select(g => g.Key.Scored
                    ? new HouseholdTally(g.Key.IndicatorCode, g.Key.AreaId, g.Key.InterviewDate, g.Key.Weighted, true, g.Key.Category, g.Count(),
                        g.Sum(h => h.Weight ?? 1m), g.Sum(h => (h.Weight ?? 1m) * h.Value!.Value))
                    : new HouseholdTally(g.Key.IndicatorCode, g.Key.AreaId, g.Key.InterviewDate, g.Key.Weighted, false, g.Key.Category, g.Count(), null, null)),
        ];
    }
}
