namespace Watershed.Indicators.Domain.Ingest;

/// <summary>One streamed submission: its metadata in their own fields and the form's columns as an export has them.</summary>
public sealed record UploadedSubmission(string Id, string Area, string HouseholdId, string Weight, string InterviewDate, IReadOnlyDictionary<string, string> Answers);

/// <summary>
/// Lays streamed submissions out as the table an export of them would be, under the round's column mapping, so a
/// stream passes exactly the checks a file does (its columns are the union of the submissions' answer columns).
/// Row n is the n-th submission after the header message: a stream read in parts numbers a part's rows from its
/// <paramref name="firstRow"/>.
/// </summary>
public static class UploadTable
{
    public static CsvTable Build(FormColumns mapping, IReadOnlyList<UploadedSubmission> submissions, int firstRow = 1)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(submissions);
        var metadata = new List<string> { mapping.SubmissionIdColumns[0], mapping.AreaColumn, mapping.HouseholdColumn, mapping.InterviewDateColumn };
        if (mapping.WeightColumn is { } weightColumn)
        {
            metadata.Add(weightColumn);
        }

        var metadataSet = mapping.MetadataColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        // A submission whose answers are too many or badly named is refused whole; its columns are no one's.
        var refused = submissions.Select(s => s.Answers.Count > KoboCsv.MaxColumns ? $"has {s.Answers.Count} answers; at most {KoboCsv.MaxColumns}"
            : s.Answers.Keys.Select(KoboCsv.ColumnNameFault).FirstOrDefault(f => f is not null) is { } fault ? $"an answer column's name {fault}"
            : null).ToList();
        var answerColumns = submissions.Where((_, i) => refused[i] is null)
            .SelectMany(s => s.Answers.Keys).Where(c => !metadataSet.Contains(c)).Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<CsvRow>();
        var errors = new List<RowError>();
        foreach (var (index, s) in submissions.Index())
        {
            var number = firstRow + index;
            if (refused[index] is { } reason)
            {
                errors.Add(new RowError(number, RowError.WholeRow, reason));
                continue;
            }

            // A metadata column among the answers would be ambiguous: which of the two values is the household's?
            var clashes = s.Answers.Keys.Where(metadataSet.Contains).Order(StringComparer.Ordinal).ToList();
            if (clashes.Count > 0)
            {
                errors.AddRange(clashes.Select(c => new RowError(number, c, "is a metadata column: send it in its own field, not among the answers")));
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [mapping.SubmissionIdColumns[0]] = s.Id,
                [mapping.AreaColumn] = s.Area,
                [mapping.HouseholdColumn] = s.HouseholdId,
                [mapping.InterviewDateColumn] = s.InterviewDate,
            };
            if (mapping.WeightColumn is { } weight)
            {
                values[weight] = s.Weight;
            }

            foreach (var column in answerColumns)
            {
                values[column] = s.Answers.GetValueOrDefault(column, "");
            }

            rows.Add(new CsvRow(number, values));
        }

        return new CsvTable([.. metadata, .. answerColumns], rows, errors);
    }
}

/// <summary>
/// One instance of each short string a stream repeats (column names, codes, answers such as "1" or "si"), so a large
/// upload holds each once. Long strings (free text) and strings past the pool's size are kept as they come.
/// </summary>
public sealed class SharedStrings
{
    private const int MaxLength = 64;
    private const int MaxStrings = 100_000;
    private readonly HashSet<string> _pool = new(StringComparer.Ordinal);

    public string Share(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }

        if (_pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        if (_pool.Count < MaxStrings)
        {
            _pool.Add(value);
        }

        return value;
    }
}
