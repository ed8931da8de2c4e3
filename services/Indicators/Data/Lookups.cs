using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Data;

/// <summary>Loads what a call needs, scoped to one object or one watershed; an unknown id is NOT_FOUND.</summary>
internal static class Lookups
{
    public static async Task<Area> AreaAsync(this IndicatorsDbContext db, Guid id, CancellationToken ct) =>
        await db.Areas.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct)
        ?? throw new NotFoundException("area", id.ToString());

    public static async Task<(SurveyRound Round, Area Watershed)> RoundAsync(this IndicatorsDbContext db, Guid id, CancellationToken ct)
    {
        var round = await db.SurveyRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct)
            ?? throw new NotFoundException("survey_round", id.ToString());
        return (round, await db.AreaAsync(round.WatershedId, ct));
    }

    /// <summary>The watershed area an area belongs to (the area itself for a watershed).</summary>
    public static async Task<Area> WatershedOfAsync(this IndicatorsDbContext db, Area area, CancellationToken ct) =>
        area.Level == AreaLevel.Watershed
            ? area
            : await db.Areas.AsNoTracking().SingleAsync(a => a.WatershedCode == area.WatershedCode && a.Level == AreaLevel.Watershed, ct);

    public static async Task<WatershedAreas> AreasOfAsync(this IndicatorsDbContext db, string watershedCode, CancellationToken ct) =>
        new(await db.Areas.AsNoTracking().Where(a => a.WatershedCode == watershedCode).ToListAsync(ct));

    public static async Task<List<CustomIndicator>> CustomIndicatorsAsync(this IndicatorsDbContext db, Guid watershedId, CancellationToken ct) =>
        await db.CustomIndicators.AsNoTracking().Where(c => c.WatershedId == watershedId).OrderBy(c => c.Code).ToListAsync(ct);

    /// <summary>The standard indicators, then the watershed's custom ones.</summary>
    public static async Task<List<IndicatorInfo>> IndicatorsAsync(this IndicatorsDbContext db, Guid watershedId, CancellationToken ct) =>
        [.. HouseholdScorer.Indicators, .. (await db.CustomIndicatorsAsync(watershedId, ct)).Select(c => c.Info)];

    public static async Task<IndicatorInfo> IndicatorAsync(this IndicatorsDbContext db, Guid watershedId, string code, CancellationToken ct) =>
        (await db.IndicatorsAsync(watershedId, ct)).FirstOrDefault(i => i.Code == code)
        ?? throw new NotFoundException("indicator", code);

    /// <summary>The fingerprints of those of <paramref name="submissionIds"/> the round has stored already.</summary>
    public static async Task<Dictionary<string, string>> StoredFingerprintsAsync(this IndicatorsDbContext db, Guid roundId, IReadOnlyList<string> submissionIds, CancellationToken ct) =>
        await db.Submissions.AsNoTracking()
            .Where(s => s.SurveyRoundId == roundId && submissionIds.Contains(s.SubmissionId))
            .ToDictionaryAsync(s => s.SubmissionId, s => s.Fingerprint, StringComparer.Ordinal, ct);

    /// <summary>The live rules on any of the areas, by id: the order their row locks are taken in, so two ingests cannot deadlock.</summary>
    public static async Task<List<Guid>> LiveAlertRuleIdsAsync(this IndicatorsDbContext db, IReadOnlyCollection<Guid> areaIds, CancellationToken ct) =>
        await db.AlertRules.AsNoTracking().Where(r => r.DeletedAt == null && areaIds.Contains(r.AreaId))
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(ct);

    /// <summary>The rule's latest change, which holds its current state; null when it never changed.</summary>
    public static async Task<Alert?> LastAlertAsync(this IndicatorsDbContext db, Guid ruleId, CancellationToken ct) =>
        await db.Alerts.AsNoTracking().Where(a => a.RuleId == ruleId).OrderByDescending(a => a.Sequence).FirstOrDefaultAsync(ct);
}
