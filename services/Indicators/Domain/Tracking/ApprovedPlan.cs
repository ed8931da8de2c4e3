using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Tracking;

/// <summary>A goal of a land-use plan as its approved version in force states it.</summary>
public sealed class PlanGoal
{
    internal PlanGoal(Guid planId, Guid goalId, string text)
    {
        PlanId = planId;
        GoalId = goalId;
        Text = text;
    }

    public Guid PlanId { get; private set; }

    public Guid GoalId { get; private set; }

    public string Text { get; internal set; }
}

/// <summary>
/// What the land-use service last approved of a plan, as its PlanVersionApproved events told: the version in force
/// and its goals. A plan without one is unknown here (no approval received yet), and its targets are taken on trust.
/// </summary>
public sealed class ApprovedPlan
{
    private readonly List<PlanGoal> _goals = [];

    private ApprovedPlan(Guid planId, string watershedCode, Guid versionId, int versionNumber, DateTimeOffset approvedAt)
    {
        PlanId = planId;
        WatershedCode = watershedCode;
        VersionId = versionId;
        VersionNumber = versionNumber;
        ApprovedAt = approvedAt;
    }

    public Guid PlanId { get; private set; }

    /// <summary>The watershed the plan belongs to, as land use named it; empty for an approval recorded before it was kept.</summary>
    public string WatershedCode { get; private set; }

    /// <summary>The approved version in force.</summary>
    public Guid VersionId { get; private set; }

    /// <summary>Its number in the plan: an approval of a lower or equal number arrives late and changes nothing.</summary>
    public int VersionNumber { get; private set; }

    public DateTimeOffset ApprovedAt { get; private set; }

    public IReadOnlyList<PlanGoal> Goals => _goals;

    public static ApprovedPlan Approve(Guid planId, string watershedCode, Guid versionId, int versionNumber, IReadOnlyDictionary<Guid, string> goals, DateTimeOffset approvedAt)
    {
        ArgumentNullException.ThrowIfNull(goals);
        var plan = new ApprovedPlan(planId, watershedCode, versionId, versionNumber, approvedAt);
        plan._goals.AddRange(goals.Select(g => new PlanGoal(planId, g.Key, g.Value)));
        return plan;
    }

    /// <summary>
    /// Puts a newer approved version in force: its goals replace the plan's (kept goals take the new text).
    /// False when <paramref name="versionNumber"/> is not newer than the version in force: events of different
    /// versions are not ordered, so a late approval of an older version must not bring its goals back.
    /// </summary>
    public bool ApproveNewer(Guid versionId, int versionNumber, IReadOnlyDictionary<Guid, string> goals, DateTimeOffset approvedAt, string watershedCode = "")
    {
        ArgumentNullException.ThrowIfNull(goals);
        if (watershedCode.Length > 0 && WatershedCode.Length == 0)
        {
            // A plan approved before its watershed was kept learns it from any later approval, late ones included.
            WatershedCode = watershedCode;
        }

        if (versionNumber <= VersionNumber)
        {
            return false;
        }

        VersionId = versionId;
        VersionNumber = versionNumber;
        ApprovedAt = approvedAt;
        _goals.RemoveAll(g => !goals.ContainsKey(g.GoalId));
        foreach (var (goalId, text) in goals)
        {
            if (_goals.Find(g => g.GoalId == goalId) is { } kept)
            {
                kept.Text = text;
            }
            else
            {
                _goals.Add(new PlanGoal(PlanId, goalId, text));
            }
        }

        return true;
    }

    public bool HasGoal(Guid goalId) => _goals.Exists(g => g.GoalId == goalId);

    /// <summary>Whether the plan is known to belong to another watershed than <paramref name="watershedCode"/>.</summary>
    public bool BelongsElsewhere(string watershedCode) => WatershedCode.Length > 0 && WatershedCode != watershedCode;

    /// <summary>
    /// A target measures its plan in one of the plan's own areas: a plan known to belong to another watershed is the
    /// caller's mistake (INVALID_ARGUMENT plan_id). The handler first answers a caller who may not read that watershed
    /// PERMISSION_DENIED, as any read of the plan would be.
    /// </summary>
    public void RequireWatershed(string watershedCode)
    {
        if (BelongsElsewhere(watershedCode))
        {
            throw new InvalidArgumentException("plan_id", $"is a plan of watershed '{WatershedCode}', not of '{watershedCode}' where the target's area lies");
        }
    }

    /// <summary>
    /// A new target must measure a goal in force. FAILED_PRECONDITION rather than INVALID_ARGUMENT: the request is
    /// well formed, and whether the goal is in force depends on what land use approved, which may change between calls.
    /// </summary>
    public void RequireGoal(Guid goalId)
    {
        if (!HasGoal(goalId))
        {
            throw new PreconditionFailedException("PLAN_GOAL", $"plans/{PlanId}/goals/{goalId}",
                $"Goal {goalId} is not a goal of the plan's approved version {VersionId}.");
        }
    }
}
