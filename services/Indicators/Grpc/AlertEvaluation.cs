using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Indicators.Grpc;

/// <summary>
/// Re-evaluates the alert rules whose figures a change of households touched (an ingest that stored some, a removal),
/// inside the change's transaction: each rule under its row lock, so two changes evaluate a rule one after the other
/// and the second sees the first's households and the alert it recorded. Every alert recorded goes to the outbox in the
/// same transaction (AlertRaised / AlertCleared).
/// </summary>
public sealed partial class AlertEvaluation(IndicatorsDbContext db, AreaFigures figures, IndicatorsTelemetry telemetry, TimeProvider clock, ILogger<AlertEvaluation> logger)
{
    /// <summary>
    /// The alerts the rules on the areas of <paramref name="households"/> (and the areas they lie in) record for the
    /// periods of those households. After a removal (<paramref name="afterRemoval"/>) a raised alert whose period has no
    /// household left is cleared (<see cref="AlertRule.Evaluate"/>).
    /// </summary>
    public async Task<List<(AlertRule Rule, Alert Alert)>> EvaluateAsync(
        SurveyRound round, Area watershed, WatershedAreas areas, IReadOnlyList<(Guid AreaId, DateOnly InterviewDate)> households, bool afterRemoval, CancellationToken ct)
    {
        using var span = telemetry.StartAlertEvaluation(round.Id);
        var ruleIds = await db.LiveAlertRuleIdsAsync([.. areas.SelfAndAncestors(households.Select(h => h.AreaId))], ct);
        span?.SetTag("alert_rules", ruleIds.Count);
        var recorded = new List<(AlertRule Rule, Alert Alert)>();
        if (ruleIds.Count == 0)
        {
            return recorded;
        }

        var indicators = await db.IndicatorsAsync(watershed.Id, ct);
        foreach (var ruleId in ruleIds)
        {
            var rule = await db.LoadForUpdateAsync<AlertRule>(ruleId, "alert_rule", ct);
            if (indicators.FirstOrDefault(i => i.Code == rule.IndicatorCode) is not { } indicator)
            {
                continue;
            }

            var last = await db.LastAlertAsync(rule.Id, ct);
            var periods = rule.PeriodsToEvaluate(areas.SelfAndDescendants(rule.AreaId).ToHashSet(), households, last);
            var ruleFigures = await FiguresAsync(areas, indicator, rule, periods, ct);
            // Read after the lock, so a rule's alerts are stamped in the order of their sequence.
            foreach (var alert in rule.Evaluate(last, ruleFigures, clock.GetUtcNow(), afterRemoval))
            {
                db.Alerts.Add(alert);
                db.AddEvent(EventMessages.Changed(rule, alert, areas.Get(rule.AreaId)), EventMessages.SubjectOf(rule), alert.ChangedAt);
                recorded.Add((rule, alert));
            }
        }

        span?.SetTag("alerts", recorded.Count);
        return recorded;
    }

    /// <summary>
    /// The rule's figures for <paramref name="periods"/>. A period whose households come from weighted and unweighted
    /// rounds has no figure (GetAggregate refuses it as FAILED_PRECONDITION), so it leaves the rule's state as it is: the
    /// households that made it so are stored all the same, and the figures of one round stay readable
    /// (survey_round_id). Refusing the import instead would tell the user to choose a period they never asked for.
    /// </summary>
    private async Task<IReadOnlyList<IndicatorAggregate>> FiguresAsync(WatershedAreas areas, IndicatorInfo indicator, AlertRule rule, IReadOnlyList<Period> periods, CancellationToken ct)
    {
        try
        {
            return await figures.ComputeAsync(areas, [indicator], [rule.AreaId], periods, onlyWithHouseholds: false, ct);
        }
        catch (MixedSurveyWeightsException)
        {
            var kept = new List<IndicatorAggregate>();
            foreach (var period in periods)
            {
                try
                {
                    kept.AddRange(await figures.ComputeAsync(areas, [indicator], [rule.AreaId], [period], onlyWithHouseholds: false, ct));
                }
                catch (MixedSurveyWeightsException)
                {
                    LogMixedPeriod(logger, rule.Id, period.ToString());
                }
            }

            return kept;
        }
    }

    /// <summary>Counts and logs the alerts a change recorded, once it has committed them.</summary>
    public void Report(IEnumerable<(AlertRule Rule, Alert Alert)> alerts)
    {
        foreach (var (rule, alert) in alerts)
        {
            var raised = alert.State == AlertState.Raised;
            telemetry.AlertChanged(rule.Id, rule.IndicatorCode, raised);
            LogAlert(logger, rule.Id, raised ? "raised" : "cleared", rule.IndicatorCode, rule.Metric.ToString(), rule.AreaId, alert.Period.ToString(),
                Dhis2Export.FormatValue(alert.ObservedValue), alert.N);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {AlertRuleId} not evaluated for {Period}: its households come from weighted and unweighted rounds, which have no figure together")]
    private static partial void LogMixedPeriod(ILogger logger, Guid alertRuleId, string period);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {AlertRuleId} {Change}: {IndicatorCode} {Metric} in area {AreaId}, period {Period}, is {Observed} over {N} households")]
    private static partial void LogAlert(ILogger logger, Guid alertRuleId, string change, string indicatorCode, string metric, Guid areaId, string period, string observed, int n);
}
