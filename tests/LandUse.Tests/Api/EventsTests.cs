using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.LandUse.Data;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using EventStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// Land use's events: submitting and withdrawing versions write their events with the change, and an assembly's
/// approval arriving as consultation's ProposalDecided approves the cited version once, however often it comes.
/// </summary>
public sealed class EventsTests : IAsyncLifetime
{
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LandUseDbContext>().Set<OutboxMessage>().OrderBy(m => m.Sequence).ToListAsync();
    }

    private static ProposalDecided Decision(string code, string versionId, ProposalState state = ProposalState.Approved, ProposalType type = ProposalType.PlanApproval) => new()
    {
        ProposalId = Guid.CreateVersion7().ToString(),
        Scope = new ConsultationScope { WatershedCode = code, WatershedId = Guid.CreateVersion7().ToString(), SpaceId = Guid.CreateVersion7().ToString() },
        Title = "Aprobar el POT",
        Type = type,
        State = state,
        References = { new ExternalReference { Kind = "landuse.plan_version", Id = versionId } },
    };

    private Task<EventStatus> DeliverAsync(IMessage message, string eventId, string? data = null) =>
        DaprCallback.DeliverAsync(_app.Channel(), EventTopics.For(message.Descriptor), message, eventId, "proposals/x", data);

    private async Task<V1.PlanVersion> VersionAsync(string id) =>
        (await _app.Plans(TestTokens.Admin()).GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = id })).PlanVersion;

    [Fact]
    public async Task Submitting_writes_the_event_with_the_change_and_a_refused_submit_writes_none()
    {
        var (watershed, plan, draft) = await Sample.PlanWithZonesAsync(_app, "ev-submit");
        var plans = _app.Plans(TestTokens.Facilitator("ev-submit"));
        await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        await GrpcStatusAssert.ThrowsAsync(global::Grpc.Core.StatusCode.FailedPrecondition, () =>
            plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id }).ResponseAsync);

        var row = Assert.Single(await OutboxAsync());
        Assert.Equal(("landuse.plan_version_submitted.v1", $"plans/{plan.Id}/versions/{draft.Id}"), (row.Topic, row.Subject));
        var submitted = PlanVersionSubmitted.Parser.ParseJson(row.Data);
        Assert.Equal((plan.Id, draft.Id, 1, plan.Title, watershed.Id, "ev-submit", 4),
            (submitted.Version.PlanId, submitted.Version.PlanVersionId, submitted.Version.Number, submitted.Version.PlanTitle,
             submitted.Version.WatershedUnitId, submitted.Version.WatershedCode, submitted.ZoneCount));
        Assert.Equal(Hectares.SampleZones.Values.Sum(), submitted.AreaHa, 1e-6);
    }

    [Fact]
    public async Task An_assemblys_approval_approves_the_cited_version_once_however_often_it_arrives()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app, "ev-approve");
        await _app.Plans(TestTokens.Facilitator("ev-approve")).SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        var decision = Decision("ev-approve", draft.Id);

        Assert.Equal([EventStatus.Success, EventStatus.Success, EventStatus.Success],
            [await DeliverAsync(decision, "decided-1"), await DeliverAsync(decision, "decided-1"), await DeliverAsync(decision, "decided-1")]);

        Assert.Equal(PlanVersionState.Approved, (await VersionAsync(draft.Id)).State);
        var approvals = (await OutboxAsync()).Where(m => m.Topic == "landuse.plan_version_approved.v1").ToList();
        var approved = PlanVersionApproved.Parser.ParseJson(Assert.Single(approvals).Data);
        Assert.Equal((draft.Id, decision.ProposalId, string.Empty, 4), (approved.Version.PlanVersionId, approved.ProposalId, approved.SupersededVersionId, approved.ZoneCount));
        Assert.Equal(["Proteger las cabeceras de cuenca", "Recuperar laderas degradadas"], approved.Goals.Select(g => g.Text));
        var version = await VersionAsync(draft.Id);
        Assert.Equal(version.GoalItems.Select(g => (g.GoalId, g.Text)), approved.Goals.Select(g => (g.GoalId, g.Text)));
        Assert.All(approved.Goals, g => Assert.Equal(Watershed.LandUse.Domain.PlanGoal.Of(Guid.Parse(plan.Id), g.Text).Id.ToString(), g.GoalId));
        Assert.Equal($"plans/{plan.Id}/versions/{draft.Id}", approvals[0].Subject);

        // A planner who then approves by hand, citing the same decision, gets the approved version; nothing changes.
        var before = await _app.SnapshotAsync();
        var again = await _app.Plans(TestTokens.Facilitator("ev-approve")).ApprovePlanVersionAsync(
            new ApprovePlanVersionRequest { PlanVersionId = draft.Id, ProposalId = decision.ProposalId });
        Assert.Equal((PlanVersionState.Approved, decision.ProposalId), (again.PlanVersion.State, again.PlanVersion.ApprovedByProposalId));
        Assert.Empty(before.Differences(await _app.SnapshotAsync()));
    }

    [Fact]
    public async Task Decisions_that_approve_nothing_here_change_nothing_but_the_inbox()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app, "ev-noop");
        await _app.Plans(TestTokens.Facilitator("ev-noop")).SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        var before = await _app.SnapshotAsync();

        Assert.Equal(EventStatus.Success, await DeliverAsync(Decision("ev-noop", draft.Id, state: ProposalState.Rejected), "rejected"));
        Assert.Equal(EventStatus.Success, await DeliverAsync(Decision("ev-noop", draft.Id, type: ProposalType.General), "general"));
        Assert.Equal(EventStatus.Success, await DeliverAsync(Decision("another-watershed", draft.Id), "elsewhere"));
        Assert.Equal(EventStatus.Success, await DeliverAsync(Decision("ev-noop", Guid.CreateVersion7().ToString()), "unknown-version"));
        Assert.Equal(EventStatus.Drop, await DeliverAsync(Decision("ev-noop", draft.Id), "malformed", data: "{\"proposalId\": 42"));

        Assert.Equal(PlanVersionState.InConsultation, (await VersionAsync(draft.Id)).State);
        Assert.Equal(["inbox_messages"], before.Differences(await _app.SnapshotAsync()));
    }
}
