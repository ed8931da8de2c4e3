using System.Text;
using Google.Protobuf;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// ImportPlanVersionZones with check_only, through the API on PostgreSQL: the faults the import would refuse with, in
/// the same words, with every feature as read (also one whose geometry may not be stored), in every layer format, and
/// nothing stored.
/// </summary>
public sealed class LayerCheckTests : IAsyncLifetime
{
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static readonly System.Text.Json.JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };

    private static Geometry Read(string geojson) => System.Text.Json.JsonSerializer.Deserialize<Geometry>(geojson, GeoJson)!;

    private const string BowTie = """{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.06],[-71.60,-14.07],[-71.61,-14.06],[-71.61,-14.07]]]}""";

    public static TheoryData<string, LayerFormat> FaultyLayers() => new()
    {
        {
            """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"codigo":"A-1","nombre":"Moño","categoria":"productiva","subcategoria":"pastos"},"geometry":
            """ + BowTie + """
            },
              {"type":"Feature","properties":{"codigo":"A-2","nombre":"Sin categoría"},"geometry":{"type":"Polygon","coordinates":[[[-71.59,-14.07],[-71.58,-14.07],[-71.58,-14.06],[-71.59,-14.06],[-71.59,-14.07]]]}},
              {"type":"Feature","properties":{"codigo":"A-3","categoria":"productiva","subcategoria":"pastos"},"geometry":{"type":"Polygon","coordinates":[[[-71.57,-14.07],[-71.56,-14.07],[-71.56,-14.06],[-71.57,-14.06],[-71.57,-14.07]]]}}
            ]}
            """,
            LayerFormat.Geojson
        },
        {
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document>
              <Placemark><name>A-1</name><ExtendedData><Data name="codigo"><value>A-1</value></Data><Data name="categoria"><value>productiva</value></Data><Data name="subcategoria"><value>pastos</value></Data></ExtendedData>
                <Polygon><outerBoundaryIs><LinearRing><coordinates>-71.61,-14.07 -71.60,-14.06 -71.60,-14.07 -71.61,-14.06 -71.61,-14.07</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
              <Placemark><name>A-2</name><ExtendedData><Data name="codigo"><value>A-2</value></Data></ExtendedData>
                <Polygon><outerBoundaryIs><LinearRing><coordinates>-71.59,-14.07 -71.58,-14.07 -71.58,-14.06 -71.59,-14.06 -71.59,-14.07</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
              <Placemark><name>A-3</name><ExtendedData><Data name="codigo"><value>A-3</value></Data><Data name="categoria"><value>productiva</value></Data><Data name="subcategoria"><value>pastos</value></Data></ExtendedData>
                <Polygon><outerBoundaryIs><LinearRing><coordinates>-71.57,-14.07 -71.56,-14.07 -71.56,-14.06 -71.57,-14.06 -71.57,-14.07</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
            </Document></kml>
            """,
            LayerFormat.Kml
        },
    };

    [Theory]
    [MemberData(nameof(FaultyLayers))]
    public async Task A_check_answers_the_faults_the_import_refuses_with_and_every_feature_drawn_storing_nothing(string layer, LayerFormat format)
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var plans = _app.Plans(TestTokens.Facilitator("pomacanchi"));
        var file = ByteString.CopyFrom(layer, Encoding.UTF8);

        var check = await plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, File = file, FileFormat = format, CheckOnly = true });

        Assert.Equal([0, 1, 2], check.Features.Select(f => f.Index));
        Assert.Equal(["A-1", "A-2", "A-3"], check.Features.Select(f => f.Label));
        // The bow-tie may not be stored, yet it is drawn where it is: the ring as the file has it.
        Assert.True(Read(BowTie).EqualsExact(Read(check.Features[0].GeometryGeojson)), check.Features[0].GeometryGeojson);
        Assert.All(check.Features, f => Assert.False(f.GeometryOmitted));
        Assert.Contains(check.Faults, f => f.Feature == 0 && f.Field == "file.features[0].geometry" && f.Description.Contains("Self-intersection", StringComparison.Ordinal));
        Assert.Contains(check.Faults, f => f.Feature == 1 && f.Field.StartsWith("file.features[1].", StringComparison.Ordinal));
        Assert.DoesNotContain(check.Faults, f => f.Feature == 2);
        Assert.Equal(check.Faults.Count, check.FaultCount);

        // The import refuses with exactly those faults, and neither call stored anything.
        var refused = await GrpcStatusAssert.InvalidArgumentAsync(() =>
            plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, File = file, FileFormat = format }).ResponseAsync);
        Assert.Equal(refused.FieldViolations.Select(v => (v.Field, v.Description)), check.Faults.Select(f => (f.Field, f.Description)));
        var after = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        Assert.Equal(draft.Zones.Select(z => z.Content.ZoneCode), after.Zones.Select(z => z.Content.ZoneCode));
        Assert.Equal(draft.ZoneCount, check.PlanVersion.ZoneCount);
    }

    public static TheoryData<ExportFormat> Formats() => [ExportFormat.Geojson, ExportFormat.Kml, ExportFormat.Geopackage, ExportFormat.ShapefileZip];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task In_every_layer_format_a_check_draws_each_feature_and_names_its_faults(ExportFormat export)
    {
        // Pomacanchi's zones, exported, checked against a watershed far away: every zone lies outside its boundary.
        var (_, _, pomacanchi) = await Sample.PlanWithZonesAsync(_app);
        var admin = TestTokens.Admin();
        var plans = _app.Plans(admin);
        var elsewhere = (await _app.Watersheds(admin).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = $"cachora{(int)export}", Name = "Cachora", BoundaryGeojson = Sample.Box(-72.85, -13.55, -72.80, -13.50),
        })).WatershedUnit;
        var target = (await plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = elsewhere.Id, Title = "Plan de Cachora", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 },
        })).FirstVersion;
        var file = (await plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = pomacanchi.Id, Format = export })).Content;

        var check = await plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = target.Id, File = file, CheckOnly = true });

        Assert.Equal(pomacanchi.ZoneCount, check.Features.Count);
        var byCode = pomacanchi.Zones.ToDictionary(z => z.Content.ZoneCode);
        foreach (var feature in check.Features)
        {
            // Drawn as the zone it was exported from, and faulted where it lies.
            Assert.Single(byCode.Values, z => Read(z.Content.GeometryGeojson).EqualsTopologically(Read(feature.GeometryGeojson)));
            Assert.Contains(check.Faults, f => f.Feature == feature.Index && f.Field == $"file.features[{feature.Index}].geometry");
        }

        Assert.Equal(0, (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = target.Id })).PlanVersion.ZoneCount);
    }

    [Fact]
    public async Task A_check_of_a_version_that_is_no_draft_is_refused_like_the_import()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var plans = _app.Plans(TestTokens.Facilitator("pomacanchi"));
        await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        await GrpcStatusAssert.ThrowsAsync(global::Grpc.Core.StatusCode.FailedPrecondition, () =>
            plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = Sample.ZonesFile(), CheckOnly = true }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(global::Grpc.Core.StatusCode.PermissionDenied, () =>
            _app.Plans(TestTokens.Create("viewer@test", ["viewer"], ["pomacanchi"])).ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = Sample.ZonesFile(), CheckOnly = true }).ResponseAsync);
    }
}
