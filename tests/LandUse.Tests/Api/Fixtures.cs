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

/// <summary>
/// Zone areas from GeographicLib 2.0 (Karney's geodesic polygon area on WGS84, Debian's python3-geographiclib),
/// independent of the service's own computation; see GeodesicAreaTests for the command.
/// </summary>
internal static class Hectares
{
    /// <summary>The zones of Data/pomacanchi_zones.geojson (and the service's Samples copy).</summary>
    public static readonly IReadOnlyDictionary<string, double> SampleZones = new Dictionary<string, double>
    {
        ["PROD-AGR-01"] = 1_000_320.1504 / 10_000,
        ["REC-01"] = 1_075_613.0652 / 10_000,
        ["PROT-HUM-01"] = 4_481_352.4892 / 10_000,
        ["PROT-CAB-01"] = 2_390_611.5622 / 10_000,
    };

    /// <summary>The box lon −71.61..−71.60, lat −14.07..−14.06.</summary>
    public const double Pasture = 1_194_950.1185 / 10_000;

    /// <summary>The domain tests' tolerance: the measured difference to GeographicLib is at most 1.2e-7.</summary>
    public static void AssertClose(double expected, double actual)
    {
        var relative = Math.Abs(actual - expected) / expected;
        Assert.True(relative < 1e-6, $"{actual:F6} ha differs from GeographicLib's {expected:F6} ha by {relative:E2}.");
    }
}
