using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Data;

namespace Watershed.Indicators.Data;

/// <summary>Loads and locks the approved plans land use told this service about.</summary>
internal static class PlanApprovals
{
    /// <summary>
    /// The plan with its goals in force under its row lock, or null when no approval of it was received; call inside
    /// a transaction. An approval and a new target of the same plan take the lock, so the target is either checked
    /// against the new goals or flagged by the approval.
    /// </summary>
    public static async Task<ApprovedPlan?> ApprovedPlanForUpdateAsync(this IndicatorsDbContext db, Guid planId, CancellationToken ct)
    {
        if (!await db.ApprovedPlans.AnyAsync(p => p.PlanId == planId, ct))
        {
            return null;
        }

        var plan = await db.LoadForUpdateAsync<ApprovedPlan>(planId, "plan", ct);
        await db.Entry(plan).Collection(p => p.Goals).LoadAsync(ct);
        return plan;
    }
}
