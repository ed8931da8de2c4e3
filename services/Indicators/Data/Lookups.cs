using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Standard;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Data;

/// <summary>Loads an object with the watershed code it belongs to (the scope tokens are checked against), or answers NOT_FOUND.</summary>
internal static class Lookups
{
    public static async Task<AreaRow> AreaAsync(this IndicatorsDbContext db, Guid id, CancellationToken ct) =>
        await db.Areas.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct)
        ?? throw new NotFoundException("area", id.ToString());

    /// <summary>A watershed area; another level under a watershed_id field is a caller's mistake.</summary>
    public static async Task<AreaRow> WatershedAsync(this IndicatorsDbContext db, Guid id, CancellationToken ct, string field = "watershed_id")
    {
        var area = await db.AreaAsync(id, ct);
        return area.Level == AreaLevel.Watershed
            ? area
            : throw new InvalidArgumentException(field, $"is a {area.Level.ToString().ToLowerInvariant()}, not a watershed");
    }

    public static async Task<(SurveyRoundRow Round, AreaRow Watershed)> RoundAsync(this IndicatorsDbContext db, Guid id, CancellationToken ct)
    {
        var round = await db.SurveyRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct)
            ?? throw new NotFoundException("survey_round", id.ToString());
        return (round, await db.AreaAsync(round.WatershedAreaId, ct));
    }

    public static async Task<AreaRow> WatershedOfAsync(this IndicatorsDbContext db, AreaRow area, CancellationToken ct) =>
        area.Level == AreaLevel.Watershed
            ? area
            : await db.Areas.AsNoTracking().SingleAsync(a => a.WatershedCode == area.WatershedCode && a.Level == AreaLevel.Watershed, ct);

    public static async Task<List<AreaRow>> AreasOfAsync(this IndicatorsDbContext db, string watershedCode, CancellationToken ct) =>
        await db.Areas.AsNoTracking().Where(a => a.WatershedCode == watershedCode).ToListAsync(ct);

    public static AreaHierarchy Hierarchy(IEnumerable<AreaRow> areas) =>
        new(areas.Select(a => new AreaNode(a.Id.ToString(), a.ParentId?.ToString())));

    public static async Task<List<CustomIndicatorDefinition>> CustomIndicatorsAsync(this IndicatorsDbContext db, Guid watershedAreaId, CancellationToken ct) =>
        [.. (await db.CustomIndicators.AsNoTracking().Where(c => c.WatershedAreaId == watershedAreaId).OrderBy(c => c.Code).ToListAsync(ct))
            .Select(c => c.ToDefinition())];

    /// <summary>The standard indicators, then the watershed's custom ones.</summary>
    public static async Task<List<IndicatorInfo>> IndicatorsAsync(this IndicatorsDbContext db, Guid watershedAreaId, CancellationToken ct) =>
        [.. HouseholdScorer.Indicators, .. (await db.CustomIndicatorsAsync(watershedAreaId, ct)).Select(c => c.Info)];

    public static async Task<IndicatorInfo> IndicatorAsync(this IndicatorsDbContext db, Guid watershedAreaId, string code, CancellationToken ct) =>
        (await db.IndicatorsAsync(watershedAreaId, ct)).FirstOrDefault(i => i.Code == code)
        ?? throw new NotFoundException("indicator", code);
}
