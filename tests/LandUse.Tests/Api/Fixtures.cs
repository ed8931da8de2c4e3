using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>The real consultation service as its own process on PostgreSQL, shared by a test class.</summary>
public sealed class ConsultationProcess : IAsyncLifetime
{
    public ServiceProcess Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = await PostgresServer.GetAsync();
        Service = await ServiceProcess.StartAsync("Consultation", new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync("landuse_consultation"),
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
        });
    }

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

/// <summary>Requests and places the land-use tests share.</summary>
internal static class Sample
{
    /// <summary>Around the Pomacanchi lake test area: lon −71.62..−71.52, lat −14.08..−13.98.</summary>
    public const string Boundary = """{"type":"Polygon","coordinates":[[[-71.62,-14.08],[-71.52,-14.08],[-71.52,-13.98],[-71.62,-13.98],[-71.62,-14.08]]]}""";

    public static ByteString ZonesFile(string name = "pomacanchi_zones.geojson") =>
        ByteString.CopyFrom(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name)));

    public static string Box(double west, double south, double east, double north) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $$"""{"type":"Polygon","coordinates":[[[{{west}},{{south}}],[{{east}},{{south}}],[{{east}},{{north}}],[{{west}},{{north}}],[{{west}},{{south}}]]]}""");

    public static ZoneContent Zone(string code, string geometry, ZeeCategory category = ZeeCategory.Productive, ZeeSubcategory subcategory = ZeeSubcategory.Pasture) => new()
    {
        ZoneCode = code,
        Name = code,
        Category = category,
        Subcategory = subcategory,
        Uses = { new AllowedUse { Use = "pastoreo", Rating = UseRating.Recommended } },
        GeometryGeojson = geometry,
    };

    public static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }

    /// <summary>A watershed with its boundary and a plan whose first draft holds the four sample zones.</summary>
    public static async Task<(V1.WatershedUnit Watershed, V1.Plan Plan, V1.PlanVersion Draft)> PlanWithZonesAsync(LandUseApp app, string code = "pomacanchi")
    {
        var facilitator = TestTokens.Facilitator(code);
        var watershed = (await app.Watersheds(facilitator).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = code,
            Name = "Cuenca de la laguna de Pomacanchi",
            BoundaryGeojson = Boundary,
        })).WatershedUnit;
        var created = await app.Plans(facilitator).CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = watershed.Id,
            Title = "Plan de ordenamiento territorial de Pomacanchi",
            Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 },
            Goals = { "Proteger las cabeceras de cuenca", "Recuperar laderas degradadas" },
        });
        var draft = (await app.Plans(facilitator).ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
        {
            PlanVersionId = created.FirstVersion.Id,
            Geojson = ZonesFile(),
        })).PlanVersion;
        return (watershed, created.Plan, draft);
    }
}
