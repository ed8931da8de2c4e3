using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// One household interview stored in a survey round, with its figure on every indicator the watershed had when
/// it was stored (and on every custom indicator defined later): the formulas run once, at ingest.
/// </summary>
public sealed class Submission
{
    private readonly List<HouseholdScore> _scores = [];

    private Submission(
        Guid id,
        Guid surveyRoundId,
        string submissionId,
        Guid areaId,
        string householdId,
        decimal? weight,
        DateOnly interviewDate,
        IReadOnlyDictionary<string, string> answers,
        string fingerprint,
        DateTimeOffset storedAt,
        int row,
        Guid? importBatchId,
        IReadOnlyList<IReadOnlyDictionary<string, string>> women)
    {
        Women = women;
        Id = id;
        SurveyRoundId = surveyRoundId;
        SubmissionId = submissionId;
        AreaId = areaId;
        HouseholdId = householdId;
        Weight = weight;
        InterviewDate = interviewDate;
        Answers = answers;
        Fingerprint = fingerprint;
        StoredAt = storedAt;
        Row = row;
        ImportBatchId = importBatchId;
    }

    public Guid Id { get; private set; }

    public Guid SurveyRoundId { get; private set; }

    /// <summary>Kobo _uuid or ODK instanceID: unique in the round, the safety net under concurrent imports.</summary>
    public string SubmissionId { get; private set; }

    public Guid AreaId { get; private set; }

    public string HouseholdId { get; private set; }

    public decimal? Weight { get; private set; }

    public DateOnly InterviewDate { get; private set; }

    /// <summary>Every answer column of the export, column → text, in the file's order.</summary>
    public IReadOnlyDictionary<string, string> Answers { get; private set; }

    /// <summary>Recognises a re-sent interview (<see cref="IngestPlanner.Fingerprint"/>).</summary>
    public string Fingerprint { get; private set; }

    public DateTimeOffset StoredAt { get; private set; }

    /// <summary>The row in its batch: with <see cref="StoredAt"/>, keeps a file's order for its export.</summary>
    public int Row { get; private set; }

    /// <summary>The batch that stored it; null for households stored before batches were recorded.</summary>
    public Guid? ImportBatchId { get; private set; }

    /// <summary>The household's women of the form's repeat group (MDD-W), each her columns as imported, in the order imported.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Women { get; private set; }

    public IReadOnlyList<HouseholdScore> Scores => _scores;

    /// <summary>A row the planner decided to store as part of <paramref name="batch"/>, with the scores it computed.</summary>
    public static Submission Store(ImportBatch batch, PlannedRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(row);
        var s = row.Submission;
        var submission = new Submission(Guid.CreateVersion7(), batch.SurveyRoundId, s.SubmissionId, row.AreaId, s.HouseholdId, s.Weight, s.InterviewDate,
            s.Answers, row.Fingerprint, now, row.Row, batch.Id, s.Women);
        submission._scores.AddRange(row.Scores.Select(score => new HouseholdScore(submission, score)));
        return submission;
    }

    /// <summary>What a removal records and re-evaluates of this household.</summary>
    public RemovedHousehold AsRemoved() => new(Id, SubmissionId, AreaId, InterviewDate, StoredAt, Row, ImportBatchId);

    /// <summary>The interview as the survey tool exported it, its area named by code.</summary>
    public HouseholdSubmission AsExported(string areaCode) =>
        new(SubmissionId, SurveyRoundId.ToString(), areaCode, HouseholdId, Weight, InterviewDate, Answers) { Women = Women };

    /// <summary>
    /// Scores the stored household on an indicator defined after it was stored. An answer that cannot be read
    /// counts as missing: the row was accepted long ago and is kept.
    /// </summary>
    public HouseholdScore ScoreOn(CustomIndicator indicator, FormColumns form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return ScoreOn(indicator, form.Resolve([.. Answers.Keys]).Mapping);
    }

    /// <summary>
    /// As <see cref="ScoreOn(CustomIndicator, FormColumns)"/>, with the round's form already resolved against this
    /// household's columns (households of one file share them, so a caller scoring many resolves each column set once).
    /// </summary>
    public HouseholdScore ScoreOn(CustomIndicator indicator, ColumnMapping columns)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(columns);
        if (_scores.Any(s => s.IndicatorCode == indicator.Code && s.Woman == 0))
        {
            throw new InvalidOperationException($"Submission {SubmissionId} has a {indicator.Code} score already.");
        }

        var result = indicator.Read(columns.ToAnswerSheet(Answers));
        var stored = indicator.ToStoredScore(result);
        var score = new HouseholdScore(this, result.IsRejected ? stored with { MissingFields = [indicator.AnswerField] } : stored);
        _scores.Add(score);
        return score;
    }
}

/// <summary>
/// A household's figure on one indicator, placed (area, date) and weighted as its submission is, so an area's
/// aggregate reads these rows alone. A household imported with its women (a repeat group) has one MDD-W row per woman
/// (<see cref="Woman"/> 1, 2, …, each with the household's weight) and none of its own: MDD-W's aggregates count women.
/// </summary>
public sealed class HouseholdScore
{
    internal HouseholdScore(Submission submission, StoredScore score)
    {
        SubmissionRowId = submission.Id;
        IndicatorCode = score.IndicatorCode;
        SurveyRoundId = submission.SurveyRoundId;
        AreaId = submission.AreaId;
        InterviewDate = submission.InterviewDate;
        Weight = submission.Weight;
        Value = score.Value;
        Category = score.Category;
        MissingFields = score.MissingFields;
        Details = score.Details;
        Woman = score.Woman;
    }

    private HouseholdScore()
    {
        IndicatorCode = "";
        MissingFields = [];
    }

    /// <summary>The stored submission's own id (not the survey tool's submission id).</summary>
    public Guid SubmissionRowId { get; private set; }

    public string IndicatorCode { get; private set; }

    /// <summary>0 for the household's own figure; n for the n-th woman of its repeat group (MDD-W).</summary>
    public int Woman { get; private set; }

    public Guid SurveyRoundId { get; private set; }

    public Guid AreaId { get; private set; }

    public DateOnly InterviewDate { get; private set; }

    public decimal? Weight { get; private set; }

    /// <summary>Null when an answer the score needs is missing.</summary>
    public decimal? Value { get; private set; }

    public string? Category { get; private set; }

    /// <summary>Canonical fields whose answers were missing.</summary>
    public IReadOnlyList<string> MissingFields { get; private set; }

    /// <summary>FCS-N on an FCS score, CARI's parts on a CARI score; null on other scores and on scores stored before they were kept.</summary>
    public ScoreDetails? Details { get; private set; }
}
