using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Opening a ballot: the legal floor, the electorate, the secrecy default, and what the assembly must be.</summary>
public sealed class BallotOpeningTests
{
    private static (Space Space, Assembly Assembly, Proposal Proposal, Electorate Electorate) Ready(ProposalType type, Space? space = null)
    {
        space ??= Samples.Space();
        var electorate = Samples.Electorate(onRoll: 12, present: 7);
        if (type == ProposalType.LandUseChange)
        {
            var (landAssembly, landAct) = Samples.LandAct(space, electorate);
            return (space, landAssembly, landAct, electorate);
        }

        var assembly = Samples.OpenAssembly(space, electorate);
        return (space, assembly, Samples.OnAgenda(space, assembly, type), electorate);
    }

    [Theory]
    [InlineData(DecisionRule.SimpleMajority)]
    [InlineData(DecisionRule.AbsoluteMajorityOfPresent)]
    [InlineData(DecisionRule.Consensus)]
    public void A_land_use_change_cannot_be_put_to_a_weaker_rule(DecisionRule weaker)
    {
        var (space, assembly, proposal, electorate) = Ready(ProposalType.LandUseChange);
        var refused = Assert.Throws<InvalidArgumentException>(() => Ballot.Open(proposal, assembly, space, electorate, new BallotOptions(weaker), Samples.Now));
        Assert.Equal(["rule"], refused.Violations.Select(v => v.Field));
        Assert.Equal(ProposalState.OnAgenda, proposal.State);
    }

    [Fact]
    public void A_land_use_change_is_decided_by_two_thirds_of_the_roll_by_default()
    {
        var (space, assembly, proposal, electorate) = Ready(ProposalType.LandUseChange);
        var (ballot, _) = Ballot.Open(proposal, assembly, space, electorate, new BallotOptions(), Samples.Now);
        Assert.Equal(DecisionRule.TwoThirdsOfRoll, ballot.Rule);
    }

