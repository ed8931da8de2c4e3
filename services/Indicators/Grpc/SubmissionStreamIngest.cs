using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Indicators.Grpc;

/// <summary>The ingest of UploadSubmissions: a stream read and stored part by part in one transaction.</summary>
public sealed partial class SubmissionIngest
{
    /// <summary>
    /// Ingests a stream part by part, so memory holds one part, not the stream: each part is validated, planned and
    /// written (binary COPY) as it arrives, all in one transaction that commits once the stream has ended, so the
    /// stream is still all or nothing (<see cref="StreamedUpload"/> carries what a whole file would have told at once).
    /// A concurrent import that stores one of the stream's households first makes the write fail on the unique index:
    /// a stream cannot be read twice, so that is ABORTED (send it again: what was stored is then a duplicate).
    /// A stream that reads no answer at all is refused as INVALID_ARGUMENT on <see cref="IngestOrigin.Field"/>, and a
    /// part that <paramref name="parts"/> refuses (a malformed stream) ends the ingest with that refusal; either way
    /// nothing is stored.
    /// </summary>
    /// <summary>
    /// How many planned households wait to be staged together (one COPY of households and one of their scores): what
    /// an upload holds of rows to store, at most.
    /// </summary>
    public const int WriteBatchSize = 1_000;

