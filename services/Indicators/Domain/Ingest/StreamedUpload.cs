using System.Globalization;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>A part of a streamed upload: its submissions (rows <see cref="FirstRow"/> on) and each one's women.</summary>
public sealed record UploadPart(
    IReadOnlyList<UploadedSubmission> Submissions,
    IReadOnlyList<IReadOnlyList<IReadOnlyDictionary<string, string>>> Women,
    int FirstRow);

/// <summary>
/// A stream of submissions read part by part, so that an upload holds one part at a time, never the whole stream. Each
/// part is laid out, validated and planned as a file is (<see cref="UploadTable"/>, <see cref="SubmissionBatch"/>,
/// <see cref="IngestPlanner"/>); this class carries across parts what a whole file would have told at once, so the
/// answer is the one the whole stream would get:
/// <list type="bullet">
/// <item>a submission id sent again in a later part is a row error ("duplicate submission id: row n has it too"), as
/// within one file;</item>
/// <item>a header fault of any part (its columns, its women's columns) refuses the whole stream, as a file's header
/// fault stores nothing whatever the mode;</item>
/// <item>the stream reads an answer when any part does (else it is refused as a whole, as a file is);</item>
/// <item>its unmapped columns are those of any part, in the order first met; the mapped columns it lacks are those no
/// part has;</item>
/// <item>in all-or-nothing mode, once any row has an error nothing more is stored, and what was is rolled back.</item>
/// </list>
/// </summary>
public sealed class StreamedUpload(ImportMode mode)
{
    private readonly Dictionary<string, int> _firstRowOfId = new(StringComparer.Ordinal);
    private readonly List<RowError> _errors = [];
    private readonly List<RowError> _headerFaults = [];
    private readonly List<string> _unmapped = [];
    private readonly HashSet<string> _unmappedSeen = new(StringComparer.Ordinal);
    private List<string>? _mappedNotInFile;

    public int Rows { get; private set; }

    public int AcceptedRows { get; private set; }

    public int DuplicateRows { get; private set; }

    public int StoredRows { get; private set; }

    /// <summary>Whether any part had a column the mapping reads as an answer, or women.</summary>
    public bool ReadsAnswers { get; private set; }

    /// <summary>The last part's validation, for wording a refusal of a stream that reads no answer.</summary>
    public BatchValidation? Last { get; private set; }

    public bool HasHeaderFault => _headerFaults.Count > 0;

    /// <summary>Whether the rows of a planned part may be written now: never after a header fault, nor after any error in all-or-nothing mode.</summary>
    public bool MayStore => !HasHeaderFault && (mode == ImportMode.GoodRowsOnly || _errors.Count == 0);

    /// <summary>Whether what was written must be rolled back at the end.</summary>
    public bool MustRollBack => HasHeaderFault || (mode == ImportMode.AllOrNothing && _errors.Count > 0);

    /// <summary>
    /// The ids of the part's submissions that an earlier part had: their rows, with the row that had the id first. Read
    /// before the part is validated, as SubmissionBatch reads ids (trimmed, ODK's "uuid:" dropped); the part's own ids
    /// are remembered for the parts after it.
    /// </summary>
    public IReadOnlyDictionary<int, int> SeenBefore(UploadPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var seen = new Dictionary<int, int>();
        var mine = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, submission) in part.Submissions.Index())
        {
            if (string.IsNullOrWhiteSpace(submission.Id))
            {
                continue;
            }

            var id = BatchWomen.SubmissionId(submission.Id.Trim());
            if (_firstRowOfId.TryGetValue(id, out var first))
            {
                seen[part.FirstRow + index] = first;
            }
            else
            {
                mine.TryAdd(id, part.FirstRow + index);
            }
        }

        foreach (var (id, row) in mine)
        {
            _firstRowOfId[id] = row;
        }

        return seen;
    }

    /// <summary>
    /// The part's validation with the ids an earlier part had turned into row errors of their rows (those rows leave the
    /// accepted ones), and what it says of the stream's columns taken in.
    /// </summary>
    public BatchValidation Take(BatchValidation part, IReadOnlyDictionary<int, int> seenBefore, string idColumn, int rows)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(seenBefore);
        Rows += rows;
        Last = part;
        var headerFaults = part.Errors.Where(e => e.Row == 0).ToList();
        if (headerFaults.Count > 0)
        {
            // The same fault in several parts is the stream's one fault, as a file reports it once.
            _headerFaults.AddRange(headerFaults.Where(f => !_headerFaults.Contains(f)));
            return part with { Accepted = [] };
        }

        ReadsAnswers |= part.Columns.Mapping.AnswerColumns.Count > 0 || part.HasWomen;
        foreach (var column in part.UnmappedColumns.Where(_unmappedSeen.Add))
        {
            _unmapped.Add(column);
        }

        _mappedNotInFile = _mappedNotInFile is null
            ? [.. part.MappedColumnsNotInFile]
            : [.. _mappedNotInFile.Intersect(part.MappedColumnsNotInFile, StringComparer.Ordinal)];
        if (seenBefore.Count == 0)
        {
            return part;
        }

        var duplicates = seenBefore.Select(p => new RowError(p.Key, idColumn,
            string.Create(CultureInfo.InvariantCulture, $"duplicate submission id: row {p.Value} has it too")));
        return part with
        {
            Accepted = [.. part.Accepted.Where(r => !seenBefore.ContainsKey(r.Row))],
            Errors = [.. part.Errors, .. duplicates],
        };
    }

    /// <summary>Takes in a part's plan (made in <see cref="ImportMode.GoodRowsOnly"/>: this class decides what is stored).</summary>
    public void Planned(IngestPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        AcceptedRows += plan.AcceptedRows;
        DuplicateRows += plan.DuplicateRows;
        _errors.AddRange(plan.Errors);
    }

    public void Stored(int rows) => StoredRows += rows;

    /// <summary>The stream's outcome as a whole file's plan would state it (its rows to store are not kept: see <see cref="StoredRows"/>).</summary>
    public IngestPlan Outcome()
    {
        if (HasHeaderFault)
        {
            return new IngestPlan(0, 0, [], [.. _headerFaults], [], []);
        }

        return new IngestPlan(AcceptedRows, DuplicateRows, [], [.. _errors.OrderBy(e => e.Row)], _mappedNotInFile ?? [], _unmapped);
    }
}
