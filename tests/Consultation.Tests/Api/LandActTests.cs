using Google.Rpc;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// A land act (a land-use change of communal land) needs an assembly convened for it: its call, fixed when it is
/// convened, must list the proposal. Otherwise the proposal cannot join an agenda and no ballot on it opens.
/// </summary>
public sealed class LandActTests : PostgresApiTest
{
    private async Task RefusedAsync(StatusCode code, string? type, Func<Task> call)
    {
        var before = await App.SnapshotAsync();
        var refused = await GrpcStatusAssert.ThrowsAsync(code, call);
        if (type is not null)
        {
            Assert.Equal(type, refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations[0].Type);
        }

        var after = await App.SnapshotAsync();
        Assert.True(before.Equals(after), string.Join(", ", before.Differences(after)));
    }

    [Fact]
    public async Task A_land_use_change_cannot_join_an_agenda_after_the_call()
    {
        var s = await Scenario.CreateAsync(App, voters: 6);
        await s.OpenAssemblyAsync(present: 6);
        var landAct = await s.SubmittedAsync(ProposalType.LandUseChange, "Arrendar 15 ha de la puna");
        var refused = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            s.Facilitator.Proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = landAct.Id, AssemblyId = s.Assembly!.Id }).ResponseAsync);
        Assert.Equal("LAND_ACT_NOT_CONVENED", refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations[0].Type);
        await RefusedAsync(StatusCode.FailedPrecondition, "LAND_ACT_NOT_CONVENED", () =>
            s.Facilitator.Proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = landAct.Id, AssemblyId = s.Assembly!.Id }).ResponseAsync);
        await RefusedAsync(StatusCode.FailedPrecondition, "PROPOSAL_STATE", () => s.OpenBallotAsync(landAct));

        // Other proposals still join an agenda at any time.
        await s.ProposalOnAgendaAsync(ProposalType.General, "Faena de limpieza de canales");
    }

    [Fact]
    public async Task An_assembly_convened_for_a_land_act_lists_it_in_its_call_votes_it_and_its_acta_says_so()
    {
        var s = await Scenario.CreateAsync(App, voters: 9);
        var landAct = await s.LandActAsync(present: 7, "Arrendar 15 ha de la puna");
        Assert.Equal((ProposalState.OnAgenda, s.Assembly!.Id), (landAct.State, landAct.AssemblyId));
        Assert.Equal([landAct.Id], s.Assembly.ProposalIds);

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<ConsultationDbContext>().Set<OutboxMessage>().AsNoTracking()
                .SingleAsync(m => m.Subject == $"assemblies/{s.Assembly.Id}" && m.Type == AssemblyConvened.Descriptor.FullName);
            Assert.Equal([landAct.Id], AssemblyConvened.Parser.ParseJson(row.Data).ProposalIds);
        }

        var ballot = await s.OpenBallotAsync(landAct);
        Assert.Equal(DecisionRule.TwoThirdsOfRoll, ballot.Rule);
        foreach (var voter in s.Voters.Take(6))
        {
            await s.RecordVoteAsync(ballot, voter, VoteChoice.Yes);
        }

        var closed = (await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.True(closed.Result.Approved); // 6 yes of 9 on the roll: two thirds needs 6
        await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = s.Assembly.Id });
        var minutes = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id });
        Assert.Contains("3. Propuesta convocada: Arrendar 15 ha de la puna", minutes.Text, StringComparison.Ordinal);
        Assert.Equal([landAct.Id], minutes.Minutes.Assembly.ProposalIds);
    }

    [Fact]
    public async Task A_call_lists_only_submitted_proposals_of_its_own_space()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        var draft = (await s.Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = s.Space.Id, Title = "Borrador", Type = ProposalType.LandUseChange, SubmittedByOrganizationId = s.Community!.Id,
        })).Proposal;
        var other = await Scenario.CreateAsync(App, code: "cachora", voters: 1);
        var foreign = await other.SubmittedAsync(ProposalType.LandUseChange, "De otra cuenca");
        var facilitatorOfBoth = App.ClientsFor(TestTokens.Facilitator("pomacanchi", "cachora"));

        Task Convene(Clients c, params string[] ids) => c.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = s.Space.Id, Title = "Extraordinaria", Place = "Local comunal",
            ScheduledAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 20, 15, 0, 0, TimeSpan.Zero)),
            ProposalIds = { ids },
        }).ResponseAsync;

        var otherSpace = (await s.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = s.Watershed.Id, Name = "Mesa", Kind = SpaceKind.RoundTable })).Space;
        var ofOtherSpace = (await s.Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = otherSpace.Id, Title = "De otra mesa", Type = ProposalType.General, SubmittedByOrganizationId = s.Community.Id,
        })).Proposal;
        await s.Facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = ofOtherSpace.Id });

        await RefusedAsync(StatusCode.FailedPrecondition, "PROPOSAL_STATE", () => Convene(s.Facilitator, draft.Id));
        await RefusedAsync(StatusCode.FailedPrecondition, "SPACE_MISMATCH", () => Convene(s.Facilitator, ofOtherSpace.Id));

        // Another watershed's proposal is unknown here, as any object of another watershed named beside the space.
        await RefusedAsync(StatusCode.NotFound, null, () => Convene(facilitatorOfBoth, foreign.Id));
        await RefusedAsync(StatusCode.NotFound, null, () => Convene(s.Facilitator, Guid.NewGuid().ToString()));
    }
}