    public async Task<IngestOutcome> IngestStreamAsync(SurveyRound round, IAsyncEnumerable<UploadPart> parts, ImportMode mode, IngestOrigin origin, CancellationToken ct)
    {
        using var span = telemetry.StartIngest(round.Id, 0);
        var upload = new StreamedUpload(mode);
        var form = round.Form;
        Guid? batchId = null;
        List<(AlertRule Rule, Alert Alert)> recorded = [];
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                // Shared with other ingests, exclusive against a new custom indicator: see ShareLockWatershedAsync.
                await db.ShareLockWatershedAsync(round.WatershedId, ct);
                await db.BeginStagingAsync(ct);
                var watershed = await db.AreaAsync(round.WatershedId, ct);
                var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
                var customs = await db.CustomIndicatorsAsync(watershed.Id, ct);
                var now = clock.GetUtcNow();
                ImportBatch? batch = null;
                var storedAreas = new HashSet<Guid>();
                var storedPeriods = new HashSet<(Guid AreaId, DateOnly InterviewDate)>();
                // Rows to store wait here until there are WriteBatchSize of them: one COPY (and one run of the
                // statement triggers that keep household_tallies) per write, not per part.
                var pending = new List<PlannedRow>(WriteBatchSize + SurveyGrpcService.UploadPartSize);
                async Task WriteAsync()
                {
                    if (batch is null)
                    {
                        // Recorded with the first write's count; the stream's own is set once it has ended.
                        batch = ImportBatch.Record(round.Id, origin.Source, pending.Count, origin.By, now);
                        db.ImportBatches.Add(batch);
                        await db.SaveChangesAsync(ct);
                    }

                    await db.StageSubmissionsAsync(pending.Select(row => Submission.Store(batch, row, now)), ct);
                    upload.Stored(pending.Count);
                    foreach (var row in pending)
                    {
                        storedAreas.Add(row.AreaId);
                        storedPeriods.Add((row.AreaId, row.Submission.InterviewDate));
                    }

                    pending.Clear();
                }

                await foreach (var (rows, seen, validated) in ValidatedAsync(round, upload, parts, ct))
                {
                    var taken = upload.Take(validated, seen, validated.Columns.Mapping.SubmissionIdColumns[0], rows);
                    if (upload.HasHeaderFault)
                    {
                        continue;
                    }

                    var fingerprints = await db.StoredFingerprintsAsync(round.Id, [.. taken.Accepted.Select(r => r.Submission.SubmissionId)], ct);
                    var plan = IngestPlanner.Plan(taken, customs, areas.Resolve, fingerprints, ImportMode.GoodRowsOnly);
                    upload.Planned(plan);
                    if (plan.ToStore.Count == 0 || !upload.MayStore)
                    {
                        continue;
                    }

                    pending.AddRange(plan.ToStore);
                    if (pending.Count >= WriteBatchSize)
                    {
                        await WriteAsync();
                    }
                }

                if (pending.Count > 0 && upload.MayStore)
                {
                    await WriteAsync();
                }

                if (upload.Rows == 0)
                {
                    throw new InvalidArgumentException(origin.Field, "the stream has no submission after the header");
                }

                if (!upload.HasHeaderFault && !upload.ReadsAnswers)
                {
                    throw new InvalidArgumentException(origin.Field, upload.Last!.NoAnswerReason(form));
                }

                if (upload.MustRollBack || upload.StoredRows == 0)
                {
                    await transaction.RollbackAsync(ct);
                }
                else
                {
                    await db.MoveStagedAsync(ct);
                    var id = batch!.Id;
                    var count = upload.StoredRows;
                    await db.ImportBatches.Where(b => b.Id == id).ExecuteUpdateAsync(s => s.SetProperty(b => b.StoredRows, count), ct);
                    db.AddEvent(EventMessages.Imported(round, watershed, count, storedAreas, now), EventMessages.SubjectOf(round), now);
                    recorded = await alerts.EvaluateAsync(round, watershed, areas, [.. storedPeriods], afterRemoval: false, ct);
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    batchId = id;
                }
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                throw new ConcurrencyConflictException("survey round", round.Id.ToString(), ex);
            }
        }

        var outcome = upload.Outcome();
        var stored = batchId is null ? 0 : upload.StoredRows;
        span?.SetTag("households.stored", stored).SetTag("outcome", stored == 0 && outcome.Errors.Count > 0 ? "rejected" : "stored");
        telemetry.Ingested(round.Id, stored == 0 && outcome.Errors.Count > 0, stored, outcome.RejectedRows, outcome.DuplicateRows);
        if (stored > 0)
        {
            LogStored(logger, round.Id, stored, outcome.DuplicateRows, outcome.RejectedRows);
            alerts.Report(recorded);
        }
        else
        {
            LogNothingStored(logger, round.Id, outcome.DuplicateRows, outcome.RejectedRows);
        }

        return new IngestOutcome(outcome, batchId) { StoredRows = stored };
    }

    /// <summary>
    /// The parts laid out and validated (the CPU's work: the table, every check, the scores) on a task of their own, one
    /// part ahead of the caller, who plans and writes (the database's work): the two overlap, and at most three parts are
    /// held at once (one read, one waiting, one written). A refusal while reading (a malformed stream) ends the
    /// enumeration with that refusal; the caller's failure or cancellation stops the reading.
    /// </summary>
    private static async IAsyncEnumerable<(int Rows, IReadOnlyDictionary<int, int> SeenBefore, BatchValidation Validated)> ValidatedAsync(
        SurveyRound round, StreamedUpload upload, IAsyncEnumerable<UploadPart> parts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var form = round.Form;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ready = System.Threading.Channels.Channel.CreateBounded<(int, IReadOnlyDictionary<int, int>, BatchValidation)>(
            new System.Threading.Channels.BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var part in parts.WithCancellation(stop.Token))
                {
                    var seen = upload.SeenBefore(part);
                    var table = UploadTable.Build(form, part.Submissions, part.FirstRow);
                    var validated = SubmissionBatch.Validate(table, form, round.Id.ToString(), round.FcsCutoffs, round.LcsStrategies, BatchWomen.Attached(part.Women, part.FirstRow));
                    await ready.Writer.WriteAsync((part.Submissions.Count, seen, validated), stop.Token);
                }

                ready.Writer.Complete();
            }
            catch (Exception ex)
            {
                ready.Writer.Complete(ex);
            }
        }, CancellationToken.None);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await ready.Reader.WaitToReadAsync(ct);
                }
                catch (System.Threading.Channels.ChannelClosedException closed) when (closed.InnerException is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(closed.InnerException).Throw();
                    throw;
                }

                if (!more)
                {
                    break;
                }

                while (ready.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }
    }
}
