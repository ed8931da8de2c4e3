using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>CastVote under retries and races, on PostgreSQL where the races are real.</summary>
public sealed class CastVoteIdempotencyTests : PostgresApiTest
{
    private async Task<(Scenario S, Ballot Ballot)> OpenBallotAsync(int voters)
    {
        var s = await Scenario.CreateAsync(App, voters: voters);
        await s.OpenAssemblyAsync(present: voters);

        // Public, so the live counts and the log can be read while votes arrive.
        return (s, await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General), secrecy: BallotSecrecy.Public));
    }

    [Fact]
    public async Task Replaying_a_request_returns_the_original_receipt_and_counts_once()
    {
        var (s, ballot) = await OpenBallotAsync(3);
        var first = await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "retry-after-timeout-1");
        var again = await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "retry-after-timeout-1");
        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(first.Receipt, again.Receipt);
        var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal(1, live.Tally.Cast);
    }

    [Fact]
    public async Task The_same_request_id_with_another_choice_is_rejected()
    {
        var (s, ballot) = await OpenBallotAsync(3);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "request-0001");
        await GrpcStatusAssert.InvalidArgumentAsync(() => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, "request-0001"), "client_request_id");
        var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((1, 0), (live.Tally.Yes, live.Tally.No));
    }

    [Fact]
    public async Task A_second_vote_by_the_same_member_is_refused()
    {
        var (s, ballot) = await OpenBallotAsync(3);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "request-0001");
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, "request-0002"));
        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Single(log.Entries);
    }

    [Fact]
    public async Task The_same_vote_raced_from_many_tasks_counts_once()
    {
        var (s, ballot) = await OpenBallotAsync(3);
        const int racers = 24;
        using var start = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, racers).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.No, "raced-request-42");
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(tasks);

        Assert.Single(results.Select(r => r.Receipt.ReceiptCode).Distinct());
        Assert.Equal(1, results.Count(r => !r.Replayed));
        var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal(1, live.Tally.No);
        Assert.Equal(1, live.Tally.Cast);
        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Single(log.Entries);
    }

    [Fact]
    public async Task Concurrent_votes_of_different_members_all_count_and_keep_one_chain()
    {
        var (s, ballot) = await OpenBallotAsync(16);
        using var start = new ManualResetEventSlim(false);
        var tasks = s.Voters.Select((voter, i) => Task.Run(async () =>
        {
            start.Wait();
            return await s.RecordVoteAsync(ballot, voter, i < 10 ? VoteChoice.Yes : VoteChoice.No);
        })).ToList();
        start.Set();
        await Task.WhenAll(tasks);

        var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((10, 6, 16), (live.Tally.Yes, live.Tally.No, live.Tally.Cast));
        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), log.Entries.Select(e => e.Sequence));
        for (var i = 1; i < log.Entries.Count; i++)
        {
            Assert.Equal(log.Entries[i - 1].EntryHash, log.Entries[i].PreviousHash);
        }

        Assert.Equal(log.Entries[^1].EntryHash, live.LogHeadHash);
    }

    [Fact]
    public async Task Votes_after_close_are_refused_and_change_nothing()
    {
        var (s, ballot) = await OpenBallotAsync(3);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes);
        var closed = await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.No));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id }).ResponseAsync);
        var after = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal(closed.Ballot, after);
    }
}
