using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.LandUse.Data;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

public sealed class LandUseHostileFixture : IAsyncLifetime
{
    public LandUseApp App { get; private set; } = null!;

    public V1.WatershedUnit Watershed { get; private set; } = null!;

    public V1.Plan Plan { get; private set; } = null!;

    public V1.PlanVersion Draft { get; private set; } = null!;

    /// <summary>A draft of Cachora, a watershed the Pomacanchi facilitator may not read.</summary>
    public V1.PlanVersion OtherWatershedsDraft { get; private set; } = null!;

    public PlanService.PlanServiceClient Plans => App.Plans(TestTokens.Facilitator("pomacanchi"));

    public WatershedUnitService.WatershedUnitServiceClient Watersheds => App.Watersheds(TestTokens.Facilitator("pomacanchi"));

    public async Task InitializeAsync()
    {
        App = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());
        (Watershed, Plan, Draft) = await Sample.PlanWithZonesAsync(App);
        (_, _, OtherWatershedsDraft) = await Sample.PlanWithZonesAsync(App, "cachora");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Hostile input through the real API on PostgreSQL: control characters, values longer than their columns, malformed
/// and oversized geometry, invalid UTF-8, ids of another watershed. Each case must get the answer it names (never
/// INTERNAL or UNKNOWN) and leave every row as it was.
/// </summary>
public sealed class HostileInputTests(LandUseHostileFixture fixture) : IClassFixture<LandUseHostileFixture>
{
    private const string Nul = "\0";
    private static readonly string Megabyte = new('x', 1 << 20);

