using Google.Rpc;
using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Grpc;
using Watershed.Testing;
using D = Watershed.Consultation.Domain;

namespace Watershed.Consultation.Tests.Api;

/// <summary>Correcting a mis-keyed vote: VoidVote appends to the log, the member votes again, the acta lists the void.</summary>
public sealed class VoidVoteTests : PostgresApiTest
{
    /// <summary>The published log, read back into the domain's entries and checked with its chain rule.</summary>
    internal static D.Tally? Recompute(string ballotId, GetBallotLogResponse log) =>
        D.BallotChain.Verify(Guid.Parse(ballotId), log.Entries.Select(e => e.Kind switch
        {
            BallotLogEntryKind.Void => D.BallotLogEntry.ForVoid(Guid.Parse(ballotId), e.Sequence, e.VoidedSequence, e.Reason, e.PreviousHash, e.EntryHash),
            BallotLogEntryKind.PaperTally => D.BallotLogEntry.ForPaperTally(Guid.Parse(ballotId), e.Sequence,
                new D.PaperCount(e.PaperCount.Yes, e.PaperCount.No, e.PaperCount.Abstain, e.PaperCount.Block, e.PaperCount.Blank, e.PaperCount.Spoiled),
                e.BallotsIssued, e.PreviousHash, e.EntryHash),
            _ => new D.BallotLogEntry(Guid.Parse(ballotId), e.Sequence, e.ReceiptCode, e.Choice.ToDomain<VoteChoice, D.VoteChoice>(),
                e.MemberId.Length == 0 ? null : e.MemberId, e.PreviousHash, e.EntryHash),
        }), log.HeadHash);

