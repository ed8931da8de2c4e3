namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// One household interview as a survey tool exported it. <see cref="SubmissionId"/> is Kobo's <c>_uuid</c> or
/// ODK's <c>instanceID</c> (without ODK's "uuid:" prefix), so a re-imported file is recognised.
/// <see cref="Answers"/> holds every other column of the export, column name → text, blank cells as "".
/// </summary>
public sealed record HouseholdSubmission(
    string SubmissionId,
    string SurveyRoundId,
    string AreaId,
    string HouseholdId,
    decimal? Weight,
    DateOnly InterviewDate,
    IReadOnlyDictionary<string, string> Answers)
{
    /// <summary>The household's women of the form's repeat group (MDD-W), each her columns as exported; empty for none.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Women { get; init; } = [];
}

/// <summary>A problem with one row of an import: 1-based data row (the header is not counted), the column, and why.</summary>
public sealed record RowError(int Row, string Field, string Reason)
{
    /// <summary>Field name for a problem with the whole row rather than one column.</summary>
    public const string WholeRow = "*";
}
