using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Tests.Domain;

public sealed class TrackingTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Area = Guid.CreateVersion7();
    private static readonly Target By2028At50 = new(50m, new DateOnly(2028, 12, 31));

    private static readonly PlanTarget MeanFcsUp = Target(AggregateMetric.Mean, null, new Baseline(30m, Period.Parse("2025")), By2028At50);

    private static readonly PlanTarget PoorShareDown = Target(
        AggregateMetric.Percent("poor"), Direction.LowerIsBetter, new Baseline(30m, Period.Parse("2025")), new Target(10m, new DateOnly(2028, 12, 31)));

    private static PlanTarget Target(AggregateMetric metric, Direction? direction, Baseline baseline, Target target) =>
        PlanTarget.Create(Guid.CreateVersion7(), Guid.CreateVersion7(), FoodConsumptionScore.Info, Area, metric, direction, baseline, target, Now);

    /// <summary>An FCS aggregate of <see cref="Area"/> whose poor share and mean are given; n 0 means no household.</summary>
    private static IndicatorAggregate Figure(string period, decimal percentPoor, int n = 10, decimal? mean = null) => new(
        "FCS", Area.ToString(), Period.Parse(period), n, 0, n, null, n == 0 ? null : mean ?? 40m,
        [new CategoryShare("acceptable", 0, 0m, 100m - percentPoor), new CategoryShare("borderline", 0, 0m, 0m), new CategoryShare("poor", 0, 0m, n == 0 ? null : percentPoor)]);

    [Theory]
    // (40 − 30) / (50 − 30) × 100 = 50
    [InlineData(40, 50)]
    // (60 − 30) / 20 × 100 = 150: beyond the target, not clamped
    [InlineData(60, 150)]
    // (20 − 30) / 20 × 100 = −50: worse than baseline, not clamped
    [InlineData(20, -50)]
    public void Progress_when_higher_is_better(int current, int expected) =>
        Assert.Equal<double?>(expected, MeanFcsUp.Progress(current).Percent);

    [Theory]
    // (20 − 30) / (10 − 30) × 100 = 50
    [InlineData(20, 50)]
    // (5 − 30) / (−20) × 100 = 125
    [InlineData(5, 125)]
    // (35 − 30) / (−20) × 100 = −25
    [InlineData(35, -25)]
    public void Progress_when_lower_is_better(int current, int expected) =>
        Assert.Equal<double?>(expected, PoorShareDown.Progress(current).Percent);

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
        var hold = Target(AggregateMetric.Percent("poor"), Direction.LowerIsBetter, new Baseline(30m, Period.Parse("2025")), new Target(30m, new DateOnly(2028, 12, 31)));

        Assert.Equal(new PlanProgress(28m, null, true), hold.Progress(28m));
        Assert.Equal(new PlanProgress(31m, null, false), hold.Progress(31m));
    }

    [Fact]
    public void A_target_takes_the_indicators_direction_unless_it_has_its_own()
    {
        Assert.Equal(Direction.HigherIsBetter, MeanFcsUp.Direction);
        Assert.Equal(Direction.LowerIsBetter, PoorShareDown.Direction);
    }

    [Fact]
    public void A_target_on_the_worse_side_before_its_baseline_on_an_unknown_category_is_refused_naming_each_attribute()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() =>
            Target(AggregateMetric.Percent("hungry"), Direction.LowerIsBetter, new Baseline(30m, Period.Parse("2025Q4")), new Target(40m, new DateOnly(2025, 12, 30))));

        Assert.Equal(["metric", "target_date", "target_value"], refused.Violations.Select(v => v.Field));
    }

    [Fact]
    public void The_baseline_is_the_value_given_or_else_the_baseline_periods_figure()
    {
        var period = Period.Parse("2025Q4");

        Assert.Equal(new Baseline(12.5m, period), Baseline.Of(12.5m, period, AggregateMetric.Mean, null));
        Assert.Equal(new Baseline(33m, period), Baseline.Of(null, period, AggregateMetric.Mean, Figure("2025Q4", 25m, mean: 33m)));
    }

    [Fact]
    public void Without_a_value_and_without_households_there_is_no_baseline()
    {
        var refused = Assert.Throws<PreconditionFailedException>(() => Baseline.Of(null, Period.Parse("2025Q4"), AggregateMetric.Mean, Figure("2025Q4", 0m, n: 0)));

        Assert.Equal(("BASELINE_DATA", $"FCS/{Area}/2025Q4"), (refused.Type, refused.Subject));
    }

    [Fact]
    public void Progress_at_a_period_without_households_is_refused()
    {
        Assert.Equal(50.0, MeanFcsUp.ProgressAt(Figure("2026Q3", 0m, mean: 40m)).Percent);
        var refused = Assert.Throws<PreconditionFailedException>(() => MeanFcsUp.ProgressAt(Figure("2027Q1", 0m, n: 0)));
        Assert.Equal("PERIOD_DATA", refused.Type);
    }

    private static readonly Condition Above20 = new(ComparisonOperator.GreaterThan, 20m);

    private static AlertRule PoorAbove20() =>
        AlertRule.Create(FoodConsumptionScore.Info, Area, AggregateMetric.Percent("poor"), Above20, PeriodType.Quarter, Now);

    [Theory]
    [InlineData(false, 25, AlertTransition.Raised, true)]
    [InlineData(true, 25, AlertTransition.StillRaised, true)]
    [InlineData(true, 15, AlertTransition.Cleared, false)]
    [InlineData(false, 15, AlertTransition.StillClear, false)]
    // Exactly at the level does not meet "> 20".
    [InlineData(true, 20, AlertTransition.Cleared, false)]
    public void Alert_transitions_from_the_previous_state(bool previouslyRaised, int percentPoor, AlertTransition transition, bool raised)
    {
        var evaluation = ThresholdAlerts.Evaluate(PoorAbove20(), Figure("2026Q1", percentPoor), previouslyRaised);

        Assert.Equal((transition, raised, (decimal?)percentPoor), (evaluation.Transition, evaluation.Raised, evaluation.Observed));
        Assert.Equal(transition is AlertTransition.Raised or AlertTransition.Cleared, evaluation.ShouldPublish);
    }

    [Fact]
    public void Period_without_households_keeps_the_alert_state()
    {
        var evaluation = ThresholdAlerts.Evaluate(PoorAbove20(), Figure("2026Q1", 0m, n: 0), previouslyRaised: true);

        Assert.Equal(new AlertEvaluation(true, AlertTransition.NoData, null), evaluation);
    }

    [Fact]
    public void Alert_rule_on_an_unknown_category_is_rejected_naming_the_metric()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() =>
            AlertRule.Create(FoodConsumptionScore.Info, Area, AggregateMetric.Percent("hungry"), Above20, PeriodType.Quarter, Now));

        Assert.Equal("metric", Assert.Single(refused.Violations).Field);
    }

    [Fact]
    public void A_new_rule_records_each_change_of_state_oldest_period_first_numbered_in_order()
    {
        var rule = PoorAbove20();

        var alerts = rule.Evaluate(null, [Figure("2026Q2", 10m), Figure("2025Q4", 30m), Figure("2026Q1", 40m)], Now);

        // 2025Q4: 30 > 20 raises; 2026Q1: 40 still raised, nothing; 2026Q2: 10 clears.
        Assert.Equal(
            [(1, AlertState.Raised, "2025Q4", 30m), (2, AlertState.Cleared, "2026Q2", 10m)],
            alerts.Select(a => (a.Sequence, a.State, a.Period.ToString(), a.ObservedValue)));
        Assert.All(alerts, a => Assert.Equal((rule.Id, Area, 10, Now), (a.RuleId, a.AreaId, a.N, a.ChangedAt)));
    }

    [Fact]
    public void A_raised_rule_continues_from_its_last_alert_and_ignores_periods_before_it()
    {
        var rule = PoorAbove20();
        var raised = Assert.Single(rule.Evaluate(null, [Figure("2026Q1", 30m)], Now));

        Assert.Empty(rule.Evaluate(raised, [Figure("2026Q1", 35m), Figure("2025Q4", 5m)], Now));
        var cleared = Assert.Single(rule.Evaluate(raised, [Figure("2026Q2", 5m)], Now));
        Assert.Equal((2, AlertState.Cleared), (cleared.Sequence, cleared.State));
    }

    [Fact]
    public void A_deleted_rule_records_nothing()
    {
        var rule = PoorAbove20();
        rule.Delete(Now);

        Assert.Empty(rule.Evaluate(null, [Figure("2026Q1", 30m)], Now));
        Assert.Throws<NotFoundException>(() => rule.Delete(Now));
    }

    [Fact]
    public void An_ingest_asks_a_rule_about_the_periods_of_its_households_inside_the_rules_area_from_its_last_change_on()
    {
        var rule = PoorAbove20();
        var elsewhere = Guid.CreateVersion7();
        var inside = new HashSet<Guid> { Area };
        (Guid, DateOnly)[] households =
        [
            (Area, new DateOnly(2026, 2, 10)), (Area, new DateOnly(2026, 3, 1)), (elsewhere, new DateOnly(2026, 5, 1)),
            (Area, new DateOnly(2025, 11, 3)), (Area, new DateOnly(2026, 8, 4)),
        ];

        Assert.Equal(["2025Q4", "2026Q1", "2026Q3"], rule.PeriodsToEvaluate(inside, households, null).Select(p => p.ToString()));
        var raisedIn2026Q1 = Assert.Single(rule.Evaluate(null, [Figure("2026Q1", 30m)], Now));
        Assert.Equal(["2026Q1", "2026Q3"], rule.PeriodsToEvaluate(inside, households, raisedIn2026Q1).Select(p => p.ToString()));
    }
}
