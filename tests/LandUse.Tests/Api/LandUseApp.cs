using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>The real land-use host on a fresh PostgreSQL database, pointed at a consultation service address.</summary>
public sealed class LandUseApp : WatershedApp<Program>
{
    private LandUseApp(string provider, string connectionString, bool kestrel, Uri consultation, IDictionary<string, string?>? settings = null)
        : base(provider, connectionString, kestrel, new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Services:consultation:Address"] = consultation.ToString(),
            ["Services:consultation:Deadline"] = "00:00:03",
            ["Services:consultation:MaxAttempts"] = "2",
        })
    {
    }

    /// <param name="logs">Receives what the host logs, for tests of logging.</param>
    /// <param name="settings">Further settings of the host.</param>
    public static async Task<LandUseApp> OnPostgresAsync(Uri consultation, LogCapture? logs = null, IDictionary<string, string?>? settings = null)
    {
        var postgres = await PostgresServer.GetAsync();
        return new LandUseApp("Postgres", await postgres.CreateDatabaseAsync("landuse"), kestrel: false, consultation, settings)
        {
            ConfigureTestServices = logs is null ? null : services => services.AddSingleton<ILoggerProvider>(logs),
        };
    }

    public static LandUseApp OnSqliteSocket(string file, Uri consultation) => new("Sqlite", $"Data Source={file}", kestrel: true, consultation);

    public WatershedUnitService.WatershedUnitServiceClient Watersheds(string? token) => new(Invoker(token));

    public PlanService.PlanServiceClient Plans(string? token) => new(Invoker(token));
}
