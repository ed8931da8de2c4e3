using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Common.V1;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Each command that changes an assembly or a ballot writes its event to the outbox with the change (the relay is
/// off in tests, so the rows wait there); a refused command writes none.
/// </summary>
public sealed class EventTests : PostgresApiTest
{
    private static readonly ExternalReference PlanVersion = new() { Kind = "landuse.plan_version", Id = "0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8c9" };

    private static ConsultationScope ScopeOf(Scenario s) => new() { WatershedId = s.Watershed.Id, WatershedCode = "pomacanchi", SpaceId = s.Space.Id };

    private async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsultationDbContext>();
        return await db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Sequence).ToListAsync();
    }

    /// <summary>The one row about <paramref name="subject"/> of the event type <typeparamref name="T"/>, parsed.</summary>
    private static T Single<T>(List<OutboxMessage> rows, string subject)
        where T : IMessage<T>, new()
    {
        var descriptor = new T().Descriptor;
        var row = Assert.Single(rows, r => r.Subject == subject && r.Type == descriptor.FullName);
        Assert.Equal(EventTopics.For(descriptor), row.Topic);
        var message = (T)descriptor.Parser.ParseJson(row.Data);
        var occurredAt = (Google.Protobuf.WellKnownTypes.Timestamp)descriptor.FindFieldByName("occurred_at").Accessor.GetValue(message);
        Assert.Equal(row.OccurredAt, occurredAt.ToDateTimeOffset());
        return message;
    }

    [Fact]
    public async Task An_assembly_publishes_when_convened_opened_and_closed_and_closing_counts_its_decisions()
    {
        var s = await Scenario.CreateAsync(App, voters: 5);
        var opened = await s.OpenAssemblyAsync(present: 4);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        var closed = (await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = opened.Id })).Assembly;

        var rows = await OutboxAsync();
        var subject = $"assemblies/{opened.Id}";
        Assert.Equal(
            ["watershed.consultation.v1.AssemblyConvened", "watershed.consultation.v1.AssemblyOpened", "watershed.consultation.v1.AssemblyClosed"],
            rows.Where(r => r.Subject == subject).Select(r => r.Type));

        var convened = Single<AssemblyConvened>(rows, subject);
        Assert.Equal(new AssemblyConvened
        {
            AssemblyId = opened.Id,
            Scope = ScopeOf(s),
            Title = "Asamblea ordinaria de noviembre",
            Place = "Local comunal de Manzanares",
            ScheduledAt = opened.ScheduledAt,
            Agenda = { "Informe de la directiva", "Plan de uso del suelo" },
            OccurredAt = convened.OccurredAt,
        }, convened);

        var openedEvent = Single<AssemblyOpened>(rows, subject);
        Assert.Equal(new AssemblyOpened
        {
            AssemblyId = opened.Id,
            Scope = ScopeOf(s),
            Title = "Asamblea ordinaria de noviembre",
            Quorum = opened.Quorum,
            OccurredAt = opened.OpenedAt,
        }, openedEvent);
        Assert.Equal((AssemblyCall.First, 5, 4), (openedEvent.Quorum.Call, openedEvent.Quorum.VotingMembersOnRoll, openedEvent.Quorum.VotingMembersPresent));

        Assert.Equal(new AssemblyClosed
        {
            AssemblyId = opened.Id,
            Scope = ScopeOf(s),
            Title = "Asamblea ordinaria de noviembre",
            Decisions = 1,
            OccurredAt = closed.ClosedAt,
        }, Single<AssemblyClosed>(rows, subject));
    }

    [Fact]
    public async Task A_ballot_publishes_when_opened_and_when_closed_with_its_count_and_the_decision_on_its_proposal()
    {
        var s = await Scenario.CreateAsync(App, voters: 5);
        await s.OpenAssemblyAsync(present: 4);
        var proposal = await s.ProposalOnAgendaAsync(ProposalType.PlanApproval, "Aprobar el plan de uso del suelo", PlanVersion);
        var ballot = await s.OpenBallotAsync(proposal);
        foreach (var voter in s.Voters.Take(4))
        {
            await s.RecordVoteAsync(ballot, voter, VoteChoice.Yes);
        }

        var closing = await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        var rows = await OutboxAsync();

        Assert.Equal(new BallotOpened
        {
            BallotId = ballot.Id,
            Scope = ScopeOf(s),
            ProposalId = proposal.Id,
            AssemblyId = s.Assembly!.Id,
            ProposalTitle = "Aprobar el plan de uso del suelo",
            ProposalType = ProposalType.PlanApproval,
            Rule = ballot.Rule,
            Secret = ballot.Secret,
            Eligible = 4,
            OccurredAt = ballot.OpenedAt,
        }, Single<BallotOpened>(rows, $"ballots/{ballot.Id}"));

        var closed = Single<BallotClosed>(rows, $"ballots/{ballot.Id}");
        Assert.Equal(new BallotClosed
        {
            BallotId = ballot.Id,
            Scope = ScopeOf(s),
            ProposalId = proposal.Id,
            AssemblyId = s.Assembly.Id,
            ProposalTitle = "Aprobar el plan de uso del suelo",
            ProposalType = ProposalType.PlanApproval,
            Rule = ballot.Rule,
            Tally = new Tally { Yes = 4, Cast = 4 },
            Eligible = 4,
            Roll = 5,
            Result = closing.Ballot.Result,
            LogHeadHash = closing.Ballot.LogHeadHash,
            OccurredAt = closing.Ballot.ClosedAt,
        }, closed);
        Assert.True(closed.Result.Approved);
        Assert.Equal(64, closed.LogHeadHash.Length);

        Assert.Equal(new ProposalDecided
        {
            ProposalId = proposal.Id,
            Scope = ScopeOf(s),
            Title = "Aprobar el plan de uso del suelo",
            Type = ProposalType.PlanApproval,
            State = ProposalState.Approved,
            BallotId = ballot.Id,
            AssemblyId = s.Assembly.Id,
            References = { PlanVersion },
            OccurredAt = closing.Ballot.ClosedAt,
        }, Single<ProposalDecided>(rows, $"proposals/{proposal.Id}"));
    }

    [Fact]
    public async Task A_rejected_proposal_is_published_as_rejected()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        var proposal = await s.ProposalOnAgendaAsync(ProposalType.General);
        var ballot = await s.OpenBallotAsync(proposal);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No);
        await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.No);
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });

        var rows = await OutboxAsync();
        var decided = Single<ProposalDecided>(rows, $"proposals/{proposal.Id}");
        Assert.Equal(ProposalState.Rejected, decided.State);
        Assert.Empty(decided.References);
        var closed = Single<BallotClosed>(rows, $"ballots/{ballot.Id}");
        Assert.Equal(new Tally { No = 2, Cast = 2 }, closed.Tally);
        Assert.False(closed.Result.Approved);
    }

    [Fact]
    public async Task Refused_commands_write_no_outbox_row()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        var assembly = await s.OpenAssemblyAsync(present: 3);
        var proposal = await s.ProposalOnAgendaAsync(ProposalType.General);
        var ballot = await s.OpenBallotAsync(proposal);
        var member = App.ClientsFor(TestTokens.Member(Guid.Parse(s.Voters[0].PersonId), "pomacanchi"));
        var before = await OutboxAsync();

        // A ballot is open: the assembly cannot close.
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            s.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            member.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            member.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
            {
                SpaceId = s.Space.Id, Title = "T", Place = "P", ScheduledAt = assembly.ScheduledAt,
            }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id }).ResponseAsync);
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        var afterClose = await OutboxAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id }).ResponseAsync);

        Assert.Equal(before.Count + 2, afterClose.Count);
        Assert.Equal(afterClose.Select(r => r.Id), (await OutboxAsync()).Select(r => r.Id));
    }

    [Fact]
    public async Task Raced_openings_and_closings_of_one_ballot_publish_each_event_once()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        for (var round = 0; round < 5; round++)
        {
            var proposal = await s.ProposalOnAgendaAsync(ProposalType.General, $"Propuesta {round}");
            var opened = await RaceTests.RaceAsync(
                () => s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id }).ResponseAsync,
                () => s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id }).ResponseAsync);
            Assert.Single(opened, StatusCode.OK);
            var ballotId = (await s.Facilitator.Proposals.GetProposalAsync(new GetProposalRequest { ProposalId = proposal.Id })).Proposal.BallotId;

            var closed = await RaceTests.RaceAsync(
                () => s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballotId }).ResponseAsync,
                () => s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballotId }).ResponseAsync);
            Assert.Equal([StatusCode.OK, StatusCode.FailedPrecondition], closed.Order());

            var rows = await OutboxAsync();
            Assert.Equal(
                ["watershed.consultation.v1.BallotOpened", "watershed.consultation.v1.BallotClosed"],
                rows.Where(r => r.Subject == $"ballots/{ballotId}").Select(r => r.Type));
            Assert.Equal(["watershed.consultation.v1.ProposalDecided"], rows.Where(r => r.Subject == $"proposals/{proposal.Id}").Select(r => r.Type));
        }
    }
}