    private async Task<(Scenario S, Ballot Ballot)> OpenBallotAsync(int voters = 3, BallotSecrecy secrecy = BallotSecrecy.Public)
    {
        var s = await Scenario.CreateAsync(App, voters: voters);
        await s.OpenAssemblyAsync(present: voters);
        return (s, await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General), secrecy: secrecy));
    }

    private static Task<VoidVoteResponse> VoidAsync(Scenario s, Ballot ballot, Member member, string reason = "Tecla equivocada: era NO") =>
        s.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest { BallotId = ballot.Id, MemberId = member.Id, Reason = reason }).ResponseAsync;

    [Fact]
    public async Task A_mis_keyed_vote_is_voided_with_its_reason_and_the_member_votes_again()
    {
        var (s, ballot) = await OpenBallotAsync();
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "mis-keyed-1");
        await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.No, "second-vote");

        var voided = await VoidAsync(s, ballot, s.Voters[0]);
        Assert.Equal(new BallotLogEntry
        {
            Sequence = 3,
            Kind = BallotLogEntryKind.Void,
            VoidedSequence = 1,
            Reason = "Tecla equivocada: era NO",
            PreviousHash = voided.Entry.PreviousHash,
            EntryHash = voided.Entry.EntryHash,
        }, voided.Entry);
        Assert.Equal((1, 0, 1, 1), (voided.Ballot.Tally.Cast, voided.Ballot.Tally.Yes, voided.Ballot.Tally.No, voided.Ballot.Voided));

        var again = await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, "corrected-1");
        Assert.Equal(4, again.Receipt.Sequence);

        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Equal([BallotLogEntryKind.Vote, BallotLogEntryKind.Vote, BallotLogEntryKind.Void, BallotLogEntryKind.Vote], log.Entries.Select(e => e.Kind));
        Assert.Equal(new D.Tally(0, 2, 0, 0), Recompute(ballot.Id, log));
        var participants = await s.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id });
        Assert.Equal(2, participants.Participants.Count);
        Assert.Equal(1, participants.NotYetVoted);

        var closed = (await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((0, 2, 2, 1, false), (closed.Tally.Yes, closed.Tally.No, closed.Tally.Cast, closed.Voided, closed.Result.Approved));
        await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = s.Assembly!.Id });
        var minutes = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id });
        var decision = Assert.Single(minutes.Minutes.Decisions);
        Assert.Equal(new VoidedVote { Sequence = 3, VoidedSequence = 1, Reason = "Tecla equivocada: era NO" }, Assert.Single(decision.Voids));
        Assert.Contains("Voto anulado antes del cierre: entrada 1 del registro (anulada por la entrada 3). Motivo: Tecla equivocada: era NO", minutes.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_voided_receipt_says_so_and_replaying_its_request_is_refused()
    {
        var (s, ballot) = await OpenBallotAsync(secrecy: BallotSecrecy.Public);
        var first = await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "mis-keyed-1");
        var voided = await VoidAsync(s, ballot, s.Voters[0]);

        var verified = await s.Facilitator.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = first.Receipt.ReceiptCode });
        Assert.Equal((1L, voided.Entry.Sequence), (verified.Entry.Sequence, verified.VoidedBySequence));

        var before = await App.SnapshotAsync();
        var replay = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "mis-keyed-1"));
        Assert.Equal("VOTE_VOIDED", replay.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations[0].Type);
        Assert.True(before.Equals(await App.SnapshotAsync()));
    }

    [Fact]
    public async Task A_void_is_refused_without_a_counted_vote_for_a_direct_vote_and_once_closed_and_changes_nothing()
    {
        var (s, ballot) = await OpenBallotAsync();
        var own = App.ClientsFor(TestTokens.Member(Guid.Parse(s.Voters[1].PersonId), "pomacanchi"));
        await own.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = s.Voters[1].Id, Choice = VoteChoice.Yes, ClientRequestId = "own-vote-1" });
        await s.RecordVoteAsync(ballot, s.Voters[2], VoteChoice.No, "recorded-1");
        await VoidAsync(s, ballot, s.Voters[2]);

        async Task RefusedAsync(Member member, string type)
        {
            var before = await App.SnapshotAsync();
            var refused = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => VoidAsync(s, ballot, member));
            Assert.Equal(type, refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations[0].Type);
            var after = await App.SnapshotAsync();
            Assert.True(before.Equals(after), string.Join(", ", before.Differences(after)));
        }

        await RefusedAsync(s.Voters[0], "NO_COUNTED_VOTE"); // never voted
        await RefusedAsync(s.Voters[2], "NO_COUNTED_VOTE"); // voided already
        await RefusedAsync(s.Voters[1], "DIRECT_VOTE");
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "recorded-2");
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        await RefusedAsync(s.Voters[0], "BALLOT_STATE");
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            s.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest { BallotId = ballot.Id, MemberId = Guid.NewGuid().ToString(), Reason = "x" }).ResponseAsync);
    }

    [Fact]
    public async Task A_void_and_a_new_vote_of_the_same_member_racing_leave_one_counted_vote_and_a_log_that_recomputes()
    {
        var (s, ballot) = await OpenBallotAsync(voters: 2);
        for (var round = 0; round < 8; round++)
        {
            await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, $"round-{round}-first");
            var outcomes = await RaceTests.RaceAsync(
                () => VoidAsync(s, ballot, s.Voters[0]),
                () => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, $"round-{round}-again"));

            // The void always wins its own vote; the new vote either follows it or finds the old one still counted.
            Assert.Equal(StatusCode.OK, outcomes[0]);
            Assert.Contains(outcomes[1], new[] { StatusCode.OK, StatusCode.AlreadyExists });
            var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id, Limit = 10_000 });
            var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
            var recomputed = Recompute(ballot.Id, log);
            Assert.NotNull(recomputed);
            Assert.Equal((recomputed.Yes, recomputed.No), (live.Tally.Yes, live.Tally.No));
            Assert.Equal(outcomes[1] == StatusCode.OK ? 1 : 0, live.Tally.Cast);
            if (outcomes[1] == StatusCode.OK)
            {
                await VoidAsync(s, ballot, s.Voters[0]);
            }
        }
    }
}
