using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Indicators.Grpc;

/// <summary>Where a batch came from: how it arrived, the request field that carried it (named when it is refused) and who sent it.</summary>
public sealed record IngestOrigin(ImportSource Source, string Field, string By)
{
    public static IngestOrigin File(string by) => new(ImportSource.File, "csv", by);

    public static IngestOrigin Stream(string by) => new(ImportSource.Stream, "submissions", by);
}

/// <summary>
/// The plan an ingest carried out and the batch it recorded (null when it stored nothing). A streamed ingest does not
/// keep its rows: <see cref="StoredRows"/> counts them.
/// </summary>
public sealed record IngestOutcome(IngestPlan Plan, Guid? ImportBatchId)
{
    public int? StoredRows { get; init; }
}

/// <summary>
/// The unit of work of ImportSubmissions and UploadSubmissions (and of the demo seeder, which imports the same
/// way): one transaction stores a batch's households with their scores, the batch's record, and the alerts they raise
/// or clear, or nothing, with the events that report them in the same transaction (SubmissionsImported when a household
/// is stored, AlertRaised / AlertCleared per alert; nothing for an ingest that stores nothing). The domain decides what to
/// store (<see cref="IngestPlanner"/>) and what the alert rules record (<see cref="AlertRule.Evaluate"/>); this class
/// loads, locks and persists.
/// </summary>
public sealed partial class SubmissionIngest(
    IndicatorsDbContext db, AlertEvaluation alerts, IndicatorsTelemetry telemetry, TimeProvider clock, ILogger<SubmissionIngest> logger)
{
    // A concurrent import of the same submissions loses the race on the unique index; retried, it finds them stored.
    private const int Attempts = 3;

    /// <summary>
    /// Validates, plans and stores one batch. A batch that reads no answer at all is refused as INVALID_ARGUMENT on the
    /// request field that carried it (<see cref="IngestOrigin.Field"/>) before anything is written.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(SurveyRound round, CsvTable table, ImportMode mode, IngestOrigin origin, CancellationToken ct, BatchWomen? women = null, bool checkOnly = false)
    {
        using var span = telemetry.StartIngest(round.Id, table.Rows.Count);
        var form = round.Form;
        var batch = SubmissionBatch.Validate(table, form, round.Id.ToString(), round.FcsCutoffs, round.LcsStrategies, women);
        if (batch.ReadsNoAnswer)
        {
            throw new InvalidArgumentException(origin.Field, batch.NoAnswerReason(form));
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (plan, batchId, recorded) = await db.InTransactionAsync(token => StoreAsync(round, batch, mode, origin, checkOnly, token), ct);
                if (checkOnly)
                {
                    LogChecked(logger, round.Id, plan.ToStore.Count, plan.DuplicateRows, plan.RejectedRows);
                    return new IngestOutcome(plan, null);
                }

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

                alerts.Report(recorded);
                return new IngestOutcome(plan, batchId);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < Attempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<(IngestPlan Plan, Guid? BatchId, List<(AlertRule Rule, Alert Alert)> Alerts)> StoreAsync(
        SurveyRound round, BatchValidation batch, ImportMode mode, IngestOrigin origin, bool checkOnly, CancellationToken ct)
    {
        // Shared with other ingests, exclusive against a new custom indicator: see ShareLockWatershedAsync.
        await db.ShareLockWatershedAsync(round.WatershedId, ct);
        var watershed = await db.AreaAsync(round.WatershedId, ct);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var stored = await db.StoredFingerprintsAsync(round.Id, [.. batch.Accepted.Select(r => r.Submission.SubmissionId)], ct);
        var customs = await db.CustomIndicatorsAsync(watershed.Id, ct);
        var plan = IngestPlanner.Plan(batch, customs, areas.Resolve, stored, mode);
        if (plan.ToStore.Count == 0 || checkOnly)
        {
            return (plan, null, []);
        }

        var now = clock.GetUtcNow();
        var importBatch = ImportBatch.Record(round.Id, origin.Source, plan.ToStore.Count, origin.By, now);
        db.ImportBatches.Add(importBatch);
        await db.SaveChangesAsync(ct);
        await db.AddSubmissionsAsync(plan.ToStore.Select(row => Submission.Store(importBatch, row, now)), ct);
        db.AddEvent(EventMessages.Imported(round, watershed, plan.ToStore, now), EventMessages.SubjectOf(round), now);
        var recorded = await alerts.EvaluateAsync(round, watershed, areas, [.. plan.ToStore.Select(r => (r.AreaId, r.Submission.InterviewDate))], afterRemoval: false, ct);
        await db.SaveChangesAsync(ct);
        return (plan, importBatch.Id, recorded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey round {SurveyRoundId}: {Stored} households stored, {Duplicates} already stored, {Rejected} rejected")]
    private static partial void LogStored(ILogger logger, Guid surveyRoundId, int stored, int duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Survey round {SurveyRoundId}: checked only, {Stored} households would be stored, {Duplicates} already stored, {Rejected} rejected")]
    private static partial void LogChecked(ILogger logger, Guid surveyRoundId, int stored, int duplicates, int rejected);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Survey round {SurveyRoundId}: nothing stored, {Duplicates} already stored, {Rejected} rejected")]
    private static partial void LogNothingStored(ILogger logger, Guid surveyRoundId, int duplicates, int rejected);
}
