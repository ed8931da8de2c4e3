using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>How a batch arrived: the proto enum's twin (same names and numbers, no zero).</summary>
public enum ImportSource
{
    /// <summary>ImportSubmissions: a CSV export.</summary>
    File = 1,

    /// <summary>UploadSubmissions: a client's stream.</summary>
    Stream = 2,
}

/// <summary>
/// One ingest that stored households: a file or a stream, who sent it and when. It can be removed as a whole (one bad
/// import undone); the removal is recorded (<see cref="SubmissionRemoval"/>) and the batch keeps its history.
/// </summary>
public sealed class ImportBatch
{
    private ImportBatch(Guid id, Guid surveyRoundId, ImportSource source, int storedRows, DateTimeOffset storedAt, string storedBy)
    {
        Id = id;
        SurveyRoundId = surveyRoundId;
        Source = source;
        StoredRows = storedRows;
        StoredAt = storedAt;
        StoredBy = storedBy;
    }

    public Guid Id { get; private set; }

    public Guid SurveyRoundId { get; private set; }

    public ImportSource Source { get; private set; }

    /// <summary>Households the batch stored (its duplicates and refused rows are not counted).</summary>
    public int StoredRows { get; private set; }

    public DateTimeOffset StoredAt { get; private set; }

    /// <summary>The caller's subject (the token's "sub").</summary>
    public string StoredBy { get; private set; }

    /// <summary>Set once the batch is removed as a whole.</summary>
    public Guid? RemovalId { get; private set; }

    public bool IsRemoved => RemovalId is not null;

    public static ImportBatch Record(Guid surveyRoundId, ImportSource source, int storedRows, string storedBy, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storedBy);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(storedRows);
        return new ImportBatch(Guid.CreateVersion7(), surveyRoundId, source, storedRows, now, storedBy);
    }

    /// <summary>
    /// Removes the batch's households that are still stored (<paramref name="remaining"/>: some may have been removed one by
    /// one before). A batch is removed once; a second removal is FAILED_PRECONDITION and changes nothing.
    /// </summary>
    public SubmissionRemoval Remove(IReadOnlyList<RemovedHousehold> remaining, string removedBy, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remaining);
        if (IsRemoved)
        {
            throw new PreconditionFailedException("IMPORT_BATCH_REMOVED", Id.ToString(), $"Import batch {Id} was removed already.");
        }

        if (remaining.Any(s => s.ImportBatchId != Id))
        {
            throw new ArgumentException($"Only submissions of batch {Id} can be removed with it.", nameof(remaining));
        }

        var removal = SubmissionRemoval.Of(SurveyRoundId, Id, remaining, removedBy, reason, now);
        RemovalId = removal.Id;
        return removal;
    }
}

/// <summary>What a removal needs to know of a stored household: who it is, where and when, and the batch that stored it.</summary>
public sealed record RemovedHousehold(Guid RowId, string SubmissionId, Guid AreaId, DateOnly InterviewDate, DateTimeOffset StoredAt, int Row, Guid? ImportBatchId);

/// <summary>
/// The record of a removal: which households of a round were removed (one submission, or what was left of an import
/// batch), by whom, when and why. Removed households leave every figure; the record stays, so the round's history can
/// be told, and a removed submission may be imported again.
/// </summary>
public sealed class SubmissionRemoval
{
    /// <summary>The most characters of a removal's reason.</summary>
    public const int MaxReasonLength = 500;

    private SubmissionRemoval(Guid id, Guid surveyRoundId, Guid? importBatchId, IReadOnlyList<string> submissionIds, IReadOnlyList<Guid> areaIds,
        string removedBy, string reason, DateTimeOffset removedAt)
    {
        Id = id;
        SurveyRoundId = surveyRoundId;
        ImportBatchId = importBatchId;
        SubmissionIds = submissionIds;
        AreaIds = areaIds;
        RemovedBy = removedBy;
        Reason = reason;
        RemovedAt = removedAt;
    }

    private SubmissionRemoval()
    {
        SubmissionIds = [];
        AreaIds = [];
        RemovedBy = "";
        Reason = "";
    }

    public Guid Id { get; private set; }

    public Guid SurveyRoundId { get; private set; }

    /// <summary>The batch removed as a whole; null for one submission removed on its own.</summary>
    public Guid? ImportBatchId { get; private set; }

    /// <summary>The survey tool's ids of the removed submissions, in the order they were stored.</summary>
    public IReadOnlyList<string> SubmissionIds { get; private set; }

    /// <summary>The areas that lost households: their figures changed.</summary>
    public IReadOnlyList<Guid> AreaIds { get; private set; }

    public string RemovedBy { get; private set; }

    public string Reason { get; private set; }

    public DateTimeOffset RemovedAt { get; private set; }

    /// <summary>One submission of <paramref name="surveyRoundId"/> removed on its own.</summary>
    public static SubmissionRemoval OfSubmission(Guid surveyRoundId, RemovedHousehold submission, string removedBy, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return Of(surveyRoundId, null, [submission], removedBy, reason, now);
    }

    internal static SubmissionRemoval Of(Guid surveyRoundId, Guid? importBatchId, IReadOnlyList<RemovedHousehold> submissions, string removedBy, string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(removedBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new SubmissionRemoval(Guid.CreateVersion7(), surveyRoundId, importBatchId,
            [.. submissions.OrderBy(s => s.StoredAt).ThenBy(s => s.Row).Select(s => s.SubmissionId)],
            [.. submissions.Select(s => s.AreaId).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal)], removedBy, reason, now);
    }
}