    private static readonly Dictionary<string, (Func<LandUseHostileFixture, Task> Call, StatusCode Code, string[] Fields)> Cases = new()
    {
        ["CreatePlan NUL in title"] = (f => f.Plans.CreatePlanAsync(Plan(f, "Plan" + Nul)).ResponseAsync, StatusCode.InvalidArgument, ["title"]),
        ["CreatePlan vertical tab in title"] = (f => f.Plans.CreatePlanAsync(Plan(f, "Plan\vPomacanchi")).ResponseAsync, StatusCode.InvalidArgument, ["title"]),
        ["CreatePlan 1 MB title"] = (f => f.Plans.CreatePlanAsync(Plan(f, Megabyte)).ResponseAsync, StatusCode.InvalidArgument, ["title"]),
        ["CreatePlan NUL in a goal"] = (f => f.Plans.CreatePlanAsync(Plan(f, "Plan", "Agua" + Nul)).ResponseAsync, StatusCode.InvalidArgument, ["goals[0]"]),
        ["RetitlePlan NUL"] = (f => f.Plans.RetitlePlanAsync(new RetitlePlanRequest { PlanId = f.Plan.Id, Title = "A" + Nul + "B" }).ResponseAsync, StatusCode.InvalidArgument, ["title"]),
        ["RetitlePlan vertical tab"] = (f => f.Plans.RetitlePlanAsync(new RetitlePlanRequest { PlanId = f.Plan.Id, Title = "Plan\vPomacanchi" }).ResponseAsync, StatusCode.InvalidArgument, ["title"]),
        ["RetitlePlan escape character"] = (f => f.Plans.RetitlePlanAsync(new RetitlePlanRequest { PlanId = f.Plan.Id, Title = "A\u001bB" }).ResponseAsync, StatusCode.InvalidArgument, ["title"]),
        ["RevisePlanVersion 1 MB goal"] = (f => f.Plans.RevisePlanVersionAsync(new RevisePlanVersionRequest
        {
            PlanVersionId = f.Draft.Id, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 }, Goals = { Megabyte },
        }).ResponseAsync, StatusCode.InvalidArgument, ["goals[0]"]),
        ["RevisePlanVersion vertical tab in a goal"] = (f => f.Plans.RevisePlanVersionAsync(new RevisePlanVersionRequest
        {
            PlanVersionId = f.Draft.Id, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 }, Goals = { "Agua\vlimpia" },
        }).ResponseAsync, StatusCode.InvalidArgument, ["goals[0]"]),
        ["CreateWatershedUnit NUL in name"] = (f => f.App.Watersheds(TestTokens.Admin()).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "hostil", Name = "Cuenca" + Nul, BoundaryGeojson = Sample.Boundary,
        }).ResponseAsync, StatusCode.InvalidArgument, ["name"]),
        ["CreateWatershedUnit vertical tab in name"] = (f => f.App.Watersheds(TestTokens.Admin()).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "hostil", Name = "Cuenca\vPomacanchi", BoundaryGeojson = Sample.Boundary,
        }).ResponseAsync, StatusCode.InvalidArgument, ["name"]),
        ["RenameWatershedUnit control character"] = (f => f.Watersheds.RenameWatershedUnitAsync(new RenameWatershedUnitRequest
        {
            WatershedUnitId = f.Watershed.Id, Name = "Cuenca\u0001",
        }).ResponseAsync, StatusCode.InvalidArgument, ["name"]),
        ["PutZone control characters in name, notes and a use"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest
        {
            PlanVersionId = f.Draft.Id, Zone = Zone("NEW-1", name: "Zona" + Nul, notes: "No\vtas", use: "pastoreo\u0000"),
        }).ResponseAsync, StatusCode.InvalidArgument, ["zone.name", "zone.notes", "zone.uses[0].use"]),
        ["PutZone vertical tab pasted into the name"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest
        {
            PlanVersionId = f.Draft.Id, Zone = Zone("NEW-1", name: "Bofedal\vAlto"),
        }).ResponseAsync, StatusCode.InvalidArgument, ["zone.name"]),
        ["PutZone vertical tab and form feed in notes"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest
        {
            PlanVersionId = f.Draft.Id, Zone = Zone("NEW-1", notes: "Línea 1\vLínea 2\f"),
        }).ResponseAsync, StatusCode.InvalidArgument, ["zone.notes"]),
        ["PutZone 1 MB name and notes"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest
        {
            PlanVersionId = f.Draft.Id, Zone = Zone("NEW-1", name: Megabyte, notes: Megabyte),
        }).ResponseAsync, StatusCode.InvalidArgument, ["zone.name", "zone.notes"]),
        ["PutZone deeply nested geometry"] = (f => PutGeometry(f, Deep(100_000)), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone geometry nested 60 deep"] = (f => PutGeometry(f, Deep(60)), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone infinite coordinate"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[[[1e999,-14.07],[-71.60,-14.07],[-71.60,-14.06],[1e999,-14.07]]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone NaN coordinate"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[[["NaN",-14.07],[-71.60,-14.07],[-71.60,-14.06],["NaN",-14.07]]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone position with one number"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[[[-71.61],[-71.60,-14.07],[-71.60,-14.06],[-71.61]]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone empty ring"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[[]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone no rings"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone coordinates null"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":null}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone coordinates an object"] = (f => PutGeometry(f, """{"type":"MultiPolygon","coordinates":{"a":1}}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone polygon coordinates under MultiPolygon"] = (f => PutGeometry(f, """{"type":"MultiPolygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.60,-14.06],[-71.61,-14.07]]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone numbers as text"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[[["-71.61","-14.07"],["-71.60","-14.07"],["-71.60","-14.06"],["-71.61","-14.07"]]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone ring of three positions"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.61,-14.07]]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone open ring"] = (f => PutGeometry(f, """{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.60,-14.06],[-71.61,-14.06]]]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone 120,000 vertices"] = (f => PutGeometry(f, Circle(120_000)), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["PutZone a million vertices"] = (f => PutGeometry(f, Circle(1_000_000)), StatusCode.ResourceExhausted, []),
        ["PutZone geometry collection"] = (f => PutGeometry(f, """{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.60,-14.06],[-71.61,-14.07]]]}]}"""), StatusCode.InvalidArgument, ["zone.geometry_geojson"]),
        ["ChangeWatershedUnitBoundary deeply nested"] = (f => f.Watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
        {
            WatershedUnitId = f.Watershed.Id, BoundaryGeojson = Deep(100_000),
        }).ResponseAsync, StatusCode.InvalidArgument, ["boundary_geojson"]),
        ["ChangeWatershedUnitBoundary infinite coordinate"] = (f => f.Watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
        {
            WatershedUnitId = f.Watershed.Id, BoundaryGeojson = """{"type":"Polygon","coordinates":[[[-1e999,-14.08],[-71.52,-14.08],[-71.52,-13.98],[-1e999,-14.08]]]}""",
        }).ResponseAsync, StatusCode.InvalidArgument, ["boundary_geojson"]),
        ["ChangeWatershedUnitBoundary 120,000 vertices"] = (f => f.Watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
        {
            WatershedUnitId = f.Watershed.Id, BoundaryGeojson = Circle(120_000),
        }).ResponseAsync, StatusCode.InvalidArgument, ["boundary_geojson"]),
        ["ImportPlanVersionZones invalid UTF-8 in a name"] = (f => Import(f, File("Zona \xff")), StatusCode.InvalidArgument, ["geojson"]),
        ["ImportPlanVersionZones a lone surrogate escape in a name"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Zona \\ud800"))), StatusCode.InvalidArgument, ["geojson"]),
        ["ImportPlanVersionZones NUL escape in notes"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Zona", notes: "a\\u0000b"))), StatusCode.InvalidArgument, ["geojson.features[0].notes"]),
        ["ImportPlanVersionZones vertical tab in a name"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Bofedal\\u000bAlto"))), StatusCode.InvalidArgument, ["geojson.features[0].name"]),
        ["ImportPlanVersionZones vertical tab in notes"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Zona", notes: "a\\u000bb"))), StatusCode.InvalidArgument, ["geojson.features[0].notes"]),
        ["ImportPlanVersionZones vertical tab in a use"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Zona", use: "pas\\u000bto"))), StatusCode.InvalidArgument, ["geojson.features[0].uses[0].use"]),
        ["ImportPlanVersionZones deeply nested"] = (f => Import(f, Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","features":[""" + new string('[', 100_000))), StatusCode.InvalidArgument, ["geojson"]),
        ["ImportPlanVersionZones infinite coordinate"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Zona", geometry: """{"type":"Polygon","coordinates":[[[1e999,-14.07],[-71.60,-14.07],[-71.60,-14.06],[1e999,-14.07]]]}"""))), StatusCode.InvalidArgument, ["geojson.features[0].geometry"]),
        ["ImportPlanVersionZones a position of text"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Zona", geometry: """{"type":"Polygon","coordinates":[["a","b","c","d"]]}"""))), StatusCode.InvalidArgument, ["geojson.features[0].geometry"]),
        ["ImportPlanVersionZones 120,000 vertices"] = (f => Import(f, Encoding.UTF8.GetBytes(Feature("Zona", geometry: Circle(120_000)))), StatusCode.InvalidArgument, ["geojson.features[0].geometry"]),
        ["DiffPlanVersions to a version of another watershed"] = (f => f.Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest
        {
            FromPlanVersionId = f.Draft.Id, ToPlanVersionId = f.OtherWatershedsDraft.Id,
        }).ResponseAsync, StatusCode.PermissionDenied, []),
        ["DiffPlanVersions from a version of another watershed"] = (f => f.Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest
        {
            FromPlanVersionId = f.OtherWatershedsDraft.Id, ToPlanVersionId = f.Draft.Id,
        }).ResponseAsync, StatusCode.PermissionDenied, []),
        ["DiffPlanVersions to an unknown version"] = (f => f.Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest
        {
            FromPlanVersionId = f.Draft.Id, ToPlanVersionId = Guid.CreateVersion7().ToString(),
        }).ResponseAsync, StatusCode.NotFound, []),
        ["DiffPlanVersions from an unknown version to another watershed's"] = (f => f.Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest
        {
            FromPlanVersionId = Guid.CreateVersion7().ToString(), ToPlanVersionId = f.OtherWatershedsDraft.Id,
        }).ResponseAsync, StatusCode.NotFound, []),
        ["ApprovePlanVersion of another watershed"] = (f => f.Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest
        {
            PlanVersionId = f.OtherWatershedsDraft.Id, ProposalId = Guid.CreateVersion7().ToString(),
        }).ResponseAsync, StatusCode.PermissionDenied, []),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Hostile_requests_get_their_answer_and_change_nothing(string name)
    {
        var (call, code, fields) = Cases[name];
        if (code == StatusCode.InvalidArgument)
        {
            await BadInput.AssertRefusedAsync(fixture.App.SnapshotAsync, name, () => call(fixture), fields);
            return;
        }

        var before = await fixture.App.SnapshotAsync();
        await GrpcStatusAssert.ThrowsAsync(code, () => call(fixture));
        Assert.Equal(before, await fixture.App.SnapshotAsync());
    }

    private static CreatePlanRequest Plan(LandUseHostileFixture f, string title, params string[] goals) => new()
    {
        WatershedUnitId = f.Watershed.Id, Title = title, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 }, Goals = { goals },
    };

    /// <summary>A zone in the free corner of the sample boundary (no sample zone there).</summary>
    private static ZoneContent Zone(string code, string name = "Zona", string notes = "", string use = "pastoreo", string? geometry = null) => new()
    {
        ZoneCode = code,
        Name = name,
        Notes = notes,
        Category = ZeeCategory.Productive,
        Subcategory = ZeeSubcategory.Pasture,
        Uses = { new AllowedUse { Use = use, Rating = UseRating.Recommended } },
        GeometryGeojson = geometry ?? Sample.Box(-71.61, -14.07, -71.60, -14.06),
    };

    private static Task PutGeometry(LandUseHostileFixture f, string geometry) =>
        f.Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = f.Draft.Id, Zone = Zone("NEW-1", geometry: geometry) }).ResponseAsync;

    private static Task Import(LandUseHostileFixture f, byte[] file) =>
        f.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = f.Draft.Id, Geojson = ByteString.CopyFrom(file) }).ResponseAsync;

    /// <summary>A Polygon whose coordinates are nested <paramref name="depth"/> arrays deep.</summary>
    private static string Deep(int depth) => """{"type":"Polygon","coordinates":""" + new string('[', depth) + new string(']', depth) + "}";

    /// <summary>A valid ring of <paramref name="vertices"/> positions around a point inside the sample boundary.</summary>
    private static string Circle(int vertices)
    {
        var text = new StringBuilder("""{"type":"Polygon","coordinates":[[""");
        for (var i = 0; i < vertices; i++)
        {
            var angle = 2 * Math.PI * i / vertices;
            text.Append(CultureInfo.InvariantCulture, $"[{-71.605 + (0.004 * Math.Cos(angle)):F5},{-14.065 + (0.004 * Math.Sin(angle)):F5}],");
        }

        text.Append(CultureInfo.InvariantCulture, $"[{-71.601:F5},{-14.065:F5}]]]}}");
        return text.ToString();
    }

    /// <summary>A FeatureCollection of one zone, its properties as JSON text (escapes kept).</summary>
    private static string Feature(string name, string notes = "", string use = "pastoreo", string? geometry = null) => $$"""
        {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_code":"NEW-1","name":"{{name}}","category":"productive",
        "subcategory":"pasture","uses":[{"use":"{{use}}","rating":"recommended"}],"notes":"{{notes}}"},
        "geometry":{{geometry ?? Sample.Box(-71.61, -14.07, -71.60, -14.06)}}}]}
        """;

    /// <summary>The file of <see cref="Feature"/> with one name's characters written as Latin-1 bytes (so \xff is not UTF-8).</summary>
    private static byte[] File(string latin1Name) => Encoding.Latin1.GetBytes(Feature(latin1Name));
}

/// <summary>
/// What is already stored may predate the input rules (a vertical tab in a zone's name made the KML export answer
/// INTERNAL): every export answers, dropping from KML what XML 1.0 cannot carry and escaping it in GeoJSON.
/// </summary>
public sealed class StoredControlCharacterTests : IAsyncLifetime
{
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Kml_and_geojson_exports_answer_whatever_control_characters_are_stored()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LandUseDbContext>();
            await db.Database.ExecuteSqlAsync($"UPDATE plans SET \"Title\" = {"Plan\vde\u0001Pomacanchi"} WHERE \"Id\" = {Guid.Parse(plan.Id)}");
            await db.Database.ExecuteSqlAsync($"UPDATE zones SET \"Name\" = {"Bofedal\v\u001b"}, \"Notes\" = {"Línea 1\nLínea\u00072\f"} WHERE \"Code\" = {"PROT-HUM-01"}");
        }

        var viewer = _app.Plans(TestTokens.Create("viewer@test", ["viewer"], ["pomacanchi"]));
        var kml = await viewer.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = draft.Id, Format = ExportFormat.Kml });
        var document = XDocument.Parse(kml.Content.ToStringUtf8());
        XNamespace ns = "http://www.opengis.net/kml/2.2";
        Assert.Equal("PlandePomacanchi — v1", document.Root!.Element(ns + "Document")!.Element(ns + "name")!.Value);
        var placemark = document.Descendants(ns + "Placemark").Single(p => p.Descendants(ns + "SimpleData").Any(d => d.Value == "PROT-HUM-01"));
        Assert.Equal("Bofedal", placemark.Element(ns + "name")!.Value);
        Assert.Equal("Línea 1\nLínea2", placemark.Element(ns + "description")!.Value);

        var geojson = await viewer.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = draft.Id, Format = ExportFormat.Geojson });
        using var json = JsonDocument.Parse(geojson.Content.Memory);
        var properties = json.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties")).Single(p => p.GetProperty("zone_code").GetString() == "PROT-HUM-01");
        Assert.Equal("Bofedal\v\u001b", properties.GetProperty("name").GetString());
        Assert.Equal("Línea 1\nLínea\u00072\f", properties.GetProperty("notes").GetString());
    }
}

/// <summary>
/// Every character XML 1.0 cannot carry (the C0 controls but tab, line feed and carriage return; U+FFFE and U+FFFF), stored in
/// every text a KML export writes (the plan's title, a zone's name, notes and uses), is dropped from the KML, which still
/// parses; the GeoJSON export keeps each one escaped. PostgreSQL cannot store NUL, so NUL is left out.
/// </summary>
public sealed class StoredXmlForbiddenCharacterTests : IAsyncLifetime
{
    private static readonly string Forbidden = string.Concat(
        Enumerable.Range(1, 31).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c)) + "\uFFFE\uFFFF";

    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_kml_export_drops_every_character_xml_cannot_carry_from_every_text_it_writes()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app);
        var uses = JsonSerializer.Serialize(new[] { new { use = "pasto" + Forbidden + "reo", rating = 1 } });
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LandUseDbContext>();
            await db.Database.ExecuteSqlAsync($"UPDATE plans SET \"Title\" = {"Plan" + Forbidden} WHERE \"Id\" = {Guid.Parse(plan.Id)}");
            await db.Database.ExecuteSqlAsync($"UPDATE zones SET \"Name\" = {"Bofedal" + Forbidden}, \"Notes\" = {"Notas" + Forbidden}, \"Uses\" = {uses} WHERE \"Code\" = {"PROT-HUM-01"}");
        }

        var plans = _app.Plans(TestTokens.Facilitator("pomacanchi"));
        var kml = await plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = draft.Id, Format = ExportFormat.Kml });

        var text = kml.Content.ToStringUtf8();
        Assert.DoesNotContain(text, c => Forbidden.Contains(c));
        var document = XDocument.Parse(text);
        Assert.Contains(document.Descendants().Select(e => e.Value), v => v.Contains("Bofedal", StringComparison.Ordinal));
        Assert.Contains(document.Descendants().Select(e => e.Value), v => v.Contains("pastoreo", StringComparison.Ordinal));
        Assert.Contains(document.Descendants().Select(e => e.Value), v => v.Contains("Notas", StringComparison.Ordinal));

        var geojson = await plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = draft.Id, Format = ExportFormat.Geojson });
        using var json = JsonDocument.Parse(geojson.Content.Memory);
        var properties = json.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties")).Single(p => p.GetProperty("zone_code").GetString() == "PROT-HUM-01");
        Assert.Equal("Bofedal" + Forbidden, properties.GetProperty("name").GetString());
        Assert.Equal("pasto" + Forbidden + "reo", properties.GetProperty("uses")[0].GetProperty("use").GetString());
    }
}

/// <summary>
/// DiffPlanVersions names two versions; each is answered as a read of it alone would be, so the pair never tells more
/// than two GetPlanVersion calls: the same status for an unknown id and for another watershed's, whichever side it is on.
/// </summary>
public sealed class TwoIdOracleTests(LandUseHostileFixture fixture) : IClassFixture<LandUseHostileFixture>
{
    [Fact]
    public async Task Diff_answers_each_id_exactly_as_get_plan_version_does()
    {
        var plans = fixture.Plans;
        var unknown = Guid.CreateVersion7().ToString();
        foreach (var other in new[] { fixture.OtherWatershedsDraft.Id, unknown })
        {
            var get = await Assert.ThrowsAsync<RpcException>(() => plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = other }).ResponseAsync);
            var asTo = await Assert.ThrowsAsync<RpcException>(() => plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = fixture.Draft.Id, ToPlanVersionId = other }).ResponseAsync);
            var asFrom = await Assert.ThrowsAsync<RpcException>(() => plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = other, ToPlanVersionId = fixture.Draft.Id }).ResponseAsync);
            Assert.Equal((get.StatusCode, get.StatusCode), (asTo.StatusCode, asFrom.StatusCode));
            Assert.NotEqual(StatusCode.InvalidArgument, get.StatusCode);
        }

        // Only a caller who may read both versions learns that they belong to different plans.
        var admin = fixture.App.Plans(TestTokens.Admin());
        await GrpcStatusAssert.InvalidArgumentAsync(() => admin.DiffPlanVersionsAsync(new DiffPlanVersionsRequest
        {
            FromPlanVersionId = fixture.Draft.Id, ToPlanVersionId = fixture.OtherWatershedsDraft.Id,
        }).ResponseAsync, "to_plan_version_id");
    }
}
