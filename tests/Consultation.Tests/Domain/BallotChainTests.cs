using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

public sealed class BallotChainTests
{
    private static (Ballot Ballot, List<BallotLogEntry> Log) Vote(bool secret, params VoteChoice[] choices)
    {
        var (ballot, _, electors) = Samples.OpenBallot(choices.Length, DecisionRule.SimpleMajority, secret ? BallotSecrecy.Secret : BallotSecrecy.Public);
        var log = choices.Select((c, i) => ballot.Cast(Samples.Vote(electors[i].MemberId, c, $"request-{i:0000}"), ReceiptCode.New(), Samples.Now).Entry).ToList();
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
        log[1] = new BallotLogEntry(forged.BallotId, forged.Sequence, forged.ReceiptCode, VoteChoice.Yes, forged.MemberId, forged.PreviousHash, forged.EntryHash);
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
        var (ballot, proposal, electors) = Samples.OpenBallot(2);
        ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.Yes), ReceiptCode.New(), Samples.Now);
        var outcome = ballot.Close(proposal, Samples.Now);
        Assert.True(outcome.Approved);
        var refused = Assert.Throws<PreconditionFailedException>(() =>
            ballot.Cast(Samples.Vote(electors[1].MemberId, VoteChoice.No, "request-0002"), ReceiptCode.New(), Samples.Now));
        Assert.Equal(("BALLOT_STATE", $"ballots/{ballot.Id}"), (refused.Type, refused.Subject));
        Assert.Equal(1, ballot.LogLength);
        Assert.Equal(new Tally(1, 0, 0, 0), ballot.Tally);
    }

    [Fact]
    public void A_void_keeps_the_voided_entry_in_the_chain_and_takes_its_vote_out_of_the_count()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        var log = new List<BallotLogEntry>();
        var participations = new List<BallotParticipation>();
        foreach (var (choice, i) in new[] { VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No }.Select((c, i) => (c, i)))
        {
            var (entry, participation) = ballot.Cast(Samples.Vote(electors[i].MemberId, choice, $"request-{i:0000}"), ReceiptCode.New(), Samples.Now);
            log.Add(entry);
            participations.Add(participation);
        }

        var voidEntry = ballot.Void(participations[1], log[1], "Tecla equivocada: era NO", "facilitator@test", Samples.Now);
        log.Add(voidEntry);
        Assert.Equal((BallotLogEntryKind.Void, 4L, 2L), (voidEntry.Kind, voidEntry.Sequence, voidEntry.VoidedSequence));
        Assert.Equal(log[2].EntryHash, voidEntry.PreviousHash);
        Assert.False(participations[1].IsCounted);
        Assert.Equal((new Tally(1, 1, 0, 0), 1), (ballot.Tally, ballot.Voided));
        Assert.Equal(new Tally(1, 1, 0, 0), BallotChain.Verify(ballot.Id, log, ballot.HeadHash));

        var (again, _) = ballot.Cast(Samples.Vote(electors[1].MemberId, VoteChoice.No, "request-0009"), ReceiptCode.New(), Samples.Now);
        log.Add(again);
        Assert.Equal(new Tally(1, 2, 0, 0), BallotChain.Verify(ballot.Id, log, ballot.HeadHash));
    }

    [Fact]
    public void A_void_with_a_changed_reason_or_naming_no_counted_vote_breaks_the_chain()
    {
        var (ballot, _, electors) = Samples.OpenBallot(2);
        var (first, participation) = ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.Yes), ReceiptCode.New(), Samples.Now);
        var voidEntry = ballot.Void(participation, first, "Tecla equivocada", "facilitator@test", Samples.Now);
        var reworded = BallotLogEntry.ForVoid(ballot.Id, 2, 1, "Otro motivo", voidEntry.PreviousHash, voidEntry.EntryHash);
        Assert.Null(BallotChain.Verify(ballot.Id, [first, reworded], ballot.HeadHash));

        // A second void of the same vote, with a correct hash, still names no counted vote.
        var twiceHash = BallotChain.VoidHash(voidEntry.EntryHash, 3, ballot.Id, 1, "Otra vez");
        var twice = BallotLogEntry.ForVoid(ballot.Id, 3, 1, "Otra vez", voidEntry.EntryHash, twiceHash);
        Assert.Null(BallotChain.Verify(ballot.Id, [first, voidEntry, twice], twiceHash));
    }

    [Fact]
    public void Only_a_facilitators_entry_of_an_open_ballot_can_be_voided()
    {
        var (ballot, proposal, electors) = Samples.OpenBallot(2);
        var own = new Vote(electors[0].MemberId, VoteChoice.Yes, VoteChannel.Direct, "request-0001", "person:x");
        var (direct, directParticipation) = ballot.Cast(own, ReceiptCode.New(), Samples.Now);
        var refused = Assert.Throws<PreconditionFailedException>(() => ballot.Void(directParticipation, direct, "x", "facilitator@test", Samples.Now));
        Assert.Equal("DIRECT_VOTE", refused.Type);

        var (recorded, participation) = ballot.Cast(Samples.Vote(electors[1].MemberId, VoteChoice.No, "request-0002"), ReceiptCode.New(), Samples.Now);
        ballot.Close(proposal, Samples.Now);
        Assert.Equal("BALLOT_STATE", Assert.Throws<PreconditionFailedException>(() => ballot.Void(participation, recorded, "x", "f", Samples.Now)).Type);
        Assert.Equal((new Tally(1, 1, 0, 0), 0, 2L), (ballot.Tally, ballot.Voided, ballot.LogLength));
    }

    [Fact]
    public void Receipt_codes_are_readable_and_distinct()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => ReceiptCode.New()).ToList();
        Assert.Equal(1000, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", c));
    }
}
