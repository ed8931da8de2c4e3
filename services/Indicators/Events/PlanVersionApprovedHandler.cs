using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Tracking;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Errors;
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

        // The event's text is stored: it follows the same rules as a request's, or the event can never be processed.
        var watershedCode = version.WatershedCode;
        if (TextRules.OneLineFault(watershedCode, 40) is { } codeFault)
        {
            throw new PoisonEventException($"version.watershed_code {codeFault}");
        }

        if (message.Goals.Count > MaxGoals)
        {
            throw new PoisonEventException($"{message.Goals.Count} goals; an approval carries at most {MaxGoals}");
        }

        var goals = new Dictionary<Guid, string>();
        foreach (var goal in message.Goals)
        {
            if (TextRules.OneLineFault(goal.Text, 1000) is { } textFault)
            {
                throw new PoisonEventException($"the text of goal {TextRules.Echo(goal.GoalId)} {textFault}");
            }

            if (!goals.TryAdd(IdOf(goal.GoalId, "goals.goal_id"), goal.Text))
            {
                throw new PoisonEventException($"goal {goal.GoalId} is listed twice");
            }
        }

        var time = new Validation();
        var occurredAt = time.Instant(message.OccurredAt, "occurred_at");
        if (!time.IsValid)
        {
            throw new PoisonEventException("occurred_at is not an instant between years 1 and 9999");
        }

        var approvedAt = occurredAt ?? context.Time ?? throw new PoisonEventException("occurred_at is missing");

        var plan = await db.LockApprovedPlanAsync(planId, ct);
        if (plan is null)
        {
            plan = ApprovedPlan.Approve(planId, watershedCode, versionId, version.Number, goals, approvedAt);
            db.ApprovedPlans.Add(plan);
        }
        else if (!plan.ApproveNewer(versionId, version.Number, goals, approvedAt, watershedCode))
        {
            return;
        }

        foreach (var target in await db.PlanTargets.Where(t => t.PlanId == planId).ToListAsync(ct))
        {
            target.FollowApproval(plan);
        }
    }

    /// <summary>Land use states at most 30 goals per version; this leaves room for it to grow without dead-lettering approvals.</summary>
    private const int MaxGoals = 100;

    private static Guid IdOf(string text, string field) =>
        Guid.TryParse(text, out var id) && id != Guid.Empty ? id : throw new PoisonEventException($"{field} '{TextRules.Echo(text)}' is not an id");
}
