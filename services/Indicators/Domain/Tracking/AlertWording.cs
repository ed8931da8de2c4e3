using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Export;

namespace Watershed.Indicators.Domain.Tracking;

/// <summary>An alert rule's condition as people read it, e.g. "share of households with poor FCS above 20 %".</summary>
public static class AlertWording
{
    public static string Describe(string indicatorCode, AggregateMetric metric, Condition condition)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(condition);
        var figure = metric.Kind switch
        {
            MetricKind.Mean => $"mean {indicatorCode}",
            MetricKind.Sum => $"weighted sum of {indicatorCode}",
            MetricKind.SumOfWeights => $"weighted households scored on {indicatorCode}",
            MetricKind.N => $"households scored on {indicatorCode}",
            MetricKind.NMissing => $"households missing {indicatorCode}",
            MetricKind.Percent => $"share of households with {metric.Category} {indicatorCode}",
            MetricKind.WeightedCount => $"weighted households with {metric.Category} {indicatorCode}",
            MetricKind.Count => $"households with {metric.Category} {indicatorCode}",
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
        };
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
        return $"{figure} {comparison} {Dhis2Export.FormatValue(condition.Threshold)}{unit}";
    }
}
