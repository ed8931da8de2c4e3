using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain.Ingest;
using Watershed.ServiceDefaults.Data;

namespace Watershed.Indicators.Data;

/// <summary>
/// Stores a batch of household submissions (an imported file, an upload stream, the demo data) in one
/// transaction: the submissions, their household scores and the alerts they raise or clear, or nothing.
/// </summary>
public sealed class SurveyIngest(IndicatorsDbContext db, AlertEvaluator alerts, TimeProvider clock)
{
    // A concurrent import of the same submissions loses the race on the unique index; retried, it finds them stored.
    private const int Attempts = 3;

    private const int ChunkSize = 500;

    public static ColumnMapping MappingOf(SurveyRoundRow round) =>
        round.ColumnMappingJson is null ? ColumnMapping.WfpDefault : ColumnMappingJson.Read(round.ColumnMappingJson);

    public async Task<IngestPlan> IngestAsync(SurveyRoundRow round, AreaRow watershed, CsvTable table, ImportMode mode, CancellationToken ct)
    {
        var mapping = MappingOf(round);
        var batch = SubmissionBatch.Validate(table, mapping, round.Id.ToString(), round.FcsCutoffs);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreAsync(round, watershed, mapping, batch, mode, ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < Attempts)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IngestPlan> StoreAsync(SurveyRoundRow round, AreaRow watershed, ColumnMapping mapping, BatchValidation batch, ImportMode mode, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var areas = await db.AreasOfAsync(watershed.WatershedCode, ct);
        var byKey = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var area in areas)
        {
            byKey[area.Code] = area.Id;
            byKey[area.Id.ToString()] = area.Id;
        }

        var ids = batch.Accepted.Select(r => r.Submission.SubmissionId).ToList();
        var stored = await db.Submissions.AsNoTracking()
            .Where(s => s.SurveyRoundId == round.Id && ids.Contains(s.SubmissionId))
            .ToDictionaryAsync(s => s.SubmissionId, s => s.Fingerprint, StringComparer.Ordinal, ct);
        var customs = await db.CustomIndicatorsAsync(watershed.Id, ct);
        var plan = IngestPlanner.Plan(batch, mapping, customs, key => byKey.TryGetValue(key, out var id) ? id : null, stored, mode);
        if (plan.ToStore.Count == 0)
        {
            return plan;
        }

        var now = clock.GetUtcNow();
        // Saved in chunks inside the one transaction, with the tracker emptied after each, so a large file
        // neither holds every row in the change tracker nor pays for change detection over all of them.
        foreach (var chunk in plan.ToStore.Chunk(ChunkSize))
        {
            foreach (var row in chunk)
            {
                var submission = new SubmissionRow
                {
                    Id = Guid.CreateVersion7(),
                    SurveyRoundId = round.Id,
                    SubmissionId = row.Submission.SubmissionId,
                    AreaId = row.AreaId,
                    HouseholdId = row.Submission.HouseholdId,
                    Weight = row.Submission.Weight,
                    InterviewDate = row.Submission.InterviewDate,
                    AnswersJson = AnswersJson.Write(row.Submission.Answers),
                    Fingerprint = row.Fingerprint,
                    StoredAt = now,
                    Row = row.Row,
                };
                db.Submissions.Add(submission);
                db.HouseholdScores.AddRange(row.Scores.Select(s => new HouseholdScoreRow
                {
                    SubmissionRowId = submission.Id,
                    IndicatorCode = s.IndicatorCode,
                    SurveyRoundId = round.Id,
                    AreaId = row.AreaId,
                    InterviewDate = row.Submission.InterviewDate,
                    Weight = row.Submission.Weight,
                    Value = s.Value,
                    Category = s.Category,
                    MissingFields = string.Join(' ', s.MissingFields),
                }));
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        await alerts.EvaluateAsync(watershed, plan.ToStore, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return plan;
    }
}

/// <summary>Answers stored as [column, value] pairs, so an export gives the columns back in the file's order.</summary>
public static class AnswersJson
{
    public static string Write(IReadOnlyDictionary<string, string> answers) =>
        JsonSerializer.Serialize(answers.Select(p => new[] { p.Key, p.Value }));

    public static IReadOnlyDictionary<string, string> Read(string json)
    {
        var pairs = JsonSerializer.Deserialize<string[][]>(json) ?? [];
        var answers = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            answers[pair[0]] = pair[1];
        }

        return answers;
    }
}

/// <summary>A round's column mapping as stored.</summary>
public static class ColumnMappingJson
{
    private sealed record Stored(List<string> SubmissionIdColumns, string AreaColumn, string HouseholdColumn, string? WeightColumn, string InterviewDateColumn, List<string[]> AnswerColumns);

    public static string Write(ColumnMapping mapping) => JsonSerializer.Serialize(new Stored(
        [.. mapping.SubmissionIdColumns], mapping.AreaColumn, mapping.HouseholdColumn, mapping.WeightColumn, mapping.InterviewDateColumn,
        [.. mapping.AnswerColumns.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[] { p.Key, p.Value })]));

    public static ColumnMapping Read(string json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new InvalidOperationException("A stored column mapping is empty.");
        return new ColumnMapping(stored.SubmissionIdColumns, stored.AreaColumn, stored.HouseholdColumn, stored.WeightColumn, stored.InterviewDateColumn,
            stored.AnswerColumns.ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal));
    }
}
