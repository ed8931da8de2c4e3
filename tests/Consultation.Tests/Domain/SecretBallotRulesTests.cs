using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Which ballots hide their counts, and what a receipt-free ballot keeps out of its log and its receipts.</summary>
public sealed class SecretBallotRulesTests
{
    [Fact]
    public void Secret_ballots_are_receipt_free_and_public_ones_linked_unless_asked()
    {
        Assert.Equal(ReceiptMode.ReceiptFree, Samples.OpenBallot(2, receipts: null).Ballot.Receipts);
        Assert.Equal(ReceiptMode.Linked, Samples.OpenBallot(2, secrecy: BallotSecrecy.Public, receipts: null).Ballot.Receipts);
        Assert.Equal(ReceiptMode.Linked, Samples.OpenBallot(2, receipts: ReceiptMode.Linked).Ballot.Receipts);
        var refused = Assert.Throws<InvalidArgumentException>(() => Samples.OpenBallot(2, secrecy: BallotSecrecy.Public, receipts: ReceiptMode.ReceiptFree));
        Assert.Equal(["receipts"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_receipt_free_vote_keeps_its_code_out_of_the_log_and_the_receipt_points_at_no_entry()
    {
        var (ballot, _, electors) = Samples.OpenBallot(2, receipts: null);
        var (entry, participation) = ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.Yes), "AAAAA-BBBBB", Samples.Now);
        Assert.Equal("", entry.ReceiptCode);
        Assert.Equal(BallotChain.Hash(BallotChain.Genesis, 1, ballot.Id, "", VoteChoice.Yes, null), entry.EntryHash);
        Assert.Equal("AAAAA-BBBBB", participation.ReceiptCode);
        Assert.Equal(new CastReceipt("AAAAA-BBBBB", 0, "", Replayed: false), participation.Receipt(replayed: false));
        Assert.Equal(new Tally(1, 0, 0, 0), BallotChain.Verify(ballot.Id, [entry], ballot.HeadHash));
    }

    [Fact]
    public void Only_an_open_secret_ballot_of_a_space_that_does_not_show_them_hides_its_counts()
    {
        var (secret, proposal, _) = Samples.OpenBallot(2);
        Assert.True(secret.CountsHidden);
        secret.Close(proposal, Samples.Now);
        Assert.False(secret.CountsHidden);

        Assert.False(Samples.OpenBallot(2, secrecy: BallotSecrecy.Public).Ballot.CountsHidden);
        var showing = Space.Create(Guid.NewGuid(), "Mesa", SpaceKind.RoundTable, null, null, false, [], Samples.Now, new SpaceSettings(ShowRunningCounts: true));
        Assert.False(Samples.OpenBallot(2, space: showing).Ballot.CountsHidden);
    }
}
