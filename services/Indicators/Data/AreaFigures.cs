using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;

namespace Watershed.Indicators.Data;

/// <summary>
/// Area figures from the household scores stored at ingest: the formulas ran once per household, so a read only
/// selects the households of the areas asked for (with every area inside them) and periods, and the domain
/// aggregates them.
/// </summary>
public sealed class AreaFigures(IndicatorsDbContext db)
{
    /// <summary>
    /// The aggregate of each indicator, area and period asked for, from the households of one survey round when
    /// <paramref name="surveyRoundId"/> is given. With <paramref name="onlyWithHouseholds"/> an area-period without any
    /// household is left out.
    /// </summary>
    public async Task<IReadOnlyList<IndicatorAggregate>> ComputeAsync(
        WatershedAreas areas,
        IReadOnlyList<IndicatorInfo> indicators,
        IReadOnlyList<Guid> areaIds,
        IReadOnlyList<Period> periods,
        bool onlyWithHouseholds,
        CancellationToken ct,
        Guid? surveyRoundId = null)
    {
        if (indicators.Count == 0 || areaIds.Count == 0 || periods.Count == 0)
        {
            return [];
        }

        var allAreas = areaIds.SelectMany(areas.SelfAndDescendants).Distinct().ToList();
        var codes = indicators.Select(i => i.Code).ToList();
        var from = periods.Min(p => p.Start);
        var to = periods.Max(p => p.End);
        var query = db.HouseholdScores.AsNoTracking()
            .Where(s => codes.Contains(s.IndicatorCode) && allAreas.Contains(s.AreaId) && s.InterviewDate >= from && s.InterviewDate <= to);
        if (surveyRoundId is { } round)
        {
            query = query.Where(s => s.SurveyRoundId == round);
        }

        var scores = await query.ToListAsync(ct);
        // Ids become text here, not in SQL: SQLite keeps a Guid as upper-case text, the hierarchy names areas in lower case.
        var households = scores.Select(s => new HouseholdObservation(
            s.IndicatorCode, s.SubmissionRowId.ToString(), s.AreaId.ToString(), s.InterviewDate, s.Weight, s.Value, s.Category));
        return IndicatorAggregator.AggregateAreas(indicators, areas.Hierarchy, [.. areaIds.Select(a => a.ToString())], periods, households, onlyWithHouseholds);
    }

    public async Task<IndicatorAggregate> ComputeOneAsync(string watershedCode, IndicatorInfo indicator, Guid areaId, Period period, CancellationToken ct, Guid? surveyRoundId = null) =>
        (await ComputeAsync(await db.AreasOfAsync(watershedCode, ct), [indicator], [areaId], [period], onlyWithHouseholds: false, ct, surveyRoundId))[0];
}
