using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Paper ballots into a box: issued once per elector, counted by one facilitator, attested by another.</summary>
public sealed class PaperBallotRulesTests
{
    private static readonly PaperCount Box = new(Yes: 2, No: 1, Abstain: 0, Block: 0, Blank: 1, Spoiled: 1);

    private static (Ballot Ballot, Proposal Proposal, IReadOnlyList<BallotElector> Electors) WithPaper(int voters, int paper)
    {
        var opened = Samples.OpenBallot(voters);
        foreach (var elector in opened.Electors.Take(paper))
        {
            Assert.NotNull(opened.Ballot.IssuePaperBallot(elector.MemberId, isElector: true, hasVoted: false, holdsOne: false, "facilitator@test", Samples.Now));
        }

        return opened;
    }

    [Fact]
    public void A_paper_ballot_goes_to_an_elector_once_and_never_to_one_who_voted()
    {
        var (ballot, _, electors) = WithPaper(4, paper: 1);
        Assert.Null(ballot.IssuePaperBallot(electors[0].MemberId, true, false, holdsOne: true, "f", Samples.Now));
        Assert.Equal("NOT_ELIGIBLE", Assert.Throws<PreconditionFailedException>(() => ballot.IssuePaperBallot(Guid.NewGuid(), false, false, false, "f", Samples.Now)).Type);
        Assert.Throws<AlreadyExistsException>(() => ballot.IssuePaperBallot(electors[1].MemberId, true, hasVoted: true, false, "f", Samples.Now));
        Assert.Equal(1, ballot.PaperBallotsIssued);
        Assert.Equal(3, ballot.NotYetVoted);

        var holder = Assert.Throws<PreconditionFailedException>(() => ballot.Admit(Samples.Vote(electors[0].MemberId, VoteChoice.Yes), null, true, false, holdsPaperBallot: true));
        Assert.Equal("PAPER_BALLOT_HOLDER", holder.Type);
        var publicBallot = Samples.OpenBallot(2, secrecy: BallotSecrecy.Public);
        Assert.Equal("PUBLIC_BALLOT", Assert.Throws<PreconditionFailedException>(() =>
            publicBallot.Ballot.IssuePaperBallot(publicBallot.Electors[0].MemberId, true, false, false, "f", Samples.Now)).Type);
    }

    [Fact]
    public void The_count_may_not_exceed_the_ballots_issued_nor_hold_blocks_outside_consensus()
    {
        var (ballot, _, _) = WithPaper(6, paper: 4);
        var exceeding = Assert.Throws<InvalidArgumentException>(() => ballot.EnterPaperTally(null, Box with { Yes = 3 }, "f", Samples.Now));
        Assert.Equal(["count"], exceeding.Violations.Select(v => v.Field));
        Assert.Contains("adds up to 6 ballots, more than the 4 paper ballots issued", exceeding.Violations[0].Description, StringComparison.Ordinal);
        var blocks = Assert.Throws<InvalidArgumentException>(() => ballot.EnterPaperTally(null, new PaperCount(0, 0, 0, 1, 0, 0), "f", Samples.Now));
        Assert.Equal(["count.block"], blocks.Violations.Select(v => v.Field));
        Assert.Equal(PaperTallyState.NotRecorded, ballot.PaperTally);

        // Fewer than issued is a ballot not returned: accepted.
        ballot.EnterPaperTally(null, Box with { Spoiled = 0 }, "f", Samples.Now);
        Assert.Equal(PaperTallyState.Entered, ballot.PaperTally);
    }

    [Fact]
    public void An_entered_count_closes_entry_and_only_another_facilitators_identical_count_puts_it_in_the_log()
    {
        var (ballot, proposal, electors) = WithPaper(6, paper: 5);
        var (vote, _) = ballot.Cast(Samples.Vote(electors[5].MemberId, VoteChoice.No, "request-0006"), ReceiptCode.New(), Samples.Now);
        var pending = ballot.EnterPaperTally(null, Box, "committee-1", Samples.Now);

        Assert.Equal("ENTRY_CLOSED", Assert.Throws<PreconditionFailedException>(() =>
            ballot.Cast(Samples.Vote(Guid.NewGuid(), VoteChoice.Yes, "request-0007"), ReceiptCode.New(), Samples.Now)).Type);
        Assert.Equal("ENTRY_CLOSED", Assert.Throws<PreconditionFailedException>(() => ballot.IssuePaperBallot(electors[5].MemberId, true, true, false, "f", Samples.Now)).Type);
        Assert.Equal("PAPER_TALLY_NOT_ATTESTED", Assert.Throws<PreconditionFailedException>(() => ballot.Close(proposal, Samples.Now)).Type);
        Assert.Equal("SAME_FACILITATOR", Assert.Throws<PreconditionFailedException>(() => ballot.AttestPaperTally(pending, Box, "committee-1", Samples.Now)).Type);
        Assert.Equal("TALLY_MISMATCH", Assert.Throws<PreconditionFailedException>(() => ballot.AttestPaperTally(pending, Box with { No = 2 }, "committee-2", Samples.Now)).Type);
        Assert.Equal(1, ballot.LogLength);

        var entry = ballot.AttestPaperTally(pending, Box, "committee-2", Samples.Now);
        Assert.Equal((BallotLogEntryKind.PaperTally, 2L, 5, Box), (entry.Kind, entry.Sequence, entry.PaperBallotsIssued, entry.Paper));
        Assert.Equal(new Tally(2, 2, 0, 0), ballot.Tally);
        Assert.Equal((1, 1, 3), (ballot.Blank, ballot.Spoiled, ballot.PaperCounted));
        Assert.Equal(new Tally(2, 2, 0, 0), BallotChain.Verify(ballot.Id, [vote, entry], ballot.HeadHash));
        Assert.Equal("PAPER_TALLY_STATE", Assert.Throws<PreconditionFailedException>(() => ballot.AttestPaperTally(pending, Box, "committee-3", Samples.Now)).Type);
        Assert.Equal("PAPER_TALLY_ATTESTED", Assert.Throws<PreconditionFailedException>(() => ballot.EnterPaperTally(pending, Box, "committee-3", Samples.Now)).Type);
        Assert.False(ballot.Close(proposal, Samples.Now).Approved); // 2 yes, 2 no: a tie rejects
    }

    [Fact]
    public void A_ballot_with_paper_ballots_issued_closes_only_once_they_are_counted()
    {
        var (ballot, proposal, _) = WithPaper(3, paper: 1);
        Assert.Equal("PAPER_BALLOTS_NOT_COUNTED", Assert.Throws<PreconditionFailedException>(() => ballot.Close(proposal, Samples.Now)).Type);
        var (empty, _, _) = Samples.OpenBallot(2);
        Assert.Equal("NO_PAPER_BALLOTS", Assert.Throws<PreconditionFailedException>(() => empty.EnterPaperTally(null, Box, "f", Samples.Now)).Type);
    }
}
