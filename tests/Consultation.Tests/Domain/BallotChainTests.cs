using Watershed.Consultation.Domain;

namespace Watershed.Consultation.Tests.Domain;

public sealed class BallotChainTests
{
    private static (Ballot Ballot, List<BallotLogEntry> Log) Vote(bool secret, params VoteChoice[] choices)
    {
        var ballot = new Ballot { Id = Guid.NewGuid(), Rule = DecisionRule.SimpleMajority, Secret = secret, Eligible = choices.Length, Roll = choices.Length };
        var log = choices.Select(c => ballot.Append(c, ReceiptCode.New(), Guid.NewGuid())).ToList();
        return (ballot, log);
    }

    [Fact]
    public void The_tally_recomputed_from_the_log_equals_the_maintained_counts()
    {
        var (ballot, log) = Vote(true, VoteChoice.Yes, VoteChoice.No, VoteChoice.Yes, VoteChoice.Abstain, VoteChoice.Yes);
        Assert.Equal(new Tally(3, 1, 1, 0), BallotChain.Verify(ballot.Id, log, ballot.HeadHash));
        Assert.Equal(new Tally(3, 1, 1, 0), ballot.Tally);
        Assert.Equal(5, ballot.LogLength);
    }

    [Fact]
    public void A_changed_choice_breaks_the_chain()
    {
        var (ballot, log) = Vote(true, VoteChoice.Yes, VoteChoice.No, VoteChoice.No);
        var forged = log[1];
        log[1] = new BallotLogEntry
        {
            BallotId = forged.BallotId, Sequence = forged.Sequence, ReceiptCode = forged.ReceiptCode,
            Choice = VoteChoice.Yes, PreviousHash = forged.PreviousHash, EntryHash = forged.EntryHash,
        };
        Assert.Null(BallotChain.Verify(ballot.Id, log, ballot.HeadHash));
    }

    [Fact]
    public void A_dropped_entry_breaks_the_chain()
    {
        var (ballot, log) = Vote(true, VoteChoice.Yes, VoteChoice.No, VoteChoice.No);
        log.RemoveAt(2);
        Assert.Null(BallotChain.Verify(ballot.Id, log, ballot.HeadHash));
    }

    [Fact]
    public void Secret_ballots_publish_no_member_and_public_ones_do()
    {
        Assert.All(Vote(true, VoteChoice.Yes, VoteChoice.No).Log, e => Assert.Null(e.MemberId));
        Assert.All(Vote(false, VoteChoice.Yes, VoteChoice.No).Log, e => Assert.NotNull(e.MemberId));
    }

    [Fact]
    public void A_closed_ballot_takes_no_more_votes()
    {
        var (ballot, _) = Vote(true, VoteChoice.Yes);
        var outcome = ballot.Close(DateTimeOffset.UnixEpoch);
        Assert.True(outcome.Approved);
        Assert.ThrowsAny<Exception>(() => ballot.Append(VoteChoice.No, ReceiptCode.New(), Guid.NewGuid()));
        Assert.Equal(1, ballot.LogLength);
    }

    [Fact]
    public void Receipt_codes_are_readable_and_distinct()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => ReceiptCode.New()).ToList();
        Assert.Equal(1000, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", c));
    }
}
