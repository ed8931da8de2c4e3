using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Watershed.ServiceDefaults.Data;

public enum DatabaseProvider
{
    /// <summary>Zero-setup local default: a file next to the service.</summary>
    Sqlite,

    /// <summary>The real store, schema managed by EF Core migrations.</summary>
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required]
    public string ConnectionString { get; set; } = string.Empty;
}

/// <summary>
/// Database-per-service wiring: PostgreSQL (Npgsql) with migrations is the real store, SQLite
/// (schema created from the model) the local default. Each service owns one DbContext.
/// </summary>
public static class ServiceDatabase
{
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(this IHostApplicationBuilder builder)
        where TContext : DbContext
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidation>();

        // Contexts are pooled: a call leases one that is reset, instead of building one with its options and EF's
        // internal services (query translators, type mapping, change tracker) each time; profiling the health check
        // showed that construction as most of a call's own CPU. The options depend on singletons only.
        builder.Services.AddDbContextPool<TContext>(
            (services, options) =>
            {
                var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                if (services.GetService<Events.OutboxCommitInterceptor>() is { } outbox)
                {
                    options.AddInterceptors(outbox);
                }

                switch (database.Provider)
                {
                    case DatabaseProvider.Postgres:
                        options.UseNpgsql(TunedPostgresConnectionString(database.ConnectionString), npgsql =>
                            npgsql.MigrationsHistoryTable("__ef_migrations_history"));
                        break;
                    default:
                        options.UseSqlite(database.ConnectionString);
                        break;
                }
            });

        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database");
        return builder;
    }

    /// <summary>
    /// The connection settings every service runs with on PostgreSQL, unless its connection string sets them itself:
    /// <list type="bullet">
    /// <item><c>No Reset On Close=true</c>: no service changes session state (no <c>SET</c>, no temporary tables, no
    /// <c>LISTEN</c>), so a connection going back to the pool need not be reset; the reset would otherwise run on the
    /// server before the next call's first statement.</item>
    /// <item><c>Max Auto Prepare=128</c>, <c>Auto Prepare Min Usages=2</c>: a statement run twice on a connection is
    /// prepared there, so PostgreSQL parses and plans each hot query once per connection instead of once per call.</item>
    /// </list>
    /// </summary>
    public static string TunedPostgresConnectionString(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new HashSet<string>(
            connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(part => part.Split('=', 2)[0].Trim().Replace(" ", string.Empty, StringComparison.Ordinal)),
            StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("NoResetOnClose"))
        {
            tuned.NoResetOnClose = true;
        }

        if (!given.Contains("MaxAutoPrepare"))
        {
            tuned.MaxAutoPrepare = 128;
        }

        if (!given.Contains("AutoPrepareMinUsages"))
        {
            tuned.AutoPrepareMinUsages = 2;
        }

        return tuned.ConnectionString;
    }

    /// <summary>
    /// Brings the schema up to date before the service takes calls. On PostgreSQL, EF Core's first look at a new database
    /// reads the migrations history table before it exists, which PostgreSQL logs as an ERROR although nothing is wrong:
    /// the table is created first (EF's own <c>CREATE TABLE IF NOT EXISTS</c> script), so a new database migrates
    /// without a failed statement.
    /// </summary>
    public static async Task InitializeDatabaseAsync<TContext>(this IServiceProvider services, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        if (db.Database.IsNpgsql())
        {
            try
            {
                await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
            {
                // Another replica created it at the same moment: it exists, which is all this wanted.
            }

            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await db.Database.EnsureCreatedAsync(cancellationToken);
            await ReplaceStaleSqliteFileAsync(db, scope.ServiceProvider.GetService<ILoggerFactory>(), cancellationToken);
        }
    }

    /// <summary>
    /// The local SQLite file is created once (EnsureCreated) and never migrated, so a file left by an older version lacks
    /// what the code now needs (a table, a column) and every call touching it would fail. Such a file is moved aside
    /// (<c>&lt;file&gt;.&lt;UTC time&gt;.old</c>, nothing deleted) and a new one created: the local default is for trying
    /// the system, and its data comes back with the demo. The moved file is named in a warning.
    /// </summary>
    private static async Task ReplaceStaleSqliteFileAsync(DbContext db, ILoggerFactory? loggers, CancellationToken cancellationToken)
    {
        var missing = await MissingSqliteSchemaAsync(db, cancellationToken);
        if (missing.Count == 0)
        {
            return;
        }

        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:" || !File.Exists(file))
        {
            throw new InvalidOperationException($"The SQLite database lacks {string.Join(", ", missing.Take(5))} and is not a file that could be replaced.");
        }

        await db.Database.CloseConnectionAsync();
        SqliteConnection.ClearAllPools();
        var aside = $"{file}.{DateTime.UtcNow:yyyyMMdd'T'HHmmss}.old";
        File.Move(file, aside);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(file + suffix))
            {
                File.Move(file + suffix, aside + suffix);
            }
        }

        loggers?.CreateLogger("Watershed.ServiceDefaults.Data.ServiceDatabase").LogWarning(
            "The local SQLite file {File} was made by an older version (it has no {Missing}); it was moved to {Aside} and a new one created",
            file, string.Join(", ", missing.Take(5)), aside);
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }

    /// <summary>Tables and columns of the model that the SQLite database does not have ("table" or "table.column").</summary>
    public static async Task<List<string>> MissingSqliteSchemaAsync(DbContext db, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            foreach (var table in db.Model.GetRelationalModel().Tables)
            {
                var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = "SELECT name FROM pragma_table_info($table)";
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "$table";
                    parameter.Value = table.Name;
                    command.Parameters.Add(parameter);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        present.Add(reader.GetString(0));
                    }
                }

                if (present.Count == 0)
                {
                    missing.Add(table.Name);
                    continue;
                }

                missing.AddRange(table.Columns.Where(c => !present.Contains(c.Name)).Select(c => $"{table.Name}.{c.Name}"));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return missing;
    }

    /// <summary>
    /// SQLite has no timestamp type that sorts; every service stores instants there as UTC ticks.
    /// Call from the DbContext's ConfigureConventions.
    /// </summary>
    public static void UseSortableInstantsOnSqlite(this ModelConfigurationBuilder conventions, DatabaseFacade database)
    {
        if (database.IsSqlite())
        {
            conventions.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    /// <summary>True when the save failed on a unique index (a concurrent duplicate insert).</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException switch
        {
            PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
            SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
            _ => false,
        };
}

/// <summary>
/// The connection string must parse as one of its provider's (Npgsql or SQLite). The message names the setting and the
/// parser's complaint, never the string itself (it may hold a password).
/// </summary>
public sealed class DatabaseOptionsValidation : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Skip;
        }

        try
        {
            _ = options.Provider == DatabaseProvider.Postgres
                ? new NpgsqlConnectionStringBuilder(options.ConnectionString).ConnectionString
                : new SqliteConnectionStringBuilder(options.ConnectionString).ConnectionString;
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail(
                $"Database:ConnectionString is not a valid {options.Provider} connection string ({ex.Message.ReplaceLineEndings(" ")}).");
        }
    }
}

/// <summary>Ready only while the service's database answers; reported through grpc.health.v1.</summary>
public sealed class DatabaseHealthCheck<TContext>(TContext db) : IHealthCheck
    where TContext : DbContext
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // One statement on a pooled connection: ready means the database answers a query, not only that it accepts a connection.
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or SqliteException or InvalidOperationException or DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
