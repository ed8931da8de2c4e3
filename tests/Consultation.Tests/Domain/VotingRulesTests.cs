using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Who records a vote by which channel, who may vote, replays and duplicates, and the choices a rule allows.</summary>
public sealed class VotingRulesTests
{
    private readonly Space _space = Samples.Space();

    [Theory]
    [InlineData(null)]
    [InlineData(VoteChannel.Direct)]
    public void A_member_with_their_own_token_votes_directly(VoteChannel? requested)
    {
        var rosa = Samples.Member(_space);
        Assert.Equal(VoteChannel.Direct, VoteChannels.Decide(Samples.MemberActing(rosa), rosa, requested));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(VoteChannel.Direct)]
    [InlineData(VoteChannel.RecordedByFacilitator)]
    [InlineData(VoteChannel.Proxy)]
    public void A_member_cannot_record_anyone_elses_vote(VoteChannel? requested)
    {
        var rosa = Samples.Member(_space);
        var juan = Samples.Member(_space);
        Assert.Throws<PermissionDeniedException>(() => VoteChannels.Decide(Samples.MemberActing(rosa), juan, requested));
    }

    [Fact]
    public void A_member_cannot_enter_a_proxy_for_themselves()
    {
        var rosa = Samples.Member(_space);
        Assert.Throws<PermissionDeniedException>(() => VoteChannels.Decide(Samples.MemberActing(rosa), rosa, VoteChannel.Proxy));
    }

    [Theory]
    [InlineData(null, VoteChannel.RecordedByFacilitator)]
    [InlineData(VoteChannel.RecordedByFacilitator, VoteChannel.RecordedByFacilitator)]
    [InlineData(VoteChannel.Proxy, VoteChannel.Proxy)]
    public void A_facilitator_records_from_the_room_or_a_proxy(VoteChannel? requested, VoteChannel expected) =>
        Assert.Equal(expected, VoteChannels.Decide(Samples.Facilitator, Samples.Member(_space), requested));

