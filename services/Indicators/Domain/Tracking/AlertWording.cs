using System.Globalization;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Export;

namespace Watershed.Indicators.Domain.Tracking;

/// <summary>An alert rule's condition as people read it, e.g. "share of households with poor FCS above 20 %", and an alert in one sentence.</summary>
public static class AlertWording
{
    public static string Describe(string indicatorCode, AggregateMetric metric, Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return $"{Figure(indicatorCode, metric)} {Comparison(metric, condition)}";
    }

    /// <summary>
    /// The alert with its area, period and the figure it fired on, e.g. "Distrito de Pomacanchi (distrito), 2025Q4: share of
    /// households with poor FCS was 34.4828 % over 58 households, above 20 %." A clear ends "no longer above 20 %.".
    /// </summary>
    public static string Summarise(AlertRule rule, Alert alert, Areas.Area area)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(area);
        var unit = rule.Metric.Kind == MetricKind.Percent ? " %" : string.Empty;
        var (one, many) = Observed(rule.IndicatorCode);
        var households = alert.N == 1 ? $"1 {one}" : string.Create(CultureInfo.InvariantCulture, $"{alert.N} {many}");
        var state = alert.State == AlertState.Raised ? "" : "no longer ";
        var place = $"{area.Name} ({area.Code}), {alert.Period}";
        return alert.N == 0
            ? $"{place}: no {one} is left in the figure (its households were removed), {state}{Comparison(rule.Metric, rule.Condition)}."
            : $"{place}: {Figure(rule.IndicatorCode, rule.Metric)} was {Dhis2Export.FormatValue(alert.ObservedValue)}{unit} over {households}, {state}{Comparison(rule.Metric, rule.Condition)}.";
    }

    /// <summary>What an indicator's figures count: MDD-W counts women (each woman assessed), every other indicator households.</summary>
    private static (string One, string Many) Observed(string indicatorCode) =>
        indicatorCode == Standard.MinimumDietaryDiversityWomen.Info.Code ? ("woman", "women") : ("household", "households");

    private static string Figure(string indicatorCode, AggregateMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var many = Observed(indicatorCode).Many;
        return metric.Kind switch
        {
            MetricKind.Mean => $"mean {indicatorCode}",
            MetricKind.Sum => $"weighted sum of {indicatorCode}",
            MetricKind.SumOfWeights => $"weighted {many} scored on {indicatorCode}",
            MetricKind.N => $"{many} scored on {indicatorCode}",
            MetricKind.NMissing => $"{many} missing {indicatorCode}",
            MetricKind.Percent => $"share of {many} with {metric.Category} {indicatorCode}",
            MetricKind.WeightedCount => $"weighted {many} with {metric.Category} {indicatorCode}",
            MetricKind.Count => $"{many} with {metric.Category} {indicatorCode}",
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
    }

    private static string Comparison(AggregateMetric metric, Condition condition)
    {
        var comparison = condition.Operator switch
        {
            ComparisonOperator.LessThan => "below",
            ComparisonOperator.LessThanOrEqual => "at most",
            ComparisonOperator.GreaterThan => "above",
            ComparisonOperator.GreaterThanOrEqual => "at least",
            ComparisonOperator.Equal => "equal to",
            ComparisonOperator.NotEqual => "not equal to",
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown operator."),
        };
        var unit = metric.Kind == MetricKind.Percent ? " %" : string.Empty;
        return $"{comparison} {Dhis2Export.FormatValue(condition.Threshold)}{unit}";
    }
}
