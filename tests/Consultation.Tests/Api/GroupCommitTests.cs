using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Group commit of votes (<see cref="VoteCommitter"/>): votes on one ballot that arrive together are written in one
/// transaction, and each caller still gets exactly the answer it would get alone. On PostgreSQL, where the lock is real.
/// </summary>
public sealed class GroupCommitTests : PostgresApiTest
{
    private async Task<(Scenario S, Ballot Ballot)> OpenBallotAsync(int voters)
    {
        var s = await Scenario.CreateAsync(App, voters: voters);
        await s.OpenAssemblyAsync(present: voters);
        return (s, await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General), secrecy: BallotSecrecy.Public));
    }

    private static CastVoteRequest Vote(Ballot ballot, Member member, VoteChoice choice, string requestId) => new()
    {
        BallotId = ballot.Id, MemberId = member.Id, Choice = choice, ClientRequestId = requestId, Channel = VoteChannel.RecordedByFacilitator,
    };

    private static async Task<(StatusCode Status, CastVoteResponse? Response)> Outcome(Task<CastVoteResponse> call)
    {
        try
        {
            return (StatusCode.OK, await call);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, null);
        }
    }

    /// <summary>Waits (without a clock) until the committer holds <paramref name="count"/> votes for the ballot.</summary>
    private async Task WaitForQueueAsync(Ballot ballot, int count)
    {
        var committer = App.Services.GetRequiredService<VoteCommitter>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (committer.Waiting(Guid.Parse(ballot.Id)) != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{count} votes never queued; {committer.Waiting(Guid.Parse(ballot.Id))} did");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Votes_that_wait_together_are_written_in_one_transaction_and_each_gets_its_own_answer()
    {
        var (s, ballot) = await OpenBallotAsync(voters: 6);
        var groups = new List<(string Ballot, int Size)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "watershed-consultation",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "CastVote group")
                {
                    lock (groups)
                    {
                        groups.Add(((string)activity.GetTagItem("ballot.id")!, (int)activity.GetTagItem("votes.group_size")!));
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        // Another transaction holds the ballot's row lock, so the first group waits for it and the next votes queue.
        await using var blocker = new NpgsqlConnection(App.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM ballots WHERE \"Id\" = $1 FOR UPDATE", blocker, hold) { Parameters = { new() { Value = Guid.Parse(ballot.Id) } } })
        {
            await lockRow.ExecuteScalarAsync();
        }

        var v = s.Voters;
        var proposals = s.Facilitator.Proposals;
        var first = Outcome(proposals.CastVoteAsync(Vote(ballot, v[0], VoteChoice.Yes, "group-first")).ResponseAsync);
        await WaitForQueueAsync(ballot, 0); // taken as a group of one, now waiting for the lock
        var yes = Outcome(proposals.CastVoteAsync(Vote(ballot, v[1], VoteChoice.Yes, "group-yes")).ResponseAsync);
        await WaitForQueueAsync(ballot, 1);
        var no = Outcome(proposals.CastVoteAsync(Vote(ballot, v[2], VoteChoice.No, "group-no")).ResponseAsync);
        await WaitForQueueAsync(ballot, 2);
        var resent = Outcome(proposals.CastVoteAsync(Vote(ballot, v[2], VoteChoice.No, "group-no")).ResponseAsync);
        await WaitForQueueAsync(ballot, 3);
        var secondOfMember = Outcome(proposals.CastVoteAsync(Vote(ballot, v[1], VoteChoice.No, "group-yes-again")).ResponseAsync);
        await WaitForQueueAsync(ballot, 4);
        var reusedId = Outcome(proposals.CastVoteAsync(Vote(ballot, v[3], VoteChoice.Abstain, "group-no")).ResponseAsync);
        await WaitForQueueAsync(ballot, 5);
        var abstain = Outcome(proposals.CastVoteAsync(Vote(ballot, v[4], VoteChoice.Abstain, "group-abstain")).ResponseAsync);
        await WaitForQueueAsync(ballot, 6);

        await hold.RollbackAsync();
        var answers = await Task.WhenAll(first, yes, no, resent, secondOfMember, reusedId, abstain);

        Assert.Equal(
            [StatusCode.OK, StatusCode.OK, StatusCode.OK, StatusCode.OK, StatusCode.AlreadyExists, StatusCode.InvalidArgument, StatusCode.OK],
            answers.Select(a => a.Status));

        // The resend of a vote written in the same group answers that vote's receipt.
        var (_, noVote) = answers[2];
        var (_, noAgain) = answers[3];
        Assert.False(noVote!.Replayed);
        Assert.True(noAgain!.Replayed);
        Assert.Equal(noVote.Receipt, noAgain.Receipt);

        lock (groups)
        {
            Assert.Equal([1, 6], groups.Where(g => g.Ballot == ballot.Id).Select(g => g.Size));
        }

        var counted = (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((2, 1, 1, 4), (counted.Tally.Yes, counted.Tally.No, counted.Tally.Abstain, counted.Tally.Cast));
        var log = await proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Equal(4, log.Entries.Count);
        Assert.Equal(new[] { 1L, 2, 3, 4 }, log.Entries.Select(e => e.Sequence));
        var recomputed = VoidVoteTests.Recompute(ballot.Id, log);
        Assert.NotNull(recomputed);
        Assert.Equal((2, 1, 1), (recomputed.Yes, recomputed.No, recomputed.Abstain));
    }

    [Fact]
    public async Task Many_votes_and_their_resends_at_once_count_every_receipt_once()
    {
        const int voters = 40;
        var (s, ballot) = await OpenBallotAsync(voters);
        var proposals = s.Facilitator.Proposals;

        // Each vote sent twice at the same moment under its request id: one is written, the other answers its receipt.
        var calls = s.Voters.SelectMany((m, i) => Enumerable.Repeat(Vote(ballot, m, i % 3 == 0 ? VoteChoice.No : VoteChoice.Yes, $"many-{i:D3}"), 2))
            .Select(request => (Func<Task<CastVoteResponse>>)(() => proposals.CastVoteAsync(request).ResponseAsync)).ToList();
        using var start = new ManualResetEventSlim(false);
        var running = calls.Select(call => Task.Run(async () =>
        {
            start.Wait();
            return await call();
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(running);

        Assert.Equal(voters, responses.Count(r => !r.Replayed));
        Assert.Equal(voters, responses.Count(r => r.Replayed));
        foreach (var pair in responses.GroupBy(r => r.MemberId))
        {
            Assert.Single(pair.Select(r => r.Receipt).Distinct());
        }

        var counted = (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((26, 14, voters), (counted.Tally.Yes, counted.Tally.No, counted.Tally.Cast));
        var log = await proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Equal(Enumerable.Range(1, voters).Select(i => (long)i), log.Entries.Select(e => e.Sequence));
        var recomputed = VoidVoteTests.Recompute(ballot.Id, log);
        Assert.NotNull(recomputed);
        Assert.Equal((26, 14), (recomputed.Yes, recomputed.No));
        foreach (var response in responses.Where(r => !r.Replayed))
        {
            Assert.True((await proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = response.Receipt.ReceiptCode })).Counted);
        }
    }
}
