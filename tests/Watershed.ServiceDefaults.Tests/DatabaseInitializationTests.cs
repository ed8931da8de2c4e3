using System.Collections.Concurrent;
using System.Data.Common;
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
}
