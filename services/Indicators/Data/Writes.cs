using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Ingest;

namespace Watershed.Indicators.Data;

/// <summary>
/// Locks and large writes inside a command's transaction. Large writes save in chunks and empty the tracker after
/// each, so a big file neither holds every row in the change tracker nor pays for change detection over all of them.
/// </summary>
internal static class Writes
{
    private const int ChunkSize = 500;

    /// <summary>
    /// Holds a share lock on the watershed's row until the transaction ends: ingests into the watershed run side
    /// by side, while a new custom indicator (which takes the row's exclusive lock) waits for them or they for it,
    /// so every household is scored on every indicator that exists when it commits. SQLite has no row locks: a
    /// no-op write takes its database write lock instead.
    /// </summary>
    public static async Task ShareLockWatershedAsync(this IndicatorsDbContext db, Guid watershedId, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM areas WHERE \"Id\" = {watershedId} FOR SHARE", ct);
        }
        else
        {
            // EF stores a Guid on SQLite as upper-case text.
            var id = watershedId.ToString().ToUpperInvariant();
            await db.Database.ExecuteSqlAsync($"UPDATE areas SET \"Id\" = \"Id\" WHERE \"Id\" = {id}", ct);
        }
    }

    /// <summary>
    /// Holds the row lock of every household an import batch stored until the transaction ends, so a household removed on
    /// its own meanwhile is seen as gone. SQLite has no row locks: its write lock, taken by the watershed's lock, suffices.
    /// </summary>
    public static async Task LockBatchSubmissionsAsync(this IndicatorsDbContext db, Guid importBatchId, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM submissions WHERE \"ImportBatchId\" = {importBatchId} FOR UPDATE", ct);
        }
    }

    public static async Task AddSubmissionsAsync(this IndicatorsDbContext db, IEnumerable<Submission> submissions, CancellationToken ct)
    {
        foreach (var chunk in submissions.Chunk(ChunkSize))
        {
            db.Submissions.AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Scores every household the watershed's rounds stored before <paramref name="indicator"/> was defined.</summary>
    public static async Task ScoreStoredHouseholdsAsync(this IndicatorsDbContext db, CustomIndicator indicator, CancellationToken ct)
    {
        var rounds = await db.SurveyRounds.AsNoTracking().Where(r => r.WatershedId == indicator.WatershedId).OrderBy(r => r.Id).ToListAsync(ct);
        foreach (var round in rounds)
        {
            var form = round.Form;
            // Households of one file share their columns: the form is resolved once per set of columns.
            var resolved = new Dictionary<string, ColumnMapping>(StringComparer.Ordinal);
            ColumnMapping ColumnsOf(Submission s)
            {
                var key = string.Join('\n', s.Answers.Keys.Order(StringComparer.Ordinal));
                if (!resolved.TryGetValue(key, out var columns))
                {
                    resolved[key] = columns = form.Resolve([.. s.Answers.Keys]).Mapping;
                }

                return columns;
            }

            // The caller holds the watershed's exclusive lock, so no ingest adds submissions while these pages are read.
            for (var offset = 0; ; offset += ChunkSize)
            {
                var submissions = await db.Submissions.AsNoTracking().Where(s => s.SurveyRoundId == round.Id)
                    .OrderBy(s => s.Id).Skip(offset).Take(ChunkSize).ToListAsync(ct);
                if (submissions.Count == 0)
                {
                    break;
                }

                db.HouseholdScores.AddRange(submissions.Select(s => s.ScoreOn(indicator, ColumnsOf(s))));
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
    }
}
