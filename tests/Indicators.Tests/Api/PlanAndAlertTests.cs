using Grpc.Core;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

public sealed class PlanAndAlertTests : PostgresApiTest
{
    private static readonly string PlanId = Guid.CreateVersion7().ToString();

    private static FcsHousehold[] FollowUp() =>
    [
        Households.Acceptable39("f-1", "manzanares", "2026-08-04"),
        Households.Acceptable52("f-2", "manzanares", "2026-08-05"),
    ];

    [Fact]
    public async Task An_alert_is_raised_by_the_baseline_and_cleared_by_the_follow_up()
    {
        var rule = (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "30" },
            },
        })).Rule;

        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        var afterBaseline = await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id });
        var raised = Assert.Single(afterBaseline.Alerts);
        Assert.Equal((rule.Id, AlertState.Raised, "2025Q4", "33.3333", 3), (raised.RuleId, raised.State, raised.Period, raised.ObservedValue, raised.N));
        // The alert names its area and period and shows the figure it fired on: 1 poor household of 3 (14, 39, 27).
        Assert.Equal(("manzanares", "Manzanares", "share of households with poor FCS above 30 %"), (raised.AreaCode, raised.AreaName, raised.Condition));
        Assert.Equal("Manzanares (manzanares), 2025Q4: share of households with poor FCS was 33.3333 % over 3 households, above 30 %.", raised.Summary);

        var followUp = await S.FcsRoundAsync("2026Q3");
        await S.ImportAsync(followUp, FcsCsv.Write(false, FollowUp()));
        await S.ImportAsync(followUp, FcsCsv.Write(false, FollowUp()));

        var all = await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id });
        Assert.Equal([(AlertState.Raised, "2025Q4"), (AlertState.Cleared, "2026Q3")], all.Alerts.Select(a => (a.State, a.Period)).ToArray());
        Assert.Equal("0", all.Alerts[1].ObservedValue);
        Assert.Equal("Manzanares (manzanares), 2026Q3: share of households with poor FCS was 0 % over 2 households, no longer above 30 %.", all.Alerts[1].Summary);
        var cleared = await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id, State = AlertState.Cleared });
        Assert.Equal("2026Q3", Assert.Single(cleared.Alerts).Period);
    }

    [Fact]
    public async Task An_unweighted_round_in_a_quarter_of_a_weighted_one_is_stored_and_leaves_the_alert_as_it_was()
    {
        await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "30" },
            },
        });
        var weighted = await S.FcsRoundAsync("2026Q1 weighted", weighted: true);
        await S.ImportAsync(weighted, FcsCsv.Write(true, Households.Poor("w-1", "manzanares", "2026-01-05", "2")));
        var raised = Assert.Single((await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id })).Alerts);

        // The same quarter from an unweighted round: stored, though the quarter has no figure of both kinds together.
        var unweighted = await S.FcsRoundAsync("2026Q1 unweighted");
        var stored = (await S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = unweighted.Id, Csv = Google.Protobuf.ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Acceptable52("u-1", "manzanares", "2026-02-05"))),
        })).Result;
        Assert.Equal(1, stored.StoredRows);
        Assert.Equal([raised], (await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id })).Alerts);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest
        {
            IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Period = "2026Q1",
        }).ResponseAsync);
        var own = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest
        {
            IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Period = "2026Q1", SurveyRoundId = unweighted.Id,
        })).Aggregate;
        Assert.Equal(1, own.N);
    }

    [Fact]
    public async Task A_deleted_rule_is_no_longer_evaluated()
    {
        var rule = (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "FCS", AreaId = S.District.Id, Metric = "mean", PeriodType = PeriodType.Year,
                Condition = new Condition { Operator = ComparisonOperator.LessThan, Threshold = "40" },
            },
        })).Rule;
        Assert.Single((await S.Viewer.Alerts.ListAlertRulesAsync(new ListAlertRulesRequest { AreaId = S.District.Id })).Rules);

        await S.Facilitator.Alerts.DeleteAlertRuleAsync(new DeleteAlertRuleRequest { AlertRuleId = rule.Id });
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));

        Assert.Empty((await S.Viewer.Alerts.ListAlertRulesAsync(new ListAlertRulesRequest { AreaId = S.District.Id })).Rules);
        Assert.Empty((await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.District.Id })).Alerts);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () => S.Facilitator.Alerts.DeleteAlertRuleAsync(new DeleteAlertRuleRequest { AlertRuleId = rule.Id }).ResponseAsync);
    }

    [Fact]
    public async Task Plan_progress_is_the_share_of_the_way_from_baseline_to_target()
    {
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        var target = (await S.Facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new PlanTarget
            {
                PlanId = PlanId, GoalId = Guid.CreateVersion7().ToString(), IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "mean",
                BaselinePeriod = "2025Q4", TargetValue = "50", TargetDate = "2028-12-31",
            },
        })).Target;
        Assert.Equal(Direction.HigherIsBetter, target.Direction);
        Assert.Equal(80m / 3, decimal.Parse(target.BaselineValue, System.Globalization.CultureInfo.InvariantCulture));

        await S.ImportAsync(await S.FcsRoundAsync("2026Q3"), FcsCsv.Write(false, FollowUp()));
        var progress = await S.Viewer.Plans.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = target.Id, Period = "2026Q3" });

        // Mean (39 + 52) / 2 = 45.5; baseline 80/3; target 50.
        Assert.Equal("45.5", progress.CurrentValue);
        Assert.Equal((double)((45.5m - (80m / 3)) / (50m - (80m / 3)) * 100m), progress.Percent, 9);
        Assert.False(progress.TargetReached);
        Assert.Equal(2, progress.N);
        Assert.Equal(target, (await S.Viewer.Plans.GetPlanTargetAsync(new GetPlanTargetRequest { PlanTargetId = target.Id })).Target);
        Assert.Equal(target, Assert.Single((await S.Viewer.Plans.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = PlanId })).Targets));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            S.Viewer.Plans.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = target.Id, Period = "2027Q1" }).ResponseAsync);
    }
}
