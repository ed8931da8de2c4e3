using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Tests.Domain;

public sealed class PlanApprovalTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Plan = Guid.CreateVersion7();
    private static readonly Guid Goal1 = Guid.CreateVersion7();
    private static readonly Guid Goal2 = Guid.CreateVersion7();
    private static readonly Guid Goal3 = Guid.CreateVersion7();
    private static readonly Guid V1 = Guid.CreateVersion7();
    private static readonly Guid V2 = Guid.CreateVersion7();
    private static readonly Guid V3 = Guid.CreateVersion7();

    private static Dictionary<Guid, string> Goals(params (Guid Id, string Text)[] goals) => goals.ToDictionary(g => g.Id, g => g.Text);

    private static (Guid, string)[] InForce(ApprovedPlan plan) => [.. plan.Goals.Select(g => (g.GoalId, g.Text)).OrderBy(g => g.GoalId)];

    private static PlanTarget TargetOf(Guid goal) => PlanTarget.Create(Plan, goal, FoodConsumptionScore.Info, Guid.CreateVersion7(), AggregateMetric.Mean, null,
        new Baseline(30m, Period.Parse("2025")), new Target(50m, new DateOnly(2028, 12, 31)), Now);

    [Fact]
    public void A_newer_version_replaces_the_goals_and_an_older_or_the_same_one_changes_nothing()
    {
        var plan = ApprovedPlan.Approve(Plan, "pomacanchi", V1, 1, Goals((Goal1, "Dieta"), (Goal2, "Erosión")), Now);

        Assert.True(plan.ApproveNewer(V2, 2, Goals((Goal1, "Dieta aceptable"), (Goal3, "Agua")), Now.AddDays(1)));
        Assert.Equal((V2, 2), (plan.VersionId, plan.VersionNumber));
        Assert.Equal(new[] { (Goal1, "Dieta aceptable"), (Goal3, "Agua") }.OrderBy(g => g.Item1), InForce(plan));

        Assert.False(plan.ApproveNewer(V1, 1, Goals((Goal2, "Erosión")), Now.AddDays(2)));
        Assert.False(plan.ApproveNewer(V3, 2, Goals((Goal2, "Erosión")), Now.AddDays(2)));
        Assert.Equal((V2, 2, Now.AddDays(1)), (plan.VersionId, plan.VersionNumber, plan.ApprovedAt));
        Assert.Equal(new[] { (Goal1, "Dieta aceptable"), (Goal3, "Agua") }.OrderBy(g => g.Item1), InForce(plan));
    }

    [Fact]
    public void A_goal_not_in_force_is_refused_as_a_precondition()
    {
        var plan = ApprovedPlan.Approve(Plan, "pomacanchi", V1, 1, Goals((Goal1, "Dieta")), Now);

        plan.RequireGoal(Goal1);
        var refused = Assert.Throws<PreconditionFailedException>(() => plan.RequireGoal(Goal2));
        Assert.Equal(("PLAN_GOAL", $"plans/{Plan}/goals/{Goal2}"), (refused.Type, refused.Subject));
    }

    [Fact]
    public void A_target_is_flagged_by_the_version_that_first_dropped_its_goal_and_unflagged_when_it_returns()
    {
        var target = TargetOf(Goal2);
        var plan = ApprovedPlan.Approve(Plan, "pomacanchi", V1, 1, Goals((Goal1, "Dieta"), (Goal2, "Erosión")), Now);
        target.FollowApproval(plan);
        Assert.Equal((false, (Guid?)null), (target.GoalDropped, target.GoalDroppedInVersionId));

        plan.ApproveNewer(V2, 2, Goals((Goal1, "Dieta")), Now);
        target.FollowApproval(plan);
        plan.ApproveNewer(V3, 3, Goals((Goal3, "Agua")), Now);
        target.FollowApproval(plan);
        Assert.Equal((true, (Guid?)V2), (target.GoalDropped, target.GoalDroppedInVersionId));

        plan.ApproveNewer(Guid.CreateVersion7(), 4, Goals((Goal2, "Erosión")), Now);
        target.FollowApproval(plan);
        Assert.Equal((false, (Guid?)null), (target.GoalDropped, target.GoalDroppedInVersionId));
    }

    [Theory]
    [InlineData("percent:poor", ComparisonOperator.GreaterThan, "20", "share of households with poor FCS above 20 %")]
    [InlineData("mean", ComparisonOperator.LessThan, "28.5", "mean FCS below 28.5")]
    [InlineData("count:borderline", ComparisonOperator.GreaterThanOrEqual, "5", "households with borderline FCS at least 5")]
    [InlineData("n", ComparisonOperator.LessThanOrEqual, "10", "households scored on FCS at most 10")]
    [InlineData("n_missing", ComparisonOperator.NotEqual, "0", "households missing FCS not equal to 0")]
    [InlineData("sum_weights", ComparisonOperator.Equal, "1.25", "weighted households scored on FCS equal to 1.25")]
    public void An_alert_rules_condition_reads_in_words(string metric, ComparisonOperator op, string threshold, string expected)
    {
        var condition = new Condition(op, decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, AlertWording.Describe("FCS", AggregateMetric.Parse(metric), condition));
    }

    [Fact]
    public void A_plan_learns_its_watershed_from_any_later_approval_and_tells_another_watershed_apart()
    {
        var plan = ApprovedPlan.Approve(Plan, "", V2, 2, Goals((Goal1, "Dieta")), Now);
        Assert.False(plan.BelongsElsewhere("cachora"));

        // A late approval of an older version changes no goal, but names the watershed.
        Assert.False(plan.ApproveNewer(V1, 1, Goals((Goal2, "Erosión")), Now, "pomacanchi"));
        Assert.Equal("pomacanchi", plan.WatershedCode);
        Assert.True(plan.BelongsElsewhere("cachora"));
        plan.RequireWatershed("pomacanchi");
        var ex = Assert.Throws<Watershed.ServiceDefaults.Errors.InvalidArgumentException>(() => plan.RequireWatershed("cachora"));
        Assert.Equal("plan_id", Assert.Single(ex.Violations).Field);
    }
}
