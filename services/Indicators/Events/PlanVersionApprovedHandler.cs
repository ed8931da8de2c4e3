using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Tracking;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Indicators.Events;

/// <summary>
/// Keeps each plan's goals as its latest approved version states them, and flags the plan's targets whose goal that
/// version dropped. A late approval of an older version changes nothing (see <see cref="ApprovedPlan.ApproveNewer"/>).
/// </summary>
public sealed class PlanVersionApprovedHandler(IndicatorsDbContext db) : IEventHandler<PlanVersionApproved>
{
    public async Task HandleAsync(PlanVersionApproved message, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        var version = message.Version ?? throw new PoisonEventException("version is missing");
        var planId = IdOf(version.PlanId, "version.plan_id");
        var versionId = IdOf(version.PlanVersionId, "version.plan_version_id");
        if (version.Number <= 0)
        {
            throw new PoisonEventException($"version.number {version.Number} is not a version number");
        }

        var goals = new Dictionary<Guid, string>();
        foreach (var goal in message.Goals)
        {
            if (!goals.TryAdd(IdOf(goal.GoalId, "goals.goal_id"), goal.Text))
            {
                throw new PoisonEventException($"goal {goal.GoalId} is listed twice");
            }
        }

        var approvedAt = message.OccurredAt?.ToDateTimeOffset() ?? context.Time
            ?? throw new PoisonEventException("occurred_at is missing");

        var plan = await db.LockApprovedPlanAsync(planId, ct);
        if (plan is null)
        {
            plan = ApprovedPlan.Approve(planId, versionId, version.Number, goals, approvedAt);
            db.ApprovedPlans.Add(plan);
        }
        else if (!plan.ApproveNewer(versionId, version.Number, goals, approvedAt))
        {
            return;
        }

        foreach (var target in await db.PlanTargets.Where(t => t.PlanId == planId).ToListAsync(ct))
        {
            target.FollowApproval(plan);
        }
    }

    private static Guid IdOf(string text, string field) =>
        Guid.TryParse(text, out var id) && id != Guid.Empty ? id : throw new PoisonEventException($"{field} '{text}' is not an id");
}
