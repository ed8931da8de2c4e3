using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Grpc;

/// <summary>A removal as recorded, with the alerts it raised or cleared.</summary>
public sealed record RemovalOutcome(SubmissionRemoval Removal, IReadOnlyList<(AlertRule Rule, Alert Alert)> Alerts);

/// <summary>
/// The unit of work of RemoveSubmission and RemoveImportBatch: one transaction deletes the households (their scores go
/// with them), records the removal, and re-evaluates the alert rules on their areas and periods, publishing each alert it
/// records through the outbox. The domain decides what a removal is (<see cref="ImportBatch.Remove"/>,
/// <see cref="SubmissionRemoval"/>) and what the rules record; this class loads, locks and persists.
/// </summary>
public sealed partial class SubmissionRemovals(IndicatorsDbContext db, AlertEvaluation alerts, TimeProvider clock, ILogger<SubmissionRemovals> logger)
{
    /// <summary>Removes one household's submission; NOT_FOUND when the round has none with that id (or it was just removed).</summary>
    public async Task<RemovalOutcome> RemoveSubmissionAsync(SurveyRound round, string submissionId, string removedBy, string reason, CancellationToken ct)
    {
        var outcome = await db.InTransactionAsync(async token =>
        {
            await db.ShareLockWatershedAsync(round.WatershedId, token);
            var rowId = await db.Submissions.Where(s => s.SurveyRoundId == round.Id && s.SubmissionId == submissionId).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(token)
                ?? throw new NotFoundException("submission", submissionId);
            // Under the row's lock: a removal of its batch that committed first has deleted it, and this one finds nothing.
            var submission = await db.LoadForUpdateAsync<Submission>(rowId, "submission", token);
            var removed = submission.AsRemoved();
            var removal = SubmissionRemoval.OfSubmission(round.Id, removed, removedBy, reason, clock.GetUtcNow());
            return await RecordAsync(round, removal, [removed], token);
        }, ct);
        alerts.Report(outcome.Alerts);
        LogRemoved(logger, round.Id, outcome.Removal.Id, outcome.Removal.SubmissionIds.Count);
        return outcome;
    }

    /// <summary>
    /// Removes what is left of an import batch; NOT_FOUND for a batch of another round, FAILED_PRECONDITION for a batch
    /// removed already.
    /// </summary>
    public async Task<RemovalOutcome> RemoveBatchAsync(SurveyRound round, Guid importBatchId, string removedBy, string reason, CancellationToken ct)
    {
        var outcome = await db.InTransactionAsync(async token =>
        {
            await db.ShareLockWatershedAsync(round.WatershedId, token);
            var batch = await db.LoadForUpdateAsync<ImportBatch>(importBatchId, "import_batch", token);
            if (batch.SurveyRoundId != round.Id)
            {
                throw new NotFoundException("import_batch", importBatchId.ToString());
            }

            // The batch's households under their row locks: one removed on its own meanwhile is not removed twice.
            await db.LockBatchSubmissionsAsync(batch.Id, token);
            var remaining = await db.Submissions.AsNoTracking().Where(s => s.ImportBatchId == batch.Id).Select(s => new RemovedHousehold(
                s.Id, s.SubmissionId, s.AreaId, s.InterviewDate, s.StoredAt, s.Row, s.ImportBatchId)).ToListAsync(token);
            var removal = batch.Remove(remaining, removedBy, reason, clock.GetUtcNow());
            return await RecordAsync(round, removal, remaining, token);
        }, ct);
        alerts.Report(outcome.Alerts);
        LogRemoved(logger, round.Id, outcome.Removal.Id, outcome.Removal.SubmissionIds.Count);
        return outcome;
    }

    private async Task<RemovalOutcome> RecordAsync(SurveyRound round, SubmissionRemoval removal, IReadOnlyList<RemovedHousehold> households, CancellationToken ct)
    {
        db.SubmissionRemovals.Add(removal);
        await db.SaveChangesAsync(ct);
        var ids = households.Select(h => h.RowId).ToList();
        foreach (var chunk in ids.Chunk(1000))
        {
            await db.Submissions.Where(s => chunk.Contains(s.Id)).ExecuteDeleteAsync(ct);
        }

        var watershed = await db.AreaAsync(round.WatershedId, ct);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var recorded = await alerts.EvaluateAsync(round, watershed, areas, [.. households.Select(h => (h.AreaId, h.InterviewDate))], afterRemoval: true, ct);
        await db.SaveChangesAsync(ct);
        return new RemovalOutcome(removal, recorded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey round {SurveyRoundId}: removal {RemovalId} removed {Households} households")]
    private static partial void LogRemoved(ILogger logger, Guid surveyRoundId, Guid removalId, int households);
}
