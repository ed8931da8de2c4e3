using Watershed.Consultation.Domain;

namespace Watershed.Consultation.Tests.Domain;

public sealed class DecisionRulesTests
{
    [Fact]
    public void Simple_majority_with_a_tie_rejects()
    {
        var outcome = DecisionRules.Evaluate(DecisionRule.SimpleMajority, new Tally(4, 4, 1, 0), eligible: 9, roll: 12);
        Assert.False(outcome.Approved);
        Assert.Equal(5, outcome.RequiredYes);
    }

    [Fact]
    public void Simple_majority_ignores_abstentions()
    {
        // 3 yes, 2 no, 6 abstain: abstentions are not votes against.
        var outcome = DecisionRules.Evaluate(DecisionRule.SimpleMajority, new Tally(3, 2, 6, 0), eligible: 11, roll: 11);
        Assert.True(outcome.Approved);
    }

    [Fact]
    public void Simple_majority_with_no_votes_rejects() =>
        Assert.False(DecisionRules.Evaluate(DecisionRule.SimpleMajority, Tally.Empty, 5, 5).Approved);

    [Theory]
    [InlineData(7, 4)]
    [InlineData(8, 5)]
    [InlineData(1, 1)]
    public void Absolute_majority_of_present_needs_more_than_half_of_the_eligible(int eligible, int required)
    {
        Assert.Equal(required, DecisionRules.Evaluate(DecisionRule.AbsoluteMajorityOfPresent, Tally.Empty, eligible, 20).RequiredYes);
        Assert.True(DecisionRules.Evaluate(DecisionRule.AbsoluteMajorityOfPresent, new Tally(required, 0, 0, 0), eligible, 20).Approved);
        Assert.False(DecisionRules.Evaluate(DecisionRule.AbsoluteMajorityOfPresent, new Tally(required - 1, 0, 0, 0), eligible, 20).Approved);
    }

    [Fact]
    public void Absolute_majority_counts_abstentions_as_not_yes()
    {
        // 4 yes of 8 present with 4 abstentions: a simple majority would pass, the absolute one does not.
        Assert.False(DecisionRules.Evaluate(DecisionRule.AbsoluteMajorityOfPresent, new Tally(4, 0, 4, 0), 8, 8).Approved);
        Assert.True(DecisionRules.Evaluate(DecisionRule.SimpleMajority, new Tally(4, 0, 4, 0), 8, 8).Approved);
    }

    [Fact]
    public void Two_thirds_of_all_with_absentees_rejects_a_unanimous_room()
    {
        // 12 on the roll, 7 present and all vote yes: 7 < 8 = ⌈2·12/3⌉, the absentees block it.
        var outcome = DecisionRules.Evaluate(DecisionRule.TwoThirdsOfRoll, new Tally(7, 0, 0, 0), eligible: 7, roll: 12);
        Assert.False(outcome.Approved);
        Assert.Equal(8, outcome.RequiredYes);
    }

    [Theory]
    [InlineData(12, 8)]
    [InlineData(10, 7)] // 6.67 → 7
    [InlineData(9, 6)]
    [InlineData(3, 2)]
    [InlineData(1, 1)]
    public void Two_thirds_of_all_rounds_up(int roll, int required)
    {
        Assert.Equal(required, DecisionRules.Evaluate(DecisionRule.TwoThirdsOfRoll, Tally.Empty, roll, roll).RequiredYes);
        Assert.True(DecisionRules.Evaluate(DecisionRule.TwoThirdsOfRoll, new Tally(required, 0, 0, 0), roll, roll).Approved);
        Assert.False(DecisionRules.Evaluate(DecisionRule.TwoThirdsOfRoll, new Tally(required - 1, 0, 0, 0), roll, roll).Approved);
    }

    [Fact]
    public void Consensus_fails_on_a_single_block()
    {
        Assert.False(DecisionRules.Evaluate(DecisionRule.Consensus, new Tally(10, 0, 0, 1), 11, 11).Approved);
    }

    [Fact]
    public void Consensus_passes_with_disagreement_but_no_block() =>
        Assert.True(DecisionRules.Evaluate(DecisionRule.Consensus, new Tally(3, 2, 1, 0), 6, 6).Approved);

    [Fact]
    public void Consensus_needs_at_least_one_yes() =>
        Assert.False(DecisionRules.Evaluate(DecisionRule.Consensus, new Tally(0, 0, 5, 0), 5, 5).Approved);

    [Fact]
    public void Block_is_a_choice_only_under_consensus()
    {
        Assert.True(DecisionRules.AllowsChoice(DecisionRule.Consensus, VoteChoice.Block));
        Assert.False(DecisionRules.AllowsChoice(DecisionRule.SimpleMajority, VoteChoice.Block));
        Assert.True(DecisionRules.AllowsChoice(DecisionRule.SimpleMajority, VoteChoice.Abstain));
    }

    [Fact]
    public void Land_use_changes_default_to_and_cannot_go_below_two_thirds_of_all()
    {
        Assert.Equal(DecisionRule.TwoThirdsOfRoll, DecisionRules.DefaultFor(ProposalType.LandUseChange));
        Assert.False(DecisionRules.IsAllowedFor(ProposalType.LandUseChange, DecisionRule.SimpleMajority));
        Assert.False(DecisionRules.IsAllowedFor(ProposalType.LandUseChange, DecisionRule.Consensus));
        Assert.True(DecisionRules.IsAllowedFor(ProposalType.General, DecisionRule.Consensus));
    }

    [Fact]
    public void A_space_override_replaces_the_default_rule_for_its_type_only()
    {
        var space = Samples.Space(overrides: new DecisionRuleOverride(ProposalType.General, DecisionRule.Consensus));
        Assert.Equal(DecisionRule.Consensus, space.RuleFor(ProposalType.General));
        Assert.Equal(DecisionRule.AbsoluteMajorityOfPresent, space.RuleFor(ProposalType.BudgetItem));
    }
}
