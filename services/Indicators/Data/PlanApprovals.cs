using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain.Tracking;

namespace Watershed.Indicators.Data;

/// <summary>Locks and loads the approved plans land use told this service about.</summary>
internal static class PlanApprovals
{
    /// <summary>
    /// The plan with its goals in force, or null when no approval of it was received, read under the plan's lock
    /// until the transaction ends; call inside a transaction. An approval and a new target of the same plan take the
    /// lock, so the target is either checked against the new goals or seen (and flagged) by the approval. The lock
    /// is keyed by the plan id, not a row, because the plan's first approval has no row to lock yet. SQLite has no
    /// such lock: a no-op write takes its database write lock instead.
    /// </summary>
    public static async Task<ApprovedPlan?> LockApprovedPlanAsync(this IndicatorsDbContext db, Guid planId, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({planId.ToString()}, 0))", ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"UPDATE approved_plans SET \"PlanId\" = \"PlanId\" WHERE 0", ct);
        }

        return await db.ApprovedPlans.Include(p => p.Goals).SingleOrDefaultAsync(p => p.PlanId == planId, ct);
    }
}
