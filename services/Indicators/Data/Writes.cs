using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
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

    /// <summary>
    /// Stores households with their scores in the command's transaction. PostgreSQL receives them by binary COPY, a
    /// chunk of households then their scores (so memory holds one chunk of new rows); SQLite by EF in chunks. A
    /// household already stored (a concurrent import of the same file) fails the unique index either way, and the
    /// failure is a <see cref="DbUpdateException"/> on both, which the ingest retries.
    /// </summary>
    public static async Task AddSubmissionsAsync(this IndicatorsDbContext db, IEnumerable<Submission> submissions, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await CopySubmissionsAsync(db, submissions, ct);
            return;
        }

        foreach (var chunk in submissions.Chunk(ChunkSize))
        {
            db.Submissions.AddRange(chunk);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The columns the binary COPY writes, in its order; a test checks them against the EF model.</summary>
    internal static readonly string[] SubmissionColumns =
        ["Id", "SurveyRoundId", "SubmissionId", "AreaId", "HouseholdId", "Weight", "InterviewDate", "AnswersJson", "Fingerprint", "StoredAt", "Row", "ImportBatchId", "WomenJson"];

    /// <inheritdoc cref="SubmissionColumns"/>
    internal static readonly string[] ScoreColumns =
        ["SubmissionRowId", "IndicatorCode", "SurveyRoundId", "AreaId", "InterviewDate", "Weight", "Value", "Category", "MissingFields", "DetailsJson", "Woman"];

    private const int CopyChunkSize = 5_000;

    /// <summary>The staging tables of a streamed ingest (PostgreSQL): the columns the COPY writes, no constraint, no trigger.</summary>
    private const string StagedSubmissions = "staged_submissions";

    /// <inheritdoc cref="StagedSubmissions"/>
    private const string StagedScores = "staged_scores";

    /// <summary>
    /// Starts staging a streamed ingest's households on PostgreSQL: two temporary tables with the columns the COPY
    /// writes, dropped when the transaction ends (committed or not). Each part of the stream is copied there
    /// (<see cref="StageSubmissionsAsync"/>), and all of it moves into the real tables at the end in two statements
    /// (<see cref="MoveStagedAsync"/>). So while the stream is read, the submissions table holds none of its rows: the
    /// duplicate lookups of each part stay index lookups the planner's statistics still fit (the stream's own rows,
    /// written there part by part, made each lookup scan all rows written before it); and the statement triggers that
    /// sum scores into household_tallies run once, over the whole stream. SQLite has no staging: the parts go straight
    /// to the tables.
    /// </summary>
    public static async Task BeginStagingAsync(this IndicatorsDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        await db.Database.ExecuteSqlRawAsync(CreateStaging, ct);
    }

    /// <summary>A part of a streamed ingest: into the staging tables on PostgreSQL, into the tables on SQLite.</summary>
    public static async Task StageSubmissionsAsync(this IndicatorsDbContext db, IEnumerable<Submission> submissions, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await CopySubmissionsAsync(db, submissions, ct, StagedSubmissions, StagedScores);
            return;
        }

        await db.AddSubmissionsAsync(submissions, ct);
    }

    /// <summary>
    /// Moves what was staged into the tables, in the transaction: the unique index, the foreign keys and the triggers
    /// see every household of the stream at once. A household stored meanwhile by a concurrent import fails the unique
    /// index as a <see cref="DbUpdateException"/>, as a direct write does.
    /// </summary>
    public static async Task MoveStagedAsync(this IndicatorsDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        try
        {
            await db.Database.ExecuteSqlRawAsync(MoveStaged, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DbUpdateException("A household of the stream is stored already.", ex);
        }
    }

    private static string Columns(string[] columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));

    // Made of the constants above only: table and column names, no value.
    private static readonly string CreateStaging =
        $"CREATE TEMP TABLE {StagedSubmissions} ON COMMIT DROP AS SELECT {Columns(SubmissionColumns)} FROM submissions WITH NO DATA; "
        + $"CREATE TEMP TABLE {StagedScores} ON COMMIT DROP AS SELECT {Columns(ScoreColumns)} FROM household_scores WITH NO DATA";

    private static readonly string MoveStaged =
        $"INSERT INTO submissions ({Columns(SubmissionColumns)}) SELECT {Columns(SubmissionColumns)} FROM {StagedSubmissions}; "
        + $"INSERT INTO household_scores ({Columns(ScoreColumns)}) SELECT {Columns(ScoreColumns)} FROM {StagedScores}";

    private static Task CopySubmissionsAsync(IndicatorsDbContext db, IEnumerable<Submission> submissions, CancellationToken ct) =>
        CopySubmissionsAsync(db, submissions, ct, "submissions", "household_scores");

    private static async Task CopySubmissionsAsync(IndicatorsDbContext db, IEnumerable<Submission> submissions, CancellationToken ct, string submissionsTable, string scoresTable)
    {
        // The COPY runs on the context's connection, inside its open transaction: all or nothing still holds.
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        try
        {
            foreach (var chunk in submissions.Chunk(CopyChunkSize))
            {
                await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand(submissionsTable, SubmissionColumns), ct))
                {
                    foreach (var s in chunk)
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(s.Id, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(s.SurveyRoundId, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(s.SubmissionId, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(s.AreaId, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(s.HouseholdId, NpgsqlDbType.Varchar, ct);
                        await WriteNullableAsync(copy, s.Weight, NpgsqlDbType.Numeric, ct);
                        await copy.WriteAsync(s.InterviewDate, NpgsqlDbType.Date, ct);
                        await copy.WriteAsync(AnswersJson.Write(s.Answers), NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(s.Fingerprint, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(s.StoredAt, NpgsqlDbType.TimestampTz, ct);
                        await copy.WriteAsync(s.Row, NpgsqlDbType.Integer, ct);
                        await WriteNullableAsync(copy, s.ImportBatchId, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(WomenJson.Write(s.Women), NpgsqlDbType.Text, ct);
                    }

                    await copy.CompleteAsync(ct);
                }

                await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand(scoresTable, ScoreColumns), ct))
                {
                    foreach (var h in chunk.SelectMany(s => s.Scores))
                    {
                        await copy.StartRowAsync(ct);
                        await copy.WriteAsync(h.SubmissionRowId, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(h.IndicatorCode, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(h.SurveyRoundId, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(h.AreaId, NpgsqlDbType.Uuid, ct);
                        await copy.WriteAsync(h.InterviewDate, NpgsqlDbType.Date, ct);
                        await WriteNullableAsync(copy, h.Weight, NpgsqlDbType.Numeric, ct);
                        await WriteNullableAsync(copy, h.Value, NpgsqlDbType.Numeric, ct);
                        await WriteNullableAsync(copy, h.Category, NpgsqlDbType.Varchar, ct);
                        await copy.WriteAsync(string.Join(' ', h.MissingFields), NpgsqlDbType.Text, ct);
                        await WriteNullableAsync(copy, ScoreDetailsJson.Write(h.Details), NpgsqlDbType.Text, ct);
                        await copy.WriteAsync(h.Woman, NpgsqlDbType.Integer, ct);
                    }

                    await copy.CompleteAsync(ct);
                }
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // As EF reports it, so the ingest's retry and the error model treat both stores alike.
            throw new DbUpdateException("A household of the batch is stored already.", ex);
        }
    }

    private static string CopyCommand(string table, string[] columns) =>
        $"COPY {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

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