    [Fact]
    public void A_paper_ballot_is_never_entered_as_a_vote()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() => VoteChannels.Decide(Samples.Facilitator, Samples.Member(_space), VoteChannel.PaperBallot));
        Assert.Equal(["channel"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_facilitator_cannot_pass_a_recorded_vote_off_as_direct()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() => VoteChannels.Decide(Samples.Facilitator, Samples.Member(_space), VoteChannel.Direct));
        Assert.Equal(["channel"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_facilitator_who_is_on_the_roll_votes_directly_for_themselves()
    {
        var member = Samples.Member(_space);
        var facilitatorOnRoll = new Actor(member.PersonId, ActsForOthers: true, "facilitator@test");
        Assert.Equal(VoteChannel.Direct, VoteChannels.Decide(facilitatorOnRoll, member, null));
    }

    [Fact]
    public void Only_the_electorate_is_admitted()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        var outsider = Guid.NewGuid();
        var refused = Assert.Throws<PreconditionFailedException>(() => ballot.Admit(Samples.Vote(outsider, VoteChoice.Yes), earlier: null, isElector: false, hasVoted: false));
        Assert.Equal(("NOT_ELIGIBLE", $"members/{outsider}"), (refused.Type, refused.Subject));
        Assert.Null(ballot.Admit(Samples.Vote(electors[0].MemberId, VoteChoice.Yes), earlier: null, isElector: true, hasVoted: false));
    }

    [Fact]
    public void A_member_who_has_voted_is_refused_a_second_vote_under_another_request_id()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.No), ReceiptCode.New(), Samples.Now);
        var refused = Assert.Throws<AlreadyExistsException>(() =>
            ballot.Admit(Samples.Vote(electors[0].MemberId, VoteChoice.Yes, "request-0002"), earlier: null, isElector: true, hasVoted: true));
        Assert.Equal("vote", refused.ResourceType);
        Assert.Equal(new Tally(0, 1, 0, 0), ballot.Tally);
    }

    [Fact]
    public void A_replay_is_answered_with_the_first_receipt_and_counts_nothing()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        var vote = Samples.Vote(electors[0].MemberId, VoteChoice.No);
        var (entry, participation) = ballot.Cast(vote, "AAAAA-BBBBB", Samples.Now);

        var replay = ballot.Admit(vote, participation, isElector: true, hasVoted: true);

        Assert.Equal(new CastReceipt("AAAAA-BBBBB", 1, entry.EntryHash, Replayed: true), replay);
        Assert.Equal(new Tally(0, 1, 0, 0), ballot.Tally);
    }

    [Fact]
    public void A_request_id_reused_for_another_choice_is_refused()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        var (_, participation) = ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.No), ReceiptCode.New(), Samples.Now);
        var refused = Assert.Throws<InvalidArgumentException>(() =>
            ballot.Admit(Samples.Vote(electors[0].MemberId, VoteChoice.Yes), participation, isElector: true, hasVoted: true));
        Assert.Equal(["client_request_id"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_request_id_reused_by_another_member_is_refused()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        var (_, participation) = ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.No), ReceiptCode.New(), Samples.Now);
        var refused = Assert.Throws<InvalidArgumentException>(() =>
            ballot.Admit(Samples.Vote(electors[1].MemberId, VoteChoice.No), participation, isElector: true, hasVoted: false));
        Assert.Equal(["client_request_id"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_duplicate_refused_by_a_unique_key_is_a_replay_under_the_same_request_id()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        var vote = Samples.Vote(electors[0].MemberId, VoteChoice.Yes, "raced-request");
        var (entry, participation) = ballot.Cast(vote, "AAAAA-BBBBB", Samples.Now);
        Assert.Equal(new CastReceipt("AAAAA-BBBBB", 1, entry.EntryHash, Replayed: true), ballot.Resolve(vote, [participation]));
    }

    [Fact]
    public void A_second_vote_by_a_member_under_another_request_id_already_exists()
    {
        var (ballot, _, electors) = Samples.OpenBallot(3);
        var (_, participation) = ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.Yes, "first-request"), ReceiptCode.New(), Samples.Now);
        var refused = Assert.Throws<AlreadyExistsException>(() =>
            ballot.Resolve(Samples.Vote(electors[0].MemberId, VoteChoice.No, "second-request"), [participation]));
        Assert.Equal(("vote", $"ballots/{ballot.Id}/members/{electors[0].MemberId}"), (refused.ResourceType, refused.ResourceName));
    }

    [Fact]
    public void Block_is_a_choice_under_consensus_only()
    {
        var (majority, _, voters) = Samples.OpenBallot(2, DecisionRule.SimpleMajority);
        var refused = Assert.Throws<InvalidArgumentException>(() => majority.Cast(Samples.Vote(voters[0].MemberId, VoteChoice.Block), ReceiptCode.New(), Samples.Now));
        Assert.Equal(["choice"], refused.Violations.Select(v => v.Field));
        Assert.Equal(0, majority.LogLength);

        var (consensus, _, electors) = Samples.OpenBallot(2, DecisionRule.Consensus);
        consensus.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.Block), ReceiptCode.New(), Samples.Now);
        Assert.Equal(new Tally(0, 0, 0, 1), consensus.Tally);
    }

    [Fact]
    public void A_vote_records_who_cast_it_how_and_when_but_the_secret_log_does_not_name_them()
    {
        var (ballot, _, electors) = Samples.OpenBallot(2);
        var vote = new Vote(electors[1].MemberId, VoteChoice.Abstain, VoteChannel.Proxy, "proxy-request-1", "facilitator@test");
        var (entry, participation) = ballot.Cast(vote, "CCCCC-DDDDD", Samples.Now);
        Assert.Null(entry.MemberId);
        Assert.Equal((electors[1].MemberId, VoteChannel.Proxy, "facilitator@test", "proxy-request-1", Samples.Now, 1L, entry.EntryHash),
            (participation.MemberId, participation.Channel, participation.RecordedBy, participation.ClientRequestId, participation.CastAt, participation.Sequence, participation.EntryHash));
    }
}
