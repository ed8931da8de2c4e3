using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

public sealed class QuorumTests
{
    [Theory]
    [InlineData(10, 6)] // more than half of 10 is 6, not 5
    [InlineData(9, 5)]  // 4.5 → more than that is 5
    [InlineData(1, 1)]
    [InlineData(120, 61)]
    public void More_than_half_needs_the_next_whole_member_above_half(int roll, int required) =>
        Assert.Equal(required, new QuorumThreshold(50m, MoreThan: true).RequiredPresent(roll));

    [Theory]
    [InlineData(10, 3)]
    [InlineData(7, 3)]  // 2.1 rounds up: 2 members would be less than 30 %
    [InlineData(20, 6)]
    public void At_least_a_share_rounds_up(int roll, int required) =>
        Assert.Equal(required, new QuorumThreshold(30m, MoreThan: false).RequiredPresent(roll));

    [Fact]
    public void An_empty_roll_never_has_quorum()
    {
        var count = QuorumThreshold.DefaultSecondCall.Evaluate(AssemblyCall.Second, votingMembersOnRoll: 0, votingMembersPresent: 0);
        Assert.Equal(1, count.Required);
        Assert.False(count.Reached);
    }

    [Fact]
    public void Quorum_is_reached_exactly_at_the_required_count()
    {
        var threshold = QuorumThreshold.DefaultFirstCall;
        Assert.False(threshold.Evaluate(AssemblyCall.First, 10, 5).Reached);
        Assert.True(threshold.Evaluate(AssemblyCall.First, 10, 6).Reached);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(0.001, false)] // rounds to 0.00 %
    [InlineData(0.01, true)]
    [InlineData(100, true)]
    [InlineData(100.01, false)]
    [InlineData(double.NaN, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void Thresholds_must_lie_in_zero_to_one_hundred_percent(double percent, bool valid)
    {
        var v = new Validation();
        QuorumThreshold.From(percent, false, v, "rules.first_call_quorum");
        Assert.Equal(valid, v.IsValid);
    }

    [Fact]
    public void More_than_one_hundred_percent_can_never_be_reached()
    {
        var v = new Validation();
        QuorumThreshold.From(100, moreThan: true, v, "rules.second_call_quorum");
        var refused = Assert.Throws<InvalidArgumentException>(v.ThrowIfInvalid);
        Assert.Equal(["rules.second_call_quorum.more_than"], refused.Violations.Select(x => x.Field));
    }
}
