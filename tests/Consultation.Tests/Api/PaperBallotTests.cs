using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Secret paper ballots into a box (ánfora): issued to electors, counted by one facilitator of the electoral committee
/// and attested by another, reconciled against the ballots issued, mixed with votes cast otherwise, and in the log.
/// </summary>
public sealed class PaperBallotTests : PostgresApiTest
{
    private static readonly PaperCount Box = new() { Yes = 3, No = 1, Blank = 1, Spoiled = 1 };

    private Clients Committee => App.ClientsFor(TestTokens.Create("committee@test", ["facilitator"], ["pomacanchi"]));

    private async Task<(Scenario S, Ballot Ballot)> OpenAsync(int voters)
    {
        var s = await Scenario.CreateAsync(App, voters: voters);
        await s.OpenAssemblyAsync(present: voters);
        return (s, await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General)));
    }

    private static Task<IssuePaperBallotsResponse> IssueAsync(Scenario s, Ballot ballot, params Member[] members) =>
        s.Facilitator.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest { BallotId = ballot.Id, MemberIds = { members.Select(m => m.Id) } }).ResponseAsync;

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
    public async Task A_box_counted_by_one_facilitator_and_attested_by_another_enters_the_log_with_the_votes_cast_otherwise()
    {
        var (s, ballot) = await OpenAsync(voters: 9);

        // Two vote in person (recorded); six collect a paper ballot; one has not voted when the box is counted.
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes);
        await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.No);
        var issued = (await IssueAsync(s, ballot, [.. s.Voters.Skip(2).Take(6)])).Ballot;
        Assert.Equal(new PaperBallots { BallotsIssued = 6, TallyState = PaperTallyState.NotRecorded }, issued.Paper);
        Assert.Equal(6, (await IssueAsync(s, ballot, s.Voters[2])).Ballot.Paper.BallotsIssued); // again: nothing changes

        var participants = await s.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id });
        Assert.Equal(6, participants.Participants.Count(p => p.Channel == VoteChannel.PaperBallot));
        Assert.Equal(1, participants.NotYetVoted);

        await RefusedAsync(StatusCode.FailedPrecondition, "PAPER_BALLOT_HOLDER", () => s.RecordVoteAsync(ballot, s.Voters[2], VoteChoice.Yes));
        await RefusedAsync(StatusCode.AlreadyExists, null, () => IssueAsync(s, ballot, s.Voters[0]));

        // Six ballots in the box at most: seven is refused, naming the count.
        var tooMany = await GrpcStatusAssert.InvalidArgumentAsync(() => s.Facilitator.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest
        {
            BallotId = ballot.Id, Count = new PaperCount { Yes = 4, No = 1, Blank = 1, Spoiled = 1 },
        }).ResponseAsync, "count");
        Assert.Contains("adds up to 7 ballots, more than the 6 paper ballots issued", tooMany.FieldViolations[0].Description, StringComparison.Ordinal);

        var entered = (await s.Facilitator.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = ballot.Id, Count = Box })).Ballot;
        Assert.Equal((PaperTallyState.Entered, true), (entered.Paper.TallyState, entered.TallyHidden));

        // Entry is closed for everyone; the ballot cannot close before the attestation.
        await RefusedAsync(StatusCode.FailedPrecondition, "ENTRY_CLOSED", () => s.RecordVoteAsync(ballot, s.Voters[8], VoteChoice.Yes));
        await RefusedAsync(StatusCode.FailedPrecondition, "ENTRY_CLOSED", () => IssueAsync(s, ballot, s.Voters[8]));
        await RefusedAsync(StatusCode.FailedPrecondition, "ENTRY_CLOSED", () =>
            s.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest { BallotId = ballot.Id, MemberId = s.Voters[0].Id, Reason = "x" }).ResponseAsync);
        await RefusedAsync(StatusCode.FailedPrecondition, "PAPER_TALLY_NOT_ATTESTED", () =>
            s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id }).ResponseAsync);
        await RefusedAsync(StatusCode.FailedPrecondition, "SAME_FACILITATOR", () =>
            s.Facilitator.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest { BallotId = ballot.Id, Count = Box }).ResponseAsync);
        await RefusedAsync(StatusCode.FailedPrecondition, "TALLY_MISMATCH", () =>
            Committee.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 3, No = 1, Blank = 2 } }).ResponseAsync);

        var attested = await Committee.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest { BallotId = ballot.Id, Count = Box });
        Assert.Equal((3L, BallotLogEntryKind.PaperTally, "", ""), (attested.Entry.Sequence, attested.Entry.Kind, attested.Entry.EntryHash, attested.Entry.PreviousHash));
        Assert.Null(attested.Entry.PaperCount); // the ballot still hides its counts
        Assert.Equal((PaperTallyState.Attested, 0, 6), (attested.Ballot.Paper.TallyState, attested.Ballot.Paper.Blank, attested.Ballot.VotesCast));

        var closed = await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        Assert.Equal(new Tally { Yes = 4, No = 2, Cast = 6 }, closed.Ballot.Tally);
        Assert.Equal(new PaperBallots { BallotsIssued = 6, TallyState = PaperTallyState.Attested, Blank = 1, Spoiled = 1 }, closed.Ballot.Paper);
        Assert.True(closed.Ballot.Result.Approved);

        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        var paper = log.Entries[2];
        Assert.Equal((Box, 6), (paper.PaperCount, paper.BallotsIssued));
        Assert.Equal(new Watershed.Consultation.Domain.Tally(4, 2, 0, 0), VoidVoteTests.Recompute(ballot.Id, log));

        await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = s.Assembly!.Id });
        var minutes = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id });
        var decision = Assert.Single(minutes.Minutes.Decisions);
        Assert.Equal((6, 1, 1, 4, 2), (decision.PaperBallotsIssued, decision.Blank, decision.Spoiled, decision.Yes, decision.No));
        Assert.Contains("Ánfora: 6 cédulas entregadas; 1 en blanco y 1 nulas;", minutes.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verifier_recomputes_a_log_with_a_paper_tally()
    {
        var (s, ballot) = await OpenAsync(voters: 4);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No);
        await IssueAsync(s, ballot, s.Voters[1], s.Voters[2], s.Voters[3]);
        var count = new PaperCount { Yes = 1, Blank = 1, Spoiled = 1 };
        await s.Facilitator.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = ballot.Id, Count = count });
        await Committee.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest { BallotId = ballot.Id, Count = count });
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });

        var folder = Directory.CreateTempSubdirectory("paper-log-").FullName;
        try
        {
            var ballotFile = Path.Combine(folder, "ballot.json");
            var logFile = Path.Combine(folder, "log.json");
            await File.WriteAllTextAsync(ballotFile, JsonFormatter.Default.Format(await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })));
            await File.WriteAllTextAsync(logFile, JsonFormatter.Default.Format(await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id })));
            var start = new System.Diagnostics.ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3") { RedirectStandardOutput = true };
            start.ArgumentList.Add(Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "verify-ballot-log.py"));
            start.ArgumentList.Add(ballotFile);
            start.ArgumentList.Add(logFile);
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, output);
            Assert.Contains("recomputed tally: yes 1, no 1, abstain 0, block 0, cast 2; paper ballots blank 1, spoiled 1", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Paper_ballots_are_refused_on_a_public_ballot_and_a_ballot_with_uncounted_ones_does_not_close()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        var open = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "A mano alzada"), secrecy: BallotSecrecy.Public);
        await RefusedAsync(StatusCode.FailedPrecondition, "PUBLIC_BALLOT", () => IssueAsync(s, open, s.Voters[0]));
        await RefusedAsync(StatusCode.FailedPrecondition, "NO_PAPER_BALLOTS", () =>
            s.Facilitator.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = open.Id, Count = new PaperCount() }).ResponseAsync);

        var secret = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "En ánfora"));
        await IssueAsync(s, secret, s.Voters[0]);
        await RefusedAsync(StatusCode.FailedPrecondition, "PAPER_BALLOTS_NOT_COUNTED", () =>
            s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = secret.Id }).ResponseAsync);
        await RefusedAsync(StatusCode.NotFound, null, () =>
            s.Facilitator.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest { BallotId = secret.Id, MemberIds = { s.Voters[1].Id, Guid.NewGuid().ToString() } }).ResponseAsync);
    }

    [Fact]
    public async Task A_vote_and_a_paper_ballot_for_the_same_member_racing_never_both_succeed()
    {
        var (s, ballot) = await OpenAsync(voters: 10);
        for (var round = 0; round < 10; round++)
        {
            var member = s.Voters[round];
            var outcomes = await RaceTests.RaceAsync(
                () => s.RecordVoteAsync(ballot, member, VoteChoice.Yes, $"race-vote-{round}"),
                () => IssueAsync(s, ballot, member));
            Assert.Single(outcomes, o => o == StatusCode.OK);
            Assert.Contains(outcomes, o => o is StatusCode.FailedPrecondition or StatusCode.AlreadyExists);
        }

        var participants = await s.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id });
        Assert.Equal(10, participants.Participants.Count);
        Assert.Equal(s.Voters.Select(v => v.Id).Order(StringComparer.Ordinal), participants.Participants.Select(p => p.MemberId).Order(StringComparer.Ordinal));
        Assert.Equal(0, participants.NotYetVoted);
    }
}
