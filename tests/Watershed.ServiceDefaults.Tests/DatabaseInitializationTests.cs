using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Watershed.ServiceDefaults.Data;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// Every service brings its schema up to date through <see cref="ServiceDatabase.InitializeDatabaseAsync{TContext}"/>:
/// on a new PostgreSQL database it runs no statement that fails (PostgreSQL would log each as an ERROR, though nothing
/// is wrong), and a second start (or a second replica) finds everything in place.
/// </summary>
public sealed class DatabaseInitializationTests
{
    private sealed class Note
    {
        public Guid Id { get; set; }
    }

    private sealed class NotesContext(DbContextOptions<NotesContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder model) => model.Entity<Note>().ToTable("notes");
    }

    /// <summary>A later version of the notes: a column and a table more.</summary>
    private sealed class LaterNote
    {
        public Guid Id { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class Tag
    {
        public int Id { get; set; }
    }

    private sealed class LaterNotesContext(DbContextOptions<LaterNotesContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<LaterNote>().ToTable("notes");
            model.Entity<Tag>().ToTable("tags");
        }
    }

    private sealed class FailedCommands : DbCommandInterceptor
    {
        public ConcurrentQueue<string> Statements { get; } = new();

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Statements.Enqueue($"{eventData.Exception.Message} in: {command.CommandText}");
            return Task.CompletedTask;
        }

        public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
            Statements.Enqueue($"{eventData.Exception.Message} in: {command.CommandText}");
    }

    [Fact]
    public async Task A_new_postgres_database_is_initialised_without_a_failed_statement_and_again_without_change()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("init");
        var failed = new FailedCommands();
        await using var services = new ServiceCollection()
            .AddDbContext<NotesContext>(o => o.UseNpgsql(connectionString, n => n.MigrationsHistoryTable("__ef_migrations_history"))
                .AddInterceptors(failed)
                // The test's model has no migrations of its own; the history table is what is under test.
                .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)))
            .BuildServiceProvider();

        await services.InitializeDatabaseAsync<NotesContext>();
        await services.InitializeDatabaseAsync<NotesContext>();

        Assert.Empty(failed.Statements);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotesContext>();
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM __ef_migrations_history").SingleAsync());

            // The watch is live: a statement that does fail is seen.
            await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("SELECT * FROM no_such_table"));
        }

        Assert.Single(failed.Statements);
    }

    [Fact]
    public async Task A_local_sqlite_file_left_by_an_older_version_is_moved_aside_and_made_again_and_a_current_one_is_kept()
    {
        var folder = Directory.CreateTempSubdirectory("watershed-sqlite-").FullName;
        try
        {
            var file = Path.Combine(folder, "notes.db");
            // What the older version created: its notes table, without the column and the table added since, and a row.
            await using (var old = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await old.OpenAsync();
                await using var create = new SqliteCommand("CREATE TABLE notes (Id TEXT NOT NULL PRIMARY KEY); INSERT INTO notes VALUES ('7c1a0b0e-0000-0000-0000-000000000001')", old);
                await create.ExecuteNonQueryAsync();
            }

            await using var services = new ServiceCollection()
                .AddLogging()
                .AddDbContext<LaterNotesContext>(o => o.UseSqlite($"Data Source={file}"))
                .BuildServiceProvider();
            await services.InitializeDatabaseAsync<LaterNotesContext>();

            var aside = Assert.Single(Directory.GetFiles(folder, "notes.db.*.old"));
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LaterNotesContext>();
                Assert.Empty(await ServiceDatabase.MissingSqliteSchemaAsync(db, CancellationToken.None));
                db.Add(new LaterNote { Id = Guid.NewGuid(), Text = "nueva" });
                await db.SaveChangesAsync();
            }

            // Nothing was deleted: the older file still holds its row.
            await using (var kept = new SqliteConnection($"Data Source={aside};Mode=ReadOnly;Pooling=False"))
            {
                await kept.OpenAsync();
                await using var count = new SqliteCommand("SELECT count(*) FROM notes", kept);
                Assert.Equal(1L, await count.ExecuteScalarAsync());
            }

            // A file of the current version is kept as it is, data and all.
            await services.InitializeDatabaseAsync<LaterNotesContext>();
            Assert.Single(Directory.GetFiles(folder, "notes.db.*.old"));
            await using (var scope = services.CreateAsyncScope())
            {
                Assert.Equal("nueva", (await scope.ServiceProvider.GetRequiredService<LaterNotesContext>().Set<LaterNote>().SingleAsync()).Text);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
