using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Indicators.Grpc;

/// <summary>
/// The unit of work of ImportSubmissions and UploadSubmissions (and of the demo seeder, which imports the same
/// way): one transaction stores a batch's households with their scores and the alerts they raise or clear, or
/// nothing, with the events that report them in the same transaction (SubmissionsImported when a household is
/// stored, AlertRaised / AlertCleared per alert; nothing for an ingest that stores nothing). The domain decides
/// what to store (<see cref="IngestPlanner"/>) and what the alert rules record
/// (<see cref="AlertRule.Evaluate"/>); this class loads, locks and persists.
/// </summary>
public sealed partial class SubmissionIngest(
    IndicatorsDbContext db, AreaFigures figures, IndicatorsTelemetry telemetry, TimeProvider clock, ILogger<SubmissionIngest> logger)
{
    // A concurrent import of the same submissions loses the race on the unique index; retried, it finds them stored.
    private const int Attempts = 3;

    /// <summary>
    /// Validates, plans and stores one batch. A batch that reads no answer at all is refused as INVALID_ARGUMENT on
    /// <paramref name="source"/> (the request field that carried it: "csv" or "submissions") before anything is written.
    /// </summary>
    public async Task<IngestPlan> IngestAsync(SurveyRound round, CsvTable table, ImportMode mode, string source, CancellationToken ct)
    {
        using var span = telemetry.StartIngest(round.Id, table.Rows.Count);
        var form = round.Form;
        var batch = SubmissionBatch.Validate(table, form, round.Id.ToString(), round.FcsCutoffs, round.LcsStrategies);
        if (batch.ReadsNoAnswer)
        {
            throw new InvalidArgumentException(source, batch.NoAnswerReason(form));
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (plan, alerts) = await db.InTransactionAsync(token => StoreAsync(round, batch, mode, token), ct);
                span?.SetTag("households.stored", plan.ToStore.Count).SetTag("outcome", plan.IsRejected ? "rejected" : "stored");
                telemetry.Ingested(round.Id, plan.IsRejected, plan.ToStore.Count, plan.RejectedRows, plan.DuplicateRows);
                if (plan.ToStore.Count > 0)
                {
                    LogStored(logger, round.Id, plan.ToStore.Count, plan.DuplicateRows, plan.RejectedRows);
                }
                else
                {
                    LogNothingStored(logger, round.Id, plan.DuplicateRows, plan.RejectedRows);
                }

                Report(alerts);
                return plan;
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < Attempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<(IngestPlan Plan, List<(AlertRule Rule, Alert Alert)> Alerts)> StoreAsync(SurveyRound round, BatchValidation batch, ImportMode mode, CancellationToken ct)
    {
        // Shared with other ingests, exclusive against a new custom indicator: see ShareLockWatershedAsync.
        await db.ShareLockWatershedAsync(round.WatershedId, ct);
        var watershed = await db.AreaAsync(round.WatershedId, ct);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var stored = await db.StoredFingerprintsAsync(round.Id, [.. batch.Accepted.Select(r => r.Submission.SubmissionId)], ct);
        var customs = await db.CustomIndicatorsAsync(watershed.Id, ct);
        var plan = IngestPlanner.Plan(batch, customs, areas.Resolve, stored, mode);
        if (plan.ToStore.Count == 0)
        {
            return (plan, []);
        }

        var now = clock.GetUtcNow();
        await db.AddSubmissionsAsync(plan.ToStore.Select(row => Submission.Store(round.Id, row, now)), ct);
        db.AddEvent(EventMessages.Imported(round, watershed, plan.ToStore, now), EventMessages.SubjectOf(round), now);
        var alerts = await EvaluateAlertsAsync(round, watershed, areas, plan.ToStore, ct);
        await db.SaveChangesAsync(ct);
        return (plan, alerts);
    }

    /// <summary>
    /// Re-evaluates the rules on the areas the new households lie in, each under its row lock so two ingests
    /// evaluate a rule one after the other: the second sees the first's households and the alert it recorded.
    /// </summary>
    private async Task<List<(AlertRule Rule, Alert Alert)>> EvaluateAlertsAsync(
        SurveyRound round, Area watershed, WatershedAreas areas, IReadOnlyList<PlannedRow> rows, CancellationToken ct)
    {
        using var span = telemetry.StartAlertEvaluation(round.Id);
        var households = rows.Select(r => (r.AreaId, r.Submission.InterviewDate)).ToList();
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
            var ruleFigures = await figures.ComputeAsync(areas, [indicator], [rule.AreaId], periods, onlyWithHouseholds: false, ct);
            // Read after the lock, so a rule's alerts are stamped in the order of their sequence.
            foreach (var alert in rule.Evaluate(last, ruleFigures, clock.GetUtcNow()))
            {
                db.Alerts.Add(alert);
                db.AddEvent(EventMessages.Changed(rule, alert, areas.Get(rule.AreaId)), EventMessages.SubjectOf(rule), alert.ChangedAt);
                recorded.Add((rule, alert));
            }
        }

        span?.SetTag("alerts", recorded.Count);
        return recorded;
    }

    /// <summary>Counts and logs the alerts an ingest recorded, once it has committed them.</summary>
    private void Report(List<(AlertRule Rule, Alert Alert)> alerts)
    {
        foreach (var (rule, alert) in alerts)
        {
            var raised = alert.State == AlertState.Raised;
            telemetry.AlertChanged(rule.Id, rule.IndicatorCode, raised);
            LogAlert(logger, rule.Id, raised ? "raised" : "cleared", rule.IndicatorCode, rule.Metric.ToString(), rule.AreaId, alert.Period.ToString(),
                Dhis2Export.FormatValue(alert.ObservedValue), alert.N);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey round {SurveyRoundId}: {Stored} households stored, {Duplicates} already stored, {Rejected} rejected")]
    private static partial void LogStored(ILogger logger, Guid surveyRoundId, int stored, int duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Survey round {SurveyRoundId}: nothing stored, {Duplicates} already stored, {Rejected} rejected")]
    private static partial void LogNothingStored(ILogger logger, Guid surveyRoundId, int duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {AlertRuleId} {Change}: {IndicatorCode} {Metric} in area {AreaId}, period {Period}, is {Observed} over {N} households")]
    private static partial void LogAlert(ILogger logger, Guid alertRuleId, string change, string indicatorCode, string metric, Guid areaId, string period, string observed, int n);
}
