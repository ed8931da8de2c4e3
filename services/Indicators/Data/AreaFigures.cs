using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Data;

/// <summary>
/// Area figures from the household scores stored at ingest: the formulas ran once per household, so a read only
/// selects the households of an area (with every area inside it) and period and aggregates them.
/// </summary>
public sealed class AreaFigures(IndicatorsDbContext db)
{
    /// <summary>
    /// The aggregate of each indicator, area and period asked for. With <paramref name="onlyWithHouseholds"/> an
    /// area-period without any household is left out.
    /// </summary>
    public async Task<List<IndicatorAggregate>> ComputeAsync(
        string watershedCode,
        IReadOnlyList<IndicatorInfo> indicators,
        IReadOnlyList<Guid> areaIds,
        IReadOnlyList<Period> periods,
        bool onlyWithHouseholds,
        CancellationToken ct)
    {
        var result = new List<IndicatorAggregate>();
        if (indicators.Count == 0 || areaIds.Count == 0 || periods.Count == 0)
        {
            return result;
        }

        var hierarchy = Lookups.Hierarchy(await db.AreasOfAsync(watershedCode, ct));
        var inside = areaIds.ToDictionary(a => a, a => hierarchy.SelfAndDescendants(a.ToString()));
        var allAreas = inside.Values.SelectMany(s => s).Select(Guid.Parse).Distinct().ToList();
        var codes = indicators.Select(i => i.Code).ToList();
        var from = periods.Min(p => p.Start);
        var to = periods.Max(p => p.End);
        var rows = await db.HouseholdScores.AsNoTracking()
            .Where(s => codes.Contains(s.IndicatorCode) && allAreas.Contains(s.AreaId) && s.InterviewDate >= from && s.InterviewDate <= to)
            .ToListAsync(ct);
        var observations = rows
            .Select(s => new HouseholdObservation(s.IndicatorCode, s.SubmissionRowId.ToString(), s.AreaId.ToString(), s.InterviewDate, s.Weight, s.Value, s.Category))
            .ToLookup(o => o.IndicatorCode);

        foreach (var indicator in indicators)
        {
            foreach (var areaId in areaIds)
            {
                var area = areaId.ToString();
                var households = observations[indicator.Code].Where(o => inside[areaId].Contains(o.AreaId)).ToList();
                foreach (var period in periods)
                {
                    var selected = households.Where(h => period.Contains(h.InterviewDate)).ToList();
                    if (selected.Count == 0 && onlyWithHouseholds)
                    {
                        continue;
                    }

                    if (SurveyWeights.AreMixed(selected.Select(h => h.Weight)))
                    {
                        throw new PreconditionFailedException("MIXED_SURVEY_WEIGHTS", $"{indicator.Code}/{area}/{period}",
                            $"The households of area {area} in {period} come from weighted and unweighted survey rounds, which cannot be aggregated together; ask for a period that holds one kind.");
                    }

                    result.Add(IndicatorAggregator.Aggregate(indicator, area, period, selected));
                }
            }
        }

        return result;
    }

    public async Task<IndicatorAggregate> ComputeOneAsync(string watershedCode, IndicatorInfo indicator, Guid areaId, Period period, CancellationToken ct) =>
        (await ComputeAsync(watershedCode, [indicator], [areaId], [period], onlyWithHouseholds: false, ct))[0];
}