    [Fact]
    public void No_space_override_may_weaken_the_legal_floor()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() =>
            Samples.Space(overrides: new DecisionRuleOverride(ProposalType.LandUseChange, DecisionRule.SimpleMajority)));
        Assert.Equal(["rules.decision_rules[0].rule"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_space_may_not_override_one_type_twice()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() => Samples.Space(overrides:
        [
            new DecisionRuleOverride(ProposalType.General, DecisionRule.Consensus),
            new DecisionRuleOverride(ProposalType.General, DecisionRule.SimpleMajority),
        ]));
        Assert.Equal(["rules.decision_rules[1].proposal_type"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void The_spaces_override_applies_when_the_facilitator_names_no_rule_and_the_facilitators_rule_wins_otherwise()
    {
        var space = Samples.Space(overrides: new DecisionRuleOverride(ProposalType.General, DecisionRule.Consensus));
        Assert.Equal(DecisionRule.Consensus, DecisionRules.For(ProposalType.General, null, space));
        Assert.Equal(DecisionRule.SimpleMajority, DecisionRules.For(ProposalType.General, DecisionRule.SimpleMajority, space));
        Assert.Equal(DecisionRule.AbsoluteMajorityOfPresent, DecisionRules.For(ProposalType.BudgetItem, null, space));
    }

    [Fact]
    public void The_electorate_is_the_voting_members_present_when_the_ballot_opens()
    {
        var space = Samples.Space();
        var (rosa, juan, delegado, advisor, absent) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var electorate = Electorate.Of(
        [
            new RollEntry(rosa, MemberRole.VotingMember, Present: true),
            new RollEntry(juan, MemberRole.VotingMember, Present: true),
            new RollEntry(delegado, MemberRole.Delegate, Present: true),
            new RollEntry(advisor, MemberRole.TechnicalAdvisor, Present: true),
            new RollEntry(Guid.NewGuid(), MemberRole.Facilitator, Present: true),
            new RollEntry(absent, MemberRole.VotingMember, Present: false),
        ]);
        Assert.Equal(4, electorate.OnRoll);
        Assert.Equal([rosa, juan, delegado], electorate.Present);

        var assembly = Samples.OpenAssembly(space, electorate);
        var proposal = Samples.OnAgenda(space, assembly);
        var (ballot, electors) = Ballot.Open(proposal, assembly, space, electorate, new BallotOptions(), Samples.Now);
        Assert.Equal((3, 4), (ballot.Eligible, ballot.Roll));
        Assert.Equal([rosa, juan, delegado], electors.Select(e => e.MemberId));
        Assert.All(electors, e => Assert.Equal(ballot.Id, e.BallotId));
        Assert.Equal((ProposalState.Voting, ballot.Id), (proposal.State, proposal.BallotId));
    }

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(true, null, false)]
    [InlineData(true, BallotSecrecy.Secret, true)]
    [InlineData(false, BallotSecrecy.Public, false)]
    public void Ballots_are_secret_unless_the_space_or_the_facilitator_makes_them_public(bool publicSpace, BallotSecrecy? asked, bool secret)
    {
        var (space, assembly, proposal, electorate) = Ready(ProposalType.General, Samples.Space(publicBallots: publicSpace));
        var (ballot, _) = Ballot.Open(proposal, assembly, space, electorate, new BallotOptions(Secrecy: asked), Samples.Now);
        Assert.Equal(secret, ballot.Secret);
    }

    [Fact]
    public void Voting_needs_quorum()
    {
        var space = Samples.Space();
        var electorate = Samples.Electorate(onRoll: 10, present: 5); // more than half of 10 is 6
        var assembly = Samples.OpenAssembly(space, electorate);
        var proposal = Samples.OnAgenda(space, assembly);
        var refused = Assert.Throws<PreconditionFailedException>(() => Ballot.Open(proposal, assembly, space, electorate, new BallotOptions(), Samples.Now));
        Assert.Equal("QUORUM", refused.Type);
        Assert.Equal("No quorum: 5 voting members present, 6 required at the first call.", refused.Message);
        Assert.Equal(ProposalState.OnAgenda, proposal.State);
    }

    [Fact]
    public void Voting_needs_an_open_assembly()
    {
        var space = Samples.Space();
        var electorate = Samples.Electorate(3, 3);
        var assembly = Samples.ConvenedAssembly(space);
        var proposal = Samples.OnAgenda(space, assembly);
        var refused = Assert.Throws<PreconditionFailedException>(() => Ballot.Open(proposal, assembly, space, electorate, new BallotOptions(), Samples.Now));
        Assert.Equal(("ASSEMBLY_STATE", $"assemblies/{assembly.Id}"), (refused.Type, refused.Subject));
    }

    [Fact]
    public void A_proposal_on_no_agenda_names_it()
    {
        var proposal = Samples.Draft(Samples.Space());
        var refused = Assert.Throws<PreconditionFailedException>(() => proposal.AgendaAssemblyId());
        Assert.Equal("PROPOSAL_STATE", refused.Type);
    }

    [Fact]
    public void Closing_decides_the_proposal()
    {
        var (ballot, proposal, electors) = Samples.OpenBallot(3);
        ballot.Cast(Samples.Vote(electors[0].MemberId, VoteChoice.Yes, "request-0001"), ReceiptCode.New(), Samples.Now);
        ballot.Cast(Samples.Vote(electors[1].MemberId, VoteChoice.No, "request-0002"), ReceiptCode.New(), Samples.Now);
        var outcome = ballot.Close(proposal, Samples.Now);
        Assert.False(outcome.Approved); // 1 yes against 1 no is a tie
        Assert.Equal((BallotState.Closed, false, 2), (ballot.State, ballot.Approved, ballot.RequiredYes));
        Assert.Equal((ProposalState.Rejected, Samples.Now), (proposal.State, proposal.DecidedAt));
        Assert.Throws<PreconditionFailedException>(() => ballot.Close(proposal, Samples.Now));
    }
}
