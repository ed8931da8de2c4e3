using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.LandUse.Data;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>The real land-use host on a fresh PostgreSQL database, pointed at a consultation service address.</summary>
public sealed class LandUseApp : WatershedApp<Program>
{
    private LandUseApp(string provider, string connectionString, bool kestrel, Uri consultation)
        : base(provider, connectionString, kestrel, new Dictionary<string, string?>
        {
            ["Services:consultation:Address"] = consultation.ToString(),
            ["Services:consultation:Deadline"] = "00:00:03",
            ["Services:consultation:MaxAttempts"] = "2",
        })
    {
    }

    public static async Task<LandUseApp> OnPostgresAsync(Uri consultation)
    {
        var postgres = await PostgresServer.GetAsync();
        return new LandUseApp("Postgres", await postgres.CreateDatabaseAsync("landuse"), kestrel: false, consultation);
    }

    public static LandUseApp OnSqliteSocket(string file, Uri consultation) => new("Sqlite", $"Data Source={file}", kestrel: true, consultation);

    public WatershedUnitService.WatershedUnitServiceClient Watersheds(string? token) => new(Invoker(token));

    public PlanService.PlanServiceClient Plans(string? token) => new(Invoker(token));

    public async Task<string> RowCountsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LandUseDbContext>();
        var versions = await db.PlanVersions.Select(v => new { v.State, v.Number }).ToListAsync();
        return string.Join(",", await db.WatershedUnits.CountAsync(), await db.Plans.CountAsync(), await db.Zones.CountAsync(),
            string.Join("/", versions.OrderBy(v => v.Number).Select(v => v.State)));
    }
}
