using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Watershed.ServiceDefaults.Data;

namespace Watershed.Consultation.Data;

/// <summary>Brings consultation's schema up to date at start.</summary>
internal static class ConsultationDatabase
{
    /// <summary>
    /// On PostgreSQL, EF Core's first look at a new database reads the migrations history table before it exists:
    /// PostgreSQL logs that statement as an ERROR although nothing is wrong. Creating the table first (with EF's
    /// own script, <c>CREATE TABLE IF NOT EXISTS</c>) makes a new database migrate without a failed statement.
    /// </summary>
    public static async Task InitializeAsync(IServiceProvider services)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConsultationDbContext>();
            if (db.Database.IsNpgsql())
            {
                try
                {
                    await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript());
                }
                catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
                {
                    // Another replica created it at the same moment: it exists, which is all this wanted.
                }
            }
        }

        await services.InitializeDatabaseAsync<ConsultationDbContext>();
    }
}
