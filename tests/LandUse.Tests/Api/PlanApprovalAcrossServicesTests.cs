using Grpc.Core;
using Microsoft.Extensions.Logging;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// Approval needs the assembly's decision: land use asks the real consultation service (its own
/// process, over a loopback socket) and changes nothing unless consultation answers yes.
/// </summary>
public sealed class PlanApprovalAcrossServicesTests(ConsultationProcess consultation) : IClassFixture<ConsultationProcess>, IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private readonly string _code = $"pomacanchi-{Guid.NewGuid():N}"[..20];
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(consultation.Service.Address, _logs);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private PlanService.PlanServiceClient Plans => _app.Plans(TestTokens.Facilitator(_code));

    private async Task<(V1.Plan Plan, V1.PlanVersion Version)> InConsultationAsync()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app, _code);
        var submitted = (await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        Assert.Equal(PlanVersionState.InConsultation, submitted.State);
        return (plan, submitted);
    }

    [Fact]
    public async Task The_assemblys_approval_approves_the_version_and_the_next_approval_supersedes_it()
    {
        var (plan, version) = await InConsultationAsync();
        var decision = await new AssemblyDecision(consultation.Service.Address).DecideAsync(_code, version.Id, approve: true);

        var approved = await Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = decision.Id });
        Assert.Equal(PlanVersionState.Approved, approved.PlanVersion.State);
        Assert.Equal(decision.Id, approved.PlanVersion.ApprovedByProposalId);
        Assert.Equal(string.Empty, approved.SupersededVersionId);

        var second = (await Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;
        Assert.Equal(2, second.Number);
        Assert.Equal(4, second.ZoneCount);
        await Plans.RemoveZoneAsync(new RemoveZoneRequest { PlanVersionId = second.Id, ZoneCode = "REC-01" });
        await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = second.Id });
        var secondDecision = await new AssemblyDecision(consultation.Service.Address).DecideAsync(_code, second.Id, approve: true);
        var approvedSecond = await Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = second.Id, ProposalId = secondDecision.Id });
        Assert.Equal(version.Id, approvedSecond.SupersededVersionId);

        var first = (await Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = version.Id })).PlanVersion;
        Assert.Equal(PlanVersionState.Superseded, first.State);
        var current = (await Plans.GetPlanAsync(new GetPlanRequest { PlanId = plan.Id })).Plan;
        Assert.Equal((second.Id, string.Empty), (current.ApprovedVersionId, current.OpenVersionId));
    }

    [Fact]
    public async Task An_approval_is_seen_as_a_span_with_its_ids_a_counted_outcome_and_a_log_of_ids()
    {
        var (plan, version) = await InConsultationAsync();
        var decision = await new AssemblyDecision(consultation.Service.Address).DecideAsync(_code, version.Id, approve: true);
        using var telemetry = new TelemetryCapture("watershed-landuse");

        await Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = decision.Id });

        var span = Assert.Single(telemetry.Spans, s => (string?)s.GetTagItem("plan_version.id") == version.Id);
        Assert.Equal("ApprovePlanVersion", span.OperationName);
        Assert.Equal((plan.Id, decision.Id), ((string?)span.GetTagItem("plan.id"), (string?)span.GetTagItem("proposal.id")));
        var counted = Assert.Single(telemetry.Measurements, m => m.Instrument == "watershed.landuse.approvals" && m.Tags["watershed.code"] == _code);
        Assert.Equal((1, "approved"), (counted.Value, counted.Tags["outcome"]));
        var logged = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Information && e.Category.EndsWith("PlanGrpcService", StringComparison.Ordinal));
        Assert.Equal($"Plan {plan.Id} version {version.Id} approved by proposal {decision.Id}; superseded version (null)", logged.Message);
    }

    [Fact]
    public async Task A_rejected_proposal_does_not_approve_and_nothing_changes()
    {
        var (_, version) = await InConsultationAsync();
        var decision = await new AssemblyDecision(consultation.Service.Address).DecideAsync(_code, version.Id, approve: false);
        var before = await _app.SnapshotAsync();
        using var telemetry = new TelemetryCapture("watershed-landuse");

        var ex = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = decision.Id }).ResponseAsync);
        Assert.Contains("has not approved", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await _app.SnapshotAsync());
        var counted = Assert.Single(telemetry.Measurements, m => m.Instrument == "watershed.landuse.approvals" && m.Tags["watershed.code"] == _code);
        Assert.Equal((1, "refused"), (counted.Value, counted.Tags["outcome"]));
    }

    [Fact]
    public async Task A_proposal_approving_another_version_or_unknown_to_consultation_is_refused()
    {
        var (_, version) = await InConsultationAsync();
        var elsewhere = await new AssemblyDecision(consultation.Service.Address).DecideAsync(_code, Guid.NewGuid().ToString(), approve: true);
        var ex = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = elsewhere.Id }).ResponseAsync);
        Assert.Contains("does not reference", ex.Status.Detail, StringComparison.Ordinal);

        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = Guid.NewGuid().ToString() }).ResponseAsync);
        var still = (await Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = version.Id })).PlanVersion;
        Assert.Equal(PlanVersionState.InConsultation, still.State);
    }

    [Fact]
    public async Task Another_watersheds_assembly_cannot_approve_this_plan()
    {
        var (_, version) = await InConsultationAsync();
        var other = $"cachora-{Guid.NewGuid():N}"[..18];
        var decision = await new AssemblyDecision(consultation.Service.Address).DecideAsync(other, version.Id, approve: true);
        // A facilitator of both watersheds can read the decision, and still cannot use it here.
        var both = _app.Plans(TestTokens.Create("both", ["facilitator"], [_code, other]));
        var ex = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            both.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = decision.Id }).ResponseAsync);
        Assert.Contains("decided in watershed", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_who_cannot_read_the_decision_in_consultation_is_denied()
    {
        var (_, version) = await InConsultationAsync();
        var other = $"cachora-{Guid.NewGuid():N}"[..18];
        var decision = await new AssemblyDecision(consultation.Service.Address).DecideAsync(other, version.Id, approve: true);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = decision.Id }).ResponseAsync);
    }
}

/// <summary>With consultation unreachable, approval answers UNAVAILABLE, changes nothing and logs consultation's error.</summary>
public sealed class PlanApprovalWithConsultationDownTests : IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort(), _logs);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Approval_is_unavailable_and_changes_nothing()
    {
        var code = $"down-{Guid.NewGuid():N}"[..17];
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app, code);
        var plans = _app.Plans(TestTokens.Facilitator(code));
        await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        var before = await _app.SnapshotAsync();
        using var telemetry = new TelemetryCapture("watershed-landuse");

        var ex = await GrpcStatusAssert.ThrowsAsync(StatusCode.Unavailable, () =>
            plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = draft.Id, ProposalId = Guid.NewGuid().ToString() }).ResponseAsync);
        Assert.Contains("consultation", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await _app.SnapshotAsync());
        var counted = Assert.Single(telemetry.Measurements, m => m.Instrument == "watershed.landuse.approvals" && m.Tags["watershed.code"] == code);
        Assert.Equal((1, "unavailable"), (counted.Value, counted.Tags["outcome"]));
        // The interceptor logs consultation's own error, kept as the inner exception, as a warning.
        var warning = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("ApprovePlanVersion", StringComparison.Ordinal));
        Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(warning.Exception).StatusCode);
        var still = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        Assert.Equal(PlanVersionState.InConsultation, still.State);
    }
}
