using Microsoft.EntityFrameworkCore;
using Watershed.LandUse.Domain;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;

namespace Watershed.LandUse.Data;

/// <summary>A version's zones counted in the database, so a list answers without reading geometry.</summary>
public sealed record ZoneTotals(int Count, double AreaHectares)
{
    public static readonly ZoneTotals None = new(0, 0);
}

/// <summary>
/// What each call loads of a plan: reads take the rows they answer with and no more (a plan's versions
/// without zones, one version's zones); commands lock the plan, load its versions' states (the rules about
/// open and approved versions need them) and the zones of the one version they change.
/// </summary>
public static class PlanQueries
{
    /// <summary>A plan and its versions, without zones, for reading.</summary>
    public static async Task<Plan> PlanAsync(this LandUseDbContext db, Guid planId, CancellationToken ct) =>
        await db.Plans.AsNoTracking().Include(p => p.Versions.OrderBy(v => v.Number))
            .SingleOrDefaultAsync(p => p.Id == planId, ct)
        ?? throw new NotFoundException("plan", planId.ToString());

    /// <summary>One page of plans of these watersheds, oldest first, with their versions but no zones.</summary>
    public static Task<List<Plan>> PlansPageAsync(this LandUseDbContext db, IReadOnlyCollection<Guid> watershedIds, Page page, CancellationToken ct) =>
        db.Plans.AsNoTracking().AsSplitQuery().Include(p => p.Versions.OrderBy(v => v.Number))
            .Where(p => watershedIds.Contains(p.WatershedId))
            .OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .Skip(page.Offset).Take(page.Take)
            .ToListAsync(ct);

    /// <summary>The watershed a plan belongs to.</summary>
    public static async Task<Guid> WatershedIdOfPlanAsync(this LandUseDbContext db, Guid planId, CancellationToken ct) =>
        await db.Plans.Where(p => p.Id == planId).Select(p => (Guid?)p.WatershedId).SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("plan", planId.ToString());

    public static Task<string> WatershedCodeAsync(this LandUseDbContext db, Guid watershedId, CancellationToken ct) =>
        db.WatershedUnits.Where(w => w.Id == watershedId).Select(w => w.Code).SingleAsync(ct);

    /// <summary>
    /// A version's plan and its watershed's code, without zones: what authorising a read of the version needs.
    /// An unknown version is NOT_FOUND, as a read of it would be.
    /// </summary>
    public static async Task<(Guid PlanId, string WatershedCode)> VersionScopeAsync(this LandUseDbContext db, Guid versionId, CancellationToken ct)
    {
        var scope = await (
            from v in db.PlanVersions
            join p in db.Plans on v.PlanId equals p.Id
            join w in db.WatershedUnits on p.WatershedId equals w.Id
            where v.Id == versionId
            select new { v.PlanId, w.Code }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("plan_version", versionId.ToString());
        return (scope.PlanId, scope.Code);
    }

    /// <summary>One version and its zones, for reading.</summary>
    public static async Task<PlanVersion> VersionWithZonesAsync(this LandUseDbContext db, Guid versionId, CancellationToken ct) =>
        await db.PlanVersions.AsNoTracking().Include(v => v.Zones).SingleOrDefaultAsync(v => v.Id == versionId, ct)
        ?? throw new NotFoundException("plan_version", versionId.ToString());

    /// <summary>One page of a plan's versions by number, without zones; <see cref="ZoneTotalsAsync"/> counts them.</summary>
    public static Task<List<PlanVersion>> VersionsPageAsync(this LandUseDbContext db, Guid planId, Page page, CancellationToken ct) =>
        db.PlanVersions.AsNoTracking()
            .Where(v => v.PlanId == planId)
            .OrderBy(v => v.Number).ThenBy(v => v.Id)
            .Skip(page.Offset).Take(page.Take)
            .ToListAsync(ct);

    public static Task<Dictionary<Guid, ZoneTotals>> ZoneTotalsAsync(this LandUseDbContext db, IReadOnlyCollection<Guid> versionIds, CancellationToken ct) =>
        db.Zones
            .Where(z => versionIds.Contains(EF.Property<Guid>(z, LandUseDbContext.ZoneVersionId)))
            .GroupBy(z => EF.Property<Guid>(z, LandUseDbContext.ZoneVersionId))
            .Select(g => new { VersionId = g.Key, Count = g.Count(), Hectares = g.Sum(z => z.AreaHectares) })
            .ToDictionaryAsync(t => t.VersionId, t => new ZoneTotals(t.Count, t.Hectares), ct);

    public static async Task<Guid> PlanIdOfVersionAsync(this LandUseDbContext db, Guid versionId, CancellationToken ct) =>
        await db.PlanVersions.Where(v => v.Id == versionId).Select(v => (Guid?)v.PlanId).SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("plan_version", versionId.ToString());

    /// <summary>
    /// For a command, inside its transaction: the plan with its row locked until the transaction ends, so two
    /// commands on one plan take turns and the second decides on what the first committed; then its versions
    /// (without zones) by number.
    /// </summary>
    public static async Task<Plan> LockPlanAsync(this LandUseDbContext db, Guid planId, CancellationToken ct)
    {
        var plan = await db.LoadForUpdateAsync<Plan>(planId, "plan", ct);
        await db.PlanVersions.Where(v => v.PlanId == planId).OrderBy(v => v.Number).LoadAsync(ct);
        return plan;
    }

    /// <summary>The zones of the one version a command reads or changes.</summary>
    public static Task LoadZonesAsync(this LandUseDbContext db, PlanVersion version, CancellationToken ct) =>
        db.Entry(version).Collection(v => v.Zones).LoadAsync(ct);

    /// <summary>
    /// Saves a change of the plan with its revision bumped: a writer that did not hold the lock and read an
    /// older revision fails with a concurrency conflict (ABORTED) instead of overwriting this change.
    /// </summary>
    public static async Task SavePlanAsync(this LandUseDbContext db, Plan plan, CancellationToken ct)
    {
        db.Entry(plan).Property<int>(LandUseDbContext.PlanRevision).CurrentValue++;
        await db.SaveChangesAsync(ct);
    }
}
