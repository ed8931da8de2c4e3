using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;

namespace Watershed.Indicators.Data;

/// <summary>
/// Area figures from the household scores stored at ingest: the formulas ran once per household, so a read only
/// sums the households of the areas asked for (with every area inside them) and periods, per area, day and category
/// (<see cref="HouseholdTally"/>: kept summed by the database on PostgreSQL, summed here on SQLite), and the domain turns
/// the sums into figures.
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

        var allAreas = areaIds.SelectMany(areas.SelfAndDescendants).Distinct().ToArray();
        var codes = indicators.Select(i => i.Code).ToArray();
        var from = periods.Min(p => p.Start);
        var to = periods.Max(p => p.End);
        var tallies = db.Database.IsNpgsql()
            ? await TallyInDatabaseAsync(codes, allAreas, from, to, surveyRoundId, ct)
            : await TallyInMemoryAsync(codes, allAreas, from, to, surveyRoundId, ct);
        return IndicatorAggregator.AggregateAreas(indicators, areas.Hierarchy, [.. areaIds.Select(a => a.ToString())], periods, tallies, onlyWithHouseholds);
    }

    /// <summary>
    /// PostgreSQL keeps the stored households summed (household_tallies, per round, indicator, area, date, kind and
    /// category, maintained by triggers in each writer's transaction; numeric sums are exact), so a read adds up at most
    /// a row per round, area, day and category whatever the number of households. Which households count is the rule of
    /// <see cref="HouseholdTally.Counts"/>, applied when a score is stored.
    /// </summary>
    private async Task<IReadOnlyList<HouseholdTally>> TallyInDatabaseAsync(string[] codes, Guid[] areaIds, DateOnly from, DateOnly to, Guid? surveyRoundId, CancellationToken ct)
    {
        // Without a round the filter compares the round with itself: one statement, one plan.
        var round = surveyRoundId ?? Guid.Empty;
        var anyRound = surveyRoundId is null;
        var rows = await db.Database.SqlQuery<TallyRow>($"""
            SELECT "IndicatorCode", "AreaId", "InterviewDate", "Weighted", "Scored", NULLIF("Category", '') AS "Category",
                   sum("Count")::int AS "Count", sum("SumOfWeights")::text AS "SumOfWeights", sum("WeightedSum")::text AS "WeightedSum"
            FROM household_tallies
            WHERE "IndicatorCode" = ANY({codes}) AND "AreaId" = ANY({areaIds})
              AND "InterviewDate" >= {from} AND "InterviewDate" <= {to}
              AND ({anyRound} OR "SurveyRoundId" = {round})
            GROUP BY "IndicatorCode", "AreaId", "InterviewDate", "Weighted", "Scored", "Category"
            """).ToListAsync(ct);
        return [.. rows.Select(r => new HouseholdTally(r.IndicatorCode, r.AreaId.ToString(), r.InterviewDate, r.Weighted, r.Scored, r.Category, r.Count,
            Number(r.SumOfWeights), Number(r.WeightedSum)))];
    }

    /// <summary>
    /// A numeric sum as a decimal. PostgreSQL's sums are exact and may have more digits than a decimal holds (a weight with
    /// 28 decimals times a score); read as text, they are rounded to the nearest decimal, where the driver would refuse them.
    /// </summary>
    private static decimal? Number(string? text) =>
        text is null ? null : decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>SQLite keeps decimals as text, which it cannot add exactly: its households are summed here, by the same rule.</summary>
    private async Task<IReadOnlyList<HouseholdTally>> TallyInMemoryAsync(string[] codes, Guid[] areaIds, DateOnly from, DateOnly to, Guid? surveyRoundId, CancellationToken ct)
    {
        var query = db.HouseholdScores.AsNoTracking()
            .Where(s => codes.Contains(s.IndicatorCode) && areaIds.Contains(s.AreaId) && s.InterviewDate >= from && s.InterviewDate <= to);
        if (surveyRoundId is { } round)
        {
            query = query.Where(s => s.SurveyRoundId == round);
        }

        var scores = await query.Select(s => new { s.IndicatorCode, s.SubmissionRowId, s.AreaId, s.InterviewDate, s.Weight, s.Value, s.Category }).ToListAsync(ct);
        // Ids become text here, not in SQL: SQLite keeps a Guid as upper-case text, the hierarchy names areas in lower case.
        return HouseholdTally.Of(scores.Select(s => new HouseholdObservation(
            s.IndicatorCode, s.SubmissionRowId.ToString(), s.AreaId.ToString(), s.InterviewDate, s.Weight, s.Value, s.Category)));
    }

    private sealed class TallyRow
    {
        public string IndicatorCode { get; set; } = "";

        public Guid AreaId { get; set; }

        public DateOnly InterviewDate { get; set; }

        public bool Weighted { get; set; }

        public bool Scored { get; set; }

        public string? Category { get; set; }

        public int Count { get; set; }

        public string? SumOfWeights { get; set; }

        public string? WeightedSum { get; set; }
    }

    public async Task<IndicatorAggregate> ComputeOneAsync(string watershedCode, IndicatorInfo indicator, Guid areaId, Period period, CancellationToken ct, Guid? surveyRoundId = null) =>
        (await ComputeAsync(await db.AreasOfAsync(watershedCode, ct), [indicator], [areaId], [period], onlyWithHouseholds: false, ct, surveyRoundId))[0];
}
