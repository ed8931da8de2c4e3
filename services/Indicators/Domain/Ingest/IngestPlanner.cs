using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>The proto enum's twin (same names and numbers, no zero).</summary>
public enum ImportMode
{
    /// <summary>Store nothing when any row is bad: a file is fixed and sent again as a whole.</summary>
    AllOrNothing = 1,

    /// <summary>Store the good rows and report the bad ones: the caller asked for it explicitly.</summary>
    GoodRowsOnly = 2,
}

/// <summary>
/// A household's figure on one indicator as it is stored at ingest, with the answers it lacked and what else its formula
/// found. <paramref name="Woman"/> is 0 for the household's own figure, n for the n-th woman of its repeat group (MDD-W).
/// </summary>
public sealed record StoredScore(string IndicatorCode, decimal? Value, string? Category, IReadOnlyList<string> MissingFields, ScoreDetails? Details = null, int Woman = 0);

/// <summary>A row to store: the submission, the area it resolved to, its fingerprint and its scores on every indicator.</summary>
public sealed record PlannedRow(int Row, HouseholdSubmission Submission, Guid AreaId, string Fingerprint, IReadOnlyList<StoredScore> Scores);

/// <summary>What one batch does: rows to store (empty when nothing may be stored), duplicates skipped, every row error.</summary>
public sealed record IngestPlan(
    int AcceptedRows,
    int DuplicateRows,
    IReadOnlyList<PlannedRow> ToStore,
    IReadOnlyList<RowError> Errors,
    IReadOnlyList<string> MappedColumnsNotInFile,
    IReadOnlyList<string> UnmappedColumns)
{
    /// <summary>
    /// Data rows with at least one error (the header's own errors are not a household's); a women sheet's rows are its
    /// own, numbered apart from the households' (their fields start "women_csv:").
    /// </summary>
    public int RejectedRows => Errors.Where(e => e.Row > 0)
        .Select(e => (e.Row, Women: e.Field.StartsWith(BatchWomen.FilePrefix, StringComparison.Ordinal))).Distinct().Count();

    /// <summary>The batch had errors and stored nothing: refused as a whole, or no row was good.</summary>
    public bool IsRejected => Errors.Count > 0 && ToStore.Count == 0;
}

/// <summary>
/// Decides what a validated batch stores. A submission id already stored in the round with the same content is a
/// duplicate (a re-sent file), not stored twice; with other content it is a row error, because silently keeping
/// either version would lose data. In <see cref="ImportMode.AllOrNothing"/> any error stores nothing.
/// </summary>
public static class IngestPlanner
{
    public static IngestPlan Plan(
        BatchValidation batch,
        IReadOnlyList<CustomIndicator> customIndicators,
        Func<string, Guid?> resolveArea,
        IReadOnlyDictionary<string, string> storedFingerprints,
        ImportMode mode)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(customIndicators);
        ArgumentNullException.ThrowIfNull(resolveArea);
        ArgumentNullException.ThrowIfNull(storedFingerprints);
        var mapping = batch.Columns.Mapping;
        var errors = new List<RowError>(batch.Errors);
        var planned = new List<PlannedRow>();
        var duplicates = 0;
        var accepted = 0;
        foreach (var row in batch.Accepted)
        {
            var rowErrors = new List<RowError>();
            var submission = row.Submission;
            var areaId = resolveArea(submission.AreaId);
            if (areaId is null)
            {
                rowErrors.Add(new RowError(row.Row, mapping.AreaColumn, $"'{TextRules.Echo(submission.AreaId)}' is not the code or id of an area of this watershed"));
            }

            var sheet = mapping.ToAnswerSheet(submission.Answers);
            var scores = StandardScores(row.Scores)
                .Where(s => !(row.MddwFromWomen && s.IndicatorCode == MinimumDietaryDiversityWomen.Info.Code))
                .Concat(row.WomenScores ?? []).ToList();
            foreach (var custom in customIndicators)
            {
                var result = custom.Read(sheet);
                rowErrors.AddRange(result.Errors.Select(e => new RowError(row.Row, mapping.ColumnOf(e.Field) ?? e.Field, e.Description)));
                scores.Add(custom.ToStoredScore(result));
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors);
                continue;
            }

            var fingerprint = Fingerprint(submission, areaId!.Value);
            if (storedFingerprints.TryGetValue(submission.SubmissionId, out var stored))
            {
                if (stored == fingerprint)
                {
                    accepted++;
                    duplicates++;
                }
                else
                {
                    errors.Add(new RowError(row.Row, RowError.WholeRow, $"submission {submission.SubmissionId} was imported before with other content; it is kept as it was"));
                }

                continue;
            }

            accepted++;
            planned.Add(new PlannedRow(row.Row, submission, areaId.Value, fingerprint, scores));
        }

        var store = errors.Count > 0 && mode == ImportMode.AllOrNothing ? [] : planned;
        return new IngestPlan(accepted, duplicates, store, [.. errors.OrderBy(e => e.Row)], batch.MappedColumnsNotInFile, batch.UnmappedColumns);
    }

    /// <summary>
    /// SHA-256 of the submission's content in a canonical form (answers ordered by column), so the same interview
    /// sent again in another column order is still recognised as the same.
    /// </summary>
    public static string Fingerprint(HouseholdSubmission submission, Guid areaId)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var text = new StringBuilder();
        Append(areaId.ToString());
        Append(submission.HouseholdId);
        Append(submission.Weight?.ToString(CultureInfo.InvariantCulture) ?? "");
        Append(submission.InterviewDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        foreach (var (column, value) in submission.Answers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Append(column);
            Append(value);
        }

        // Only a household with women adds them, so every fingerprint stored before repeat groups were read still matches.
        if (submission.Women.Count > 0)
        {
            Append("women");
            Append(submission.Women.Count.ToString(CultureInfo.InvariantCulture));
            foreach (var woman in submission.Women)
            {
                Append(woman.Count.ToString(CultureInfo.InvariantCulture));
                foreach (var (column, value) in woman.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    Append(column);
                    Append(value);
                }
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        // Length-prefixed, so no value can imitate a separator.
        void Append(string value) => text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
    }

    private static IEnumerable<StoredScore> StandardScores(HouseholdScores scores) =>
        scores.Values.Zip(scores.MissingFieldsByIndicator, scores.Details)
            .Select(s => new StoredScore(s.First.IndicatorCode, s.First.Value, s.First.Category, s.Second, s.Third));
}
