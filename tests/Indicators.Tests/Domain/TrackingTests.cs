using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Tracking;

namespace Watershed.Indicators.Tests.Domain;

public sealed class TrackingTests
{
    private static readonly PlanTarget MeanFcsUp = new(
        "plan-1", "goal-1", "FCS", "c1", AggregateMetric.Mean, Direction.HigherIsBetter,
        new Baseline(30m, Period.Parse("2025")), new Target(50m, new DateOnly(2028, 12, 31)));

    private static readonly PlanTarget PoorShareDown = MeanFcsUp with
    {
        Metric = AggregateMetric.Percent("poor"), Direction = Direction.LowerIsBetter, Baseline = new Baseline(30m, Period.Parse("2025")), Target = new Target(10m, new DateOnly(2028, 12, 31)),
    };

    [Theory]
    // (40 − 30) / (50 − 30) × 100 = 50
    [InlineData(40, 50)]
    // (60 − 30) / 20 × 100 = 150: beyond the target, not clamped
    [InlineData(60, 150)]
    // (20 − 30) / 20 × 100 = −50: worse than baseline, not clamped
    [InlineData(20, -50)]
    public void Progress_when_higher_is_better(int current, int expected) =>
        Assert.Equal(expected, MeanFcsUp.Progress(current).Percent);

    [Theory]
    // (20 − 30) / (10 − 30) × 100 = 50
    [InlineData(20, 50)]
    // (5 − 30) / (−20) × 100 = 125
    [InlineData(5, 125)]
    // (35 − 30) / (−20) × 100 = −25
    [InlineData(35, -25)]
    public void Progress_when_lower_is_better(int current, int expected) =>
        Assert.Equal(expected, PoorShareDown.Progress(current).Percent);

    [Fact]
    public void Progress_beyond_target_and_below_baseline_is_flagged_not_clamped()
    {
        Assert.True(MeanFcsUp.Progress(60m) is { BeyondTarget: true, TargetReached: true });
        Assert.True(MeanFcsUp.Progress(20m) is { WorseThanBaseline: true, TargetReached: false });
        Assert.True(PoorShareDown.Progress(5m) is { BeyondTarget: true, TargetReached: true });
    }

    [Fact]
    public void Hold_the_line_target_has_no_percentage_but_says_whether_it_is_met()
    {
        var hold = PoorShareDown with { Target = new Target(30m, new DateOnly(2028, 12, 31)) };

        Assert.Equal(new PlanProgress(28m, null, true), hold.Progress(28m));
        Assert.Equal(new PlanProgress(31m, null, false), hold.Progress(31m));
    }

    [Fact]
    public void Target_on_the_worse_side_of_the_baseline_is_rejected()
    {
        var wrongWay = PoorShareDown with { Target = new Target(40m, new DateOnly(2028, 12, 31)) };

        Assert.Equal("target.value", Assert.Single(wrongWay.Validate()).Field);
        Assert.Empty(MeanFcsUp.Validate());
    }

    private static readonly AlertRule PoorAbove20 = new("rule-1", "FCS", "d", AggregateMetric.Percent("poor"), new Condition(ComparisonOperator.GreaterThan, 20m));

    private static IndicatorAggregate PoorShare(decimal percent, int n = 10) => new(
        "FCS", "d", Period.Parse("2026Q1"), n, 0, n, null, null,
        [new CategoryShare("acceptable", 0, 0m, 100m - percent), new CategoryShare("borderline", 0, 0m, 0m), new CategoryShare("poor", 0, 0m, percent)]);

    [Theory]
    [InlineData(false, 25, AlertTransition.Raised, true)]
    [InlineData(true, 25, AlertTransition.StillRaised, true)]
    [InlineData(true, 15, AlertTransition.Cleared, false)]
    [InlineData(false, 15, AlertTransition.StillClear, false)]
    // Exactly at the level does not meet "> 20".
    [InlineData(true, 20, AlertTransition.Cleared, false)]
    public void Alert_transitions_from_the_previous_state(bool previouslyRaised, int percentPoor, AlertTransition transition, bool raised)
    {
        var evaluation = ThresholdAlerts.Evaluate(PoorAbove20, PoorShare(percentPoor), previouslyRaised);

        Assert.Equal((transition, raised, (decimal?)percentPoor), (evaluation.Transition, evaluation.Raised, evaluation.Observed));
        Assert.Equal(transition is AlertTransition.Raised or AlertTransition.Cleared, evaluation.ShouldPublish);
    }

    [Fact]
    public void Period_without_households_keeps_the_alert_state()
    {
        var evaluation = ThresholdAlerts.Evaluate(PoorAbove20, PoorShare(0m, n: 0), previouslyRaised: true);

        Assert.Equal(new AlertEvaluation(true, AlertTransition.NoData, null), evaluation);
    }

    [Fact]
    public void Alert_rule_on_an_unknown_category_is_rejected()
    {
        var rule = PoorAbove20 with { Metric = AggregateMetric.Percent("hungry") };

        Assert.Equal("metric", Assert.Single(rule.Validate(Watershed.Indicators.Domain.Standard.FoodConsumptionScore.Info)).Field);
    }
}
