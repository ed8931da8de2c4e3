using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Indicators.Data;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using EventStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.Indicators.Tests.Api;

/// <summary>What indicators writes to its outbox, and land use's plan approvals delivered through the real AppCallback endpoint.</summary>
public sealed class EventTests : PostgresApiTest
{
    private static readonly Guid PlanId = Guid.CreateVersion7();
    private static readonly Guid Goal1 = Guid.CreateVersion7();
    private static readonly Guid Goal2 = Guid.CreateVersion7();
    private static readonly Guid Goal3 = Guid.CreateVersion7();
    private static readonly Guid Version1 = Guid.CreateVersion7();
    private static readonly Guid Version2 = Guid.CreateVersion7();

    private async Task<V1.AlertRule> PoorShareRuleAsync() =>
        (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new V1.AlertRule
            {
                IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = V1.ComparisonOperator.GreaterThan, Threshold = "30" },
            },
        })).Rule;

    private static string[] SortedIds(params string[] ids) => [.. ids.Select(Guid.Parse).Order().Select(id => id.ToString())];

    [Fact]
    public async Task An_ingest_that_raises_an_alert_publishes_the_import_and_the_raise_with_it()
    {
        var rule = await PoorShareRuleAsync();
        var round = await S.FcsRoundAsync("2025Q4");
        await S.ImportAsync(round, FcsCsv.Write(false, Households.Baseline()));

        var rows = await App.OutboxAsync();
        Assert.Equal(
            [("indicators.submissions_imported.v1", "watershed.indicators.v1.SubmissionsImported", $"survey_rounds/{round.Id}"),
             ("indicators.alert_raised.v1", "watershed.indicators.v1.AlertRaised", $"alert_rules/{rule.Id}/areas/{S.Manzanares.Id}")],
            rows.Select(r => (r.Topic, r.Type, r.Subject)).ToArray());

        var imported = new SubmissionsImported
        {
            SurveyRoundId = round.Id, StoredRows = 4, OccurredAt = Timestamp.FromDateTimeOffset(rows[0].OccurredAt),
            WatershedCode = "pomacanchi", SurveyRoundName = "2025Q4",
            AreaIds = { SortedIds(S.Manzanares.Id, S.Conchacalla.Id) },
        };
        Assert.Equal(imported, SubmissionsImported.Parser.ParseJson(rows[0].Data));

        var alert = Assert.Single((await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id })).Alerts);
        var raised = new AlertRaised
        {
            RuleId = rule.Id, IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "percent:poor", Period = "2025Q4",
            ObservedValue = "33.3333", N = 3, OccurredAt = alert.ChangedAt,
            WatershedCode = "pomacanchi", AreaCode = "manzanares", AreaName = "Manzanares",
            Condition = "share of households with poor FCS above 30 %",
            Summary = "Manzanares (manzanares), 2025Q4: share of households with poor FCS was 33.3333 % over 3 households, above 30 %.",
        };
        Assert.Equal(raised, AlertRaised.Parser.ParseJson(rows[1].Data));
        Assert.Equal(alert.ChangedAt.ToDateTimeOffset(), rows[1].OccurredAt);
    }

    [Fact]
    public async Task An_ingest_that_clears_an_alert_publishes_the_clear_and_a_duplicate_ingest_publishes_nothing()
    {
        var rule = await PoorShareRuleAsync();
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        var followUp = await S.FcsRoundAsync("2026Q3");
        FcsHousehold[] households =
        [
            Households.Acceptable39("f-1", "manzanares", "2026-08-04"),
            Households.Acceptable52("f-2", "manzanares", "2026-08-05"),
        ];
        await S.ImportAsync(followUp, FcsCsv.Write(false, households));
        var duplicate = await S.ImportAsync(followUp, FcsCsv.Write(false, households));
        Assert.Equal((0, 2), (duplicate.StoredRows, duplicate.DuplicateRows));

        var rows = (await App.OutboxAsync()).Skip(2).ToList();
        Assert.Equal(
            [("indicators.submissions_imported.v1", $"survey_rounds/{followUp.Id}"),
             ("indicators.alert_cleared.v1", $"alert_rules/{rule.Id}/areas/{S.Manzanares.Id}")],
            rows.Select(r => (r.Topic, r.Subject)).ToArray());
        Assert.Equal(new SubmissionsImported
        {
            SurveyRoundId = followUp.Id, StoredRows = 2, OccurredAt = Timestamp.FromDateTimeOffset(rows[0].OccurredAt),
            WatershedCode = "pomacanchi", SurveyRoundName = "2026Q3", AreaIds = { S.Manzanares.Id },
        }, SubmissionsImported.Parser.ParseJson(rows[0].Data));

        var alert = (await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id, State = V1.AlertState.Cleared })).Alerts.Single();
        Assert.Equal(new AlertCleared
        {
            RuleId = rule.Id, IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "percent:poor", Period = "2026Q3",
            ObservedValue = "0", N = 2, OccurredAt = alert.ChangedAt,
            WatershedCode = "pomacanchi", AreaCode = "manzanares", AreaName = "Manzanares",
            Condition = "share of households with poor FCS above 30 %",
            Summary = "Manzanares (manzanares), 2026Q3: share of households with poor FCS was 0 % over 2 households, no longer above 30 %.",
        }, AlertCleared.Parser.ParseJson(rows[1].Data));
    }

    [Fact]
    public async Task A_refused_ingest_writes_nothing_to_the_outbox()
    {
        await PoorShareRuleAsync();
        var round = await S.FcsRoundAsync("2025Q4");
        var refused = await S.ImportAsync(round, FcsCsv.Write(false, [.. Households.Baseline(), Households.Poor("b-9", "nowhere", "2025-11-06")]));

        Assert.Equal(0, refused.StoredRows);
        Assert.Single(refused.Errors);
        Assert.Empty(await App.OutboxAsync());
    }

    private static PlanVersionApproved Approval(Guid versionId, int number, params (Guid Id, string Text)[] goals) =>
        Approval(PlanId, versionId, number, goals);

    private static PlanVersionApproved Approval(Guid planId, Guid versionId, int number, params (Guid Id, string Text)[] goals)
    {
        var message = new PlanVersionApproved
        {
            Version = new PlanVersionRef
            {
                PlanId = planId.ToString(), PlanVersionId = versionId.ToString(), Number = number, PlanTitle = "Plan de Pomacanchi",
                WatershedUnitId = Guid.CreateVersion7().ToString(), WatershedCode = "pomacanchi",
            },
            ProposalId = Guid.CreateVersion7().ToString(),
            ZoneCount = 3,
            AreaHa = 120.5,
            OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, number, 10, 0, 0, TimeSpan.Zero)),
        };
        message.Goals.AddRange(goals.Select(g => new PlanGoalRef { GoalId = g.Id.ToString(), Text = g.Text }));
        return message;
    }

    private Task<EventStatus> DeliverAsync(IMessage message, string eventId) =>
        DaprCallback.DeliverAsync(App.Channel(), EventTopics.For(message.Descriptor), message, eventId, $"plans/{PlanId}",
            data: OutboxMessage.Json.Format(message), source: "landuse");

    private async Task<(Guid VersionId, (Guid, string)[] Goals, int Inbox)> KeptAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        var plan = await db.ApprovedPlans.AsNoTracking().Include(p => p.Goals).SingleAsync(p => p.PlanId == PlanId);
        var inbox = await db.Set<InboxMessage>().CountAsync();
        return (plan.VersionId, [.. plan.Goals.Select(g => (g.GoalId, g.Text)).OrderBy(g => g.GoalId)], inbox);
    }

    private Task<V1.PlanTarget> TargetAsync(Guid goalId) => TargetAsync(PlanId, goalId);

    private async Task<V1.PlanTarget> TargetAsync(Guid planId, Guid goalId) =>
        (await S.Facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new V1.PlanTarget
            {
                PlanId = planId.ToString(), GoalId = goalId.ToString(), IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "mean",
                BaselineValue = "30", BaselinePeriod = "2025Q4", TargetValue = "50", TargetDate = "2028-12-31",
            },
        })).Target;

    [Fact]
    public async Task An_approval_delivered_three_times_keeps_the_plans_goals_once()
    {
        var approval = Approval(Version1, 1, (Goal1, "Más familias con dieta aceptable"), (Goal2, "Menos erosión"));
        var replies = new List<EventStatus>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(await DeliverAsync(approval, "approval-1"));
        }

        Assert.Equal([EventStatus.Success, EventStatus.Success, EventStatus.Success], replies);
        var (versionId, goals, inbox) = await KeptAsync();
        Assert.Equal(Version1, versionId);
        Assert.Equal(new[] { (Goal1, "Más familias con dieta aceptable"), (Goal2, "Menos erosión") }.OrderBy(g => g.Item1), goals);
        Assert.Equal(1, inbox);
    }

    [Fact]
    public async Task A_target_of_a_known_plan_must_measure_one_of_its_goals_in_force()
    {
        var unknownPlanTarget = await TargetAsync(Goal3);
        Assert.False(unknownPlanTarget.GoalDropped);

        Assert.Equal(EventStatus.Success, await DeliverAsync(Approval(Version1, 1, (Goal1, "Dieta"), (Goal2, "Erosión")), "approval-1"));
        var before = await App.SnapshotAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => TargetAsync(Guid.CreateVersion7()));
        Assert.Empty(before.Differences(await App.SnapshotAsync()));

        var accepted = await TargetAsync(Goal1);
        Assert.Equal((Goal1.ToString(), false, ""), (accepted.GoalId, accepted.GoalDropped, accepted.GoalDroppedInVersionId));

        // The target made before the plan was known measures a goal the first approval does not have.
        var flagged = (await S.Viewer.Plans.GetPlanTargetAsync(new GetPlanTargetRequest { PlanTargetId = unknownPlanTarget.Id })).Target;
        Assert.Equal((true, Version1.ToString()), (flagged.GoalDropped, flagged.GoalDroppedInVersionId));
    }

    [Fact]
    public async Task A_newer_version_that_drops_a_goal_flags_its_targets_and_a_late_older_one_changes_nothing()
    {
        Assert.Equal(EventStatus.Success, await DeliverAsync(Approval(Version1, 1, (Goal1, "Dieta"), (Goal2, "Erosión")), "approval-1"));
        var kept = await TargetAsync(Goal1);
        var dropped = await TargetAsync(Goal2);

        Assert.Equal(EventStatus.Success, await DeliverAsync(Approval(Version2, 2, (Goal1, "Dieta aceptable"), (Goal3, "Agua")), "approval-2"));
        var listed = (await S.Viewer.Plans.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = PlanId.ToString() })).Targets;
        Assert.Equal(
            [(kept.Id, false, ""), (dropped.Id, true, Version2.ToString())],
            listed.Select(t => (t.Id, t.GoalDropped, t.GoalDroppedInVersionId)).ToArray());
        var got = (await S.Viewer.Plans.GetPlanTargetAsync(new GetPlanTargetRequest { PlanTargetId = dropped.Id })).Target;
        Assert.Equal((true, Version2.ToString()), (got.GoalDropped, got.GoalDroppedInVersionId));
        var (versionId, goals, _) = await KeptAsync();
        Assert.Equal(Version2, versionId);
        Assert.Equal(new[] { (Goal1, "Dieta aceptable"), (Goal3, "Agua") }.OrderBy(g => g.Item1), goals);

        // Versions are published under their own subjects, so an older approval may arrive last: it is not put in force.
        Assert.Equal(EventStatus.Success, await DeliverAsync(Approval(Version1, 1, (Goal1, "Dieta"), (Goal2, "Erosión")), "approval-1-late"));
        Assert.Equal(Version2, (await KeptAsync()).VersionId);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => TargetAsync(Goal2));
        Assert.True((await S.Viewer.Plans.GetPlanTargetAsync(new GetPlanTargetRequest { PlanTargetId = dropped.Id })).Target.GoalDropped);
    }

    [Fact]
    public async Task An_approval_that_can_never_be_processed_is_dropped_to_the_dead_letter_topic()
    {
        var approval = Approval(Version1, 1, (Goal1, "Dieta"));
        approval.Version.PlanId = "not-an-id";
        Assert.Equal(EventStatus.Drop, await DeliverAsync(approval, "bad-approval"));
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        Assert.Equal((0, 0), (await db.ApprovedPlans.CountAsync(), await db.Set<InboxMessage>().CountAsync()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_target_made_while_an_approval_drops_its_goal_is_refused_or_flagged(bool planKnown)
    {
        for (var i = 0; i < 5; i++)
        {
            var plan = Guid.CreateVersion7();
            var (kept, dropped) = (Guid.CreateVersion7(), Guid.CreateVersion7());
            var number = 1;
            if (planKnown)
            {
                Assert.Equal(EventStatus.Success, await DeliverAsync(Approval(plan, Guid.CreateVersion7(), number++, (kept, "Dieta"), (dropped, "Erosión")), $"race-{plan}-1"));
            }

            var dropping = Guid.CreateVersion7();
            var create = TargetAsync(plan, dropped);
            var approve = DeliverAsync(Approval(plan, dropping, number, (kept, "Dieta")), $"race-{plan}-2");
            Assert.Equal(EventStatus.Success, await approve);

            // Either the approval came first and the goal is refused, or the target came first and the approval flagged it.
            try
            {
                var created = await create;
                var target = (await S.Viewer.Plans.GetPlanTargetAsync(new GetPlanTargetRequest { PlanTargetId = created.Id })).Target;
                Assert.Equal((true, dropping.ToString()), (target.GoalDropped, target.GoalDroppedInVersionId));
            }
            catch (RpcException refused)
            {
                Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
                Assert.Empty((await S.Viewer.Plans.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = plan.ToString() })).Targets);
            }
        }
    }
}
