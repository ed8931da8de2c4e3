using CsvHelper;
using Watershed.Indicators.Domain.Aggregation;

namespace Watershed.Indicators.Domain.Export;

/// <summary>
/// Aggregates as a long CSV table, one figure per row: indicator_code, area_id, period, metric, value, area_code,
/// area_name (the area as people know it, last so a reader of the first five columns reads them where they were).
/// Every figure an aggregate has is written, n and n_missing first, so no percentage travels without its n.
/// indicator_code, area_id, period, metric, area_code and area_name are text cells (<see cref="SpreadsheetCells.Text"/>);
/// value is data, written by the service (a negative mean stays "-2.5").
/// </summary>
public static class AggregateCsv
{
    /// <summary>Writes the table; <paramref name="areaOf"/> gives an area's code and name from its id.</summary>
    public static void Write(TextWriter writer, IEnumerable<IndicatorAggregate> aggregates, Func<string, (string Code, string Name)> areaOf, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(areaOf);
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions { Separator = separator, NewLine = "\n" }, leaveOpen: true);
        csv.WriteRecord(["indicator_code", "area_id", "period", "metric", "value", "area_code", "area_name"]);
        foreach (var aggregate in aggregates)
        {
            var (code, name) = areaOf(aggregate.AreaId);
            foreach (var metric in Metrics(aggregate))
            {
                if (aggregate.Value(metric) is { } value)
                {
                    csv.WriteRecord([
                        SpreadsheetCells.Text(aggregate.IndicatorCode), SpreadsheetCells.Text(aggregate.AreaId), SpreadsheetCells.Text(aggregate.Period.ToString()),
                        SpreadsheetCells.Text(metric.ToString()), Dhis2Export.FormatValue(value), SpreadsheetCells.Text(code), SpreadsheetCells.Text(name),
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
