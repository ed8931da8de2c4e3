using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.V1;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain;
using Watershed.ServiceDefaults.Events;
using ExternalReference = Watershed.LandUse.Domain.ExternalReference;

namespace Watershed.LandUse.Grpc;

/// <summary>
/// When an assembly approves a PLAN_APPROVAL proposal citing a version of ours, land use approves that version
/// itself, by the same rule as ApprovePlanVersion. The event is the decision: consultation is the only publisher of
/// its topic (the pub/sub component's scopes), so land use does not call back to ask. Anything else (rejected,
/// another type, a version unknown here, another watershed, a version no longer in consultation) is no change.
/// </summary>
public sealed partial class ProposalDecidedHandler(
    LandUseDbContext db,
    TimeProvider clock,
    LandUseTelemetry telemetry,
    ILogger<ProposalDecidedHandler> logger) : IEventHandler<ProposalDecided>
{
    public async Task HandleAsync(ProposalDecided message, EventContext context, CancellationToken ct)
    {
        if (!Guid.TryParse(message.ProposalId, out var proposalId))
        {
            throw new PoisonEventException("proposal_id is not a UUID");
        }

        var cited = message.References
            .Where(r => r.Kind == PlanApprovalRule.VersionReferenceKind)
            .Select(r => Guid.TryParse(r.Id, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .ToList();
        if (message.State != ProposalState.Approved || message.Type != ProposalType.PlanApproval || cited.Count == 0)
        {
            LogIgnored(logger, proposalId, "not an approved plan approval citing a plan version");
            return;
        }

        var decision = new ConsultationProposal(proposalId, message.Scope?.WatershedCode ?? string.Empty, IsPlanApproval: true, IsApproved: true,
            [.. message.References.Select(r => new ExternalReference(r.Kind, r.Id))]);
        foreach (var versionId in cited)
        {
            await ApproveAsync(versionId, decision, ct);
        }
    }

    private async Task ApproveAsync(Guid versionId, ConsultationProposal decision, CancellationToken ct)
    {
        var planId = await db.PlanVersions.Where(v => v.Id == versionId).Select(v => (Guid?)v.PlanId).SingleOrDefaultAsync(ct);
        if (planId is null)
        {
            LogIgnored(logger, decision.Id, $"version {versionId} is not a version here");
            return;
        }

        var plan = await db.LockPlanAsync(planId.Value, ct);
        var watershed = await db.WatershedUnits.AsNoTracking().SingleAsync(w => w.Id == plan.WatershedId, ct);
        var version = plan.Version(versionId);
        if (version.State != PlanVersionState.InConsultation || watershed.Code != decision.WatershedCode)
        {
            LogIgnored(logger, decision.Id, $"version {versionId} is {version.State} in watershed {watershed.Code}");
            return;
        }

        using var span = telemetry.StartApproval(plan.Id, version.Id, decision.Id);
        await db.LoadZonesAsync(version, ct);
        var now = clock.GetUtcNow();
        var superseded = plan.Approve(PlanApprovalRule.Evaluate(version, watershed, decision.Id, decision), now);
        db.Approved(plan, version, superseded, decision.Id, watershed, now);
        await db.SavePlanAsync(plan, ct);
        telemetry.Approval(LandUseTelemetry.Outcome.Approved, watershed.Code);
        LogApproved(logger, plan.Id, version.Id, decision.Id);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Proposal {ProposalId} decided: no plan version to approve ({Reason})")]
    private static partial void LogIgnored(ILogger logger, Guid proposalId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Plan {PlanId} version {PlanVersionId} approved by the assembly's decision on proposal {ProposalId}")]
    private static partial void LogApproved(ILogger logger, Guid planId, Guid planVersionId, Guid proposalId);
}
