using Google.Protobuf.WellKnownTypes;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;
using Plan = Watershed.LandUse.Domain.Plan;
using PlanVersion = Watershed.LandUse.Domain.PlanVersion;
using WatershedUnit = Watershed.LandUse.Domain.WatershedUnit;

namespace Watershed.LandUse.Grpc;

/// <summary>The events a change of a plan's version publishes, added to the change's own unit of work.</summary>
internal static class PlanEvents
{
    public static void Submitted(this LandUseDbContext db, Plan plan, PlanVersion version, WatershedUnit watershed, DateTimeOffset now) =>
        db.AddEvent(new PlanVersionSubmitted
        {
            Version = Ref(plan, version, watershed),
            ZoneCount = version.Zones.Count,
            AreaHa = version.AreaHectares,
            OccurredAt = Timestamp.FromDateTimeOffset(now),
        }, Subject(version), now);

    /// <summary>The approval, and the supersession of the version approved before it (if any).</summary>
    public static void Approved(this LandUseDbContext db, Plan plan, PlanVersion version, PlanVersion? superseded, Guid proposalId,
        WatershedUnit watershed, DateTimeOffset now)
    {
        var approved = new PlanVersionApproved
        {
            Version = Ref(plan, version, watershed),
            ProposalId = proposalId.ToString(),
            SupersededVersionId = superseded?.Id.ToString() ?? string.Empty,
            ZoneCount = version.Zones.Count,
            AreaHa = version.AreaHectares,
            OccurredAt = Timestamp.FromDateTimeOffset(now),
        };
        approved.Goals.AddRange(version.Goals.Select(text => PlanGoal.Of(plan.Id, text))
            .Select(goal => new PlanGoalRef { GoalId = goal.Id.ToString(), Text = goal.Text }));
        db.AddEvent(approved, Subject(version), now);
        if (superseded is not null)
        {
            db.AddEvent(new PlanVersionSuperseded
            {
                Version = Ref(plan, superseded, watershed),
                SupersededByVersionId = version.Id.ToString(),
                OccurredAt = Timestamp.FromDateTimeOffset(now),
            }, Subject(superseded), now);
        }
    }

    public static void Withdrawn(this LandUseDbContext db, Plan plan, PlanVersion version, string reason, WatershedUnit watershed, DateTimeOffset now) =>
        db.AddEvent(new PlanVersionWithdrawn
        {
            Version = Ref(plan, version, watershed),
            Reason = reason.Trim(),
            OccurredAt = Timestamp.FromDateTimeOffset(now),
        }, Subject(version), now);

    private static string Subject(PlanVersion version) => $"plans/{version.PlanId}/versions/{version.Id}";

    private static PlanVersionRef Ref(Plan plan, PlanVersion version, WatershedUnit watershed) => new()
    {
        PlanId = plan.Id.ToString(),
        PlanVersionId = version.Id.ToString(),
        Number = version.Number,
        PlanTitle = plan.Title,
        WatershedUnitId = watershed.Id.ToString(),
        WatershedCode = watershed.Code,
    };
}
