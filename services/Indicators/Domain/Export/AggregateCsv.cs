using CsvHelper;
using Watershed.Indicators.Domain.Aggregation;

namespace Watershed.Indicators.Domain.Export;

/// <summary>
/// Aggregates as a long CSV table, one figure per row: indicator_code, area_id, period, metric, value.
/// Every figure an aggregate has is written, n and n_missing first, so no percentage travels without its n.
/// indicator_code, area_id, period and metric are text cells (<see cref="SpreadsheetCells.Text"/>); value is data,
/// written by the service (a negative mean stays "-2.5").
/// </summary>
public static class AggregateCsv
{
    public static void Write(TextWriter writer, IEnumerable<IndicatorAggregate> aggregates, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(aggregates);
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { Separator = separator, NewLine = "\n" }, leaveOpen: true);
        csv.WriteRecord(["indicator_code", "area_id", "period", "metric", "value"]);
        foreach (var aggregate in aggregates)
        {
            foreach (var metric in Metrics(aggregate))
            {
                if (aggregate.Value(metric) is { } value)
                {
                    csv.WriteRecord([
                        SpreadsheetCells.Text(aggregate.IndicatorCode), SpreadsheetCells.Text(aggregate.AreaId), SpreadsheetCells.Text(aggregate.Period.ToString()),
                        SpreadsheetCells.Text(metric.ToString()), Dhis2Export.FormatValue(value),
                    ]);
                }
            }
        }

        csv.Flush();
    }

    private static IEnumerable<AggregateMetric> Metrics(IndicatorAggregate aggregate) =>
        new[] { AggregateMetric.N, AggregateMetric.NMissing, AggregateMetric.SumOfWeights, AggregateMetric.Sum, AggregateMetric.Mean }
            .Concat(aggregate.Distribution.SelectMany(c => new[]
            {
                AggregateMetric.Count(c.Category), AggregateMetric.WeightedCount(c.Category), AggregateMetric.Percent(c.Category),
            }));
}
