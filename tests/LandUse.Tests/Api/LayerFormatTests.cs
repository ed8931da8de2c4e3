using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// Layers in the formats planners exchange, through the API on PostgreSQL: each export imports back as the same zones
/// (DiffPlanVersions finds no change), files made by other tools import, and a file that is not its format is refused
/// as a whole under "file".
/// </summary>
public sealed class LayerFormatTests : IAsyncLifetime
{
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private PlanService.PlanServiceClient Plans => _app.Plans(TestTokens.Facilitator("pomacanchi"));

    public static TheoryData<ExportFormat, LayerFormat, bool> RoundTrips() => new()
    {
        { ExportFormat.Kml, LayerFormat.Unspecified, false },
        { ExportFormat.Kml, LayerFormat.Kml, false },
        { ExportFormat.Kml, LayerFormat.Kmz, true },
        { ExportFormat.Kml, LayerFormat.Unspecified, true },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public async Task An_export_imports_back_as_the_same_zones(ExportFormat export, LayerFormat import, bool zipped)
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app);
        // A zone with a hole, notes on two lines and a use holding a semicolon and a colon, besides the sample's.
        var rich = Sample.Zone("PAS-1", """{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.60,-14.06],[-71.61,-14.06],[-71.61,-14.07]],[[-71.606,-14.066],[-71.604,-14.066],[-71.604,-14.064],[-71.606,-14.066]]]}""");
        rich.Name = "Pastizal & <bofedal>";
        rich.Notes = "Línea 1\r\nLínea 2\tfin";
        rich.Uses.Add(new AllowedUse { Use = @"agua; riego: ruta\inca", Rating = UseRating.RecommendedWithRestrictions });
        await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = rich });
        draft = (await Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;

        var file = (await Plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = draft.Id, Format = export })).Content;
        if (zipped)
        {
            file = Zip(("doc.kml", file.ToByteArray()));
        }

        var second = await NextDraftAsync(plan, draft);
        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = second.Id, File = file, FileFormat = import });

        Assert.Empty(imported.IgnoredProperties);
        Assert.Equal(5, imported.PlanVersion.ZoneCount);
        var diff = await Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = draft.Id, ToPlanVersionId = second.Id });
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Empty(diff.Changed);
        Assert.Equal(
            draft.Zones.Select(z => (z.Content.ZoneCode, z.Content.Name, z.Content.Notes, z.Content.Uses.ToString(), z.AreaHa)),
            imported.PlanVersion.Zones.Select(z => (z.Content.ZoneCode, z.Content.Name, z.Content.Notes, z.Content.Uses.ToString(), z.AreaHa)));
    }

    [Fact]
    public async Task A_google_earth_kml_with_folders_and_spanish_data_imports_and_a_point_is_named_by_its_path()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var kml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Zonas</name>
              <Folder><name>Protección</name>
                <Placemark><name>Bofedal de Sallma</name><description>Cercado en 2025</description>
                  <ExtendedData><Data name="codigo"><value>PROT-HUM-09</value></Data><Data name="categoria"><value>Protección y conservación</value></Data>
                    <Data name="subcategoria"><value>humedales</value></Data><Data name="usos"><value>pastoreo: no recomendable</value></Data></ExtendedData>
                  <Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>
                    -71.61,-14.07,3700 -71.60,-14.07,3700 -71.60,-14.06,3700 -71.61,-14.06,3700 -71.61,-14.07,3700
                  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
              </Folder>
              <Placemark><name>Manantial</name><Point><coordinates>-71.58,-14.05</coordinates></Point></Placemark>
            </Document></kml>
            """;

        var refused = await GrpcStatusAssert.InvalidArgumentAsync(() => Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
        {
            PlanVersionId = draft.Id, File = ByteString.CopyFromUtf8(kml),
        }).ResponseAsync);
        Assert.Equal(
            ["file.features[1].zone_code", "file.features[1].category", "file.features[1].subcategory", "file.features[1].geometry"],
            refused.FieldViolations.Select(v => v.Field));
        Assert.Equal("Manantial: A zone or boundary must be a Polygon or MultiPolygon, not Point.", refused.FieldViolations[3].Description);

        var withoutPoint = kml[..kml.IndexOf("  <Placemark><name>Manantial", StringComparison.Ordinal)] + "</Document></kml>";
        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
        {
            PlanVersionId = draft.Id, File = ByteString.CopyFromUtf8(withoutPoint), FileFormat = LayerFormat.Kml,
        });
        var zone = Assert.Single(imported.PlanVersion.Zones).Content;
        Assert.Equal(("PROT-HUM-09", "Bofedal de Sallma", "Cercado en 2025", ZeeSubcategory.Wetlands), (zone.ZoneCode, zone.Name, zone.Notes, zone.Subcategory));
        Assert.Equal(("pastoreo", UseRating.NotRecommended), (Assert.Single(zone.Uses).Use, zone.Uses[0].Rating));
        Hectares.AssertClose(Hectares.Pasture, imported.PlanVersion.AreaHa);
    }

    public static TheoryData<string, string[]> BadRequests() => new()
    {
        { "both geojson and file", ["file"] },
        { "file_format for geojson", ["file_format"] },
        { "unknown file_format", ["file_format"] },
        { "bytes of no known format", ["file"] },
        { "KML that is not XML", ["file"] },
        { "KML with a DTD", ["file"] },
        { "XML that is not KML", ["file"] },
        { "KMZ without a KML", ["file"] },
        { "a zip that is not one", ["file"] },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_file_that_is_not_what_it_claims_is_refused_as_a_whole_and_changes_nothing(string name, string[] fields)
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var kml = ByteString.CopyFromUtf8("<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document/></kml>");
        var request = name switch
        {
            "both geojson and file" => new ImportPlanVersionZonesRequest { Geojson = Sample.ZonesFile(), File = Sample.ZonesFile() },
            "file_format for geojson" => new ImportPlanVersionZonesRequest { Geojson = Sample.ZonesFile(), FileFormat = LayerFormat.Kml },
            "unknown file_format" => new ImportPlanVersionZonesRequest { File = kml, FileFormat = (LayerFormat)42 },
            "bytes of no known format" => new ImportPlanVersionZonesRequest { File = ByteString.CopyFromUtf8("zone_code;category\nA;productive") },
            "KML that is not XML" => new ImportPlanVersionZonesRequest { File = ByteString.CopyFromUtf8("<kml><Document>"), FileFormat = LayerFormat.Kml },
            "KML with a DTD" => new ImportPlanVersionZonesRequest
            {
                File = ByteString.CopyFromUtf8("""<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml><Document><name>&x;</name></Document></kml>"""),
            },
            "XML that is not KML" => new ImportPlanVersionZonesRequest { File = ByteString.CopyFromUtf8("<gpx><trk/></gpx>") },
            "KMZ without a KML" => new ImportPlanVersionZonesRequest { File = Zip(("notes.txt", "hola"u8.ToArray())), FileFormat = LayerFormat.Kmz },
            _ => new ImportPlanVersionZonesRequest { File = ByteString.CopyFromUtf8("PK\u0003\u0004 not a zip"), FileFormat = LayerFormat.Kmz },
        };
        request.PlanVersionId = draft.Id;

        await BadInput.AssertRefusedAsync(_app.SnapshotAsync, "ImportPlanVersionZones " + name, () => Plans.ImportPlanVersionZonesAsync(request).ResponseAsync, fields);
    }

    internal static ByteString Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return ByteString.CopyFrom(buffer.ToArray());
    }

    private async Task<V1.PlanVersion> NextDraftAsync(V1.Plan plan, V1.PlanVersion current)
    {
        await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = current.Id });
        await Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = current.Id, Reason = "Otra versión" });
        return (await Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;
    }
}
