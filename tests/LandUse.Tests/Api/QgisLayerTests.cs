using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// What QGIS and GDAL export reads as the planner meant it, through the API on PostgreSQL: a boundary as a Feature or a
/// FeatureCollection, zone attributes and values in Spanish under any case, uses as text, and every property no
/// attribute takes listed in the answer instead of dropped.
/// </summary>
public sealed class QgisLayerTests : IAsyncLifetime
{
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private PlanService.PlanServiceClient Plans => _app.Plans(TestTokens.Facilitator("pomacanchi"));

    [Fact]
    public async Task Files_and_text_saved_with_a_byte_order_mark_read_as_without_it()
    {
        // Windows editors and some QGIS builds write UTF-8 with a byte order mark (EF BB BF); it is not part of the JSON.
        var watersheds = _app.Watersheds(TestTokens.Admin());
        var unit = (await watersheds.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "pomacanchi", Name = "Pomacanchi", BoundaryGeojson = "\uFEFF" + Sample.Boundary,
        })).WatershedUnit;
        var plan = await Plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = unit.Id, Title = "Plan", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 },
        });
        var zones = Sample.ZonesFile().ToByteArray();
        foreach (var (field, request) in new (string, ImportPlanVersionZonesRequest)[]
        {
            ("geojson", new() { PlanVersionId = plan.FirstVersion.Id, Geojson = ByteString.CopyFrom([0xEF, 0xBB, 0xBF, .. zones]) }),
            ("file", new() { PlanVersionId = plan.FirstVersion.Id, File = ByteString.CopyFrom([0xEF, 0xBB, 0xBF, .. zones]) }),
            ("file as GeoJSON", new() { PlanVersionId = plan.FirstVersion.Id, File = ByteString.CopyFrom([0xEF, 0xBB, 0xBF, .. zones]), FileFormat = LayerFormat.Geojson }),
        })
        {
            var imported = (await Plans.ImportPlanVersionZonesAsync(request)).PlanVersion;
            Assert.True(imported.ZoneCount == 4, field);
        }

        var zone = Sample.Zone("BOM-01", "\uFEFF" + Sample.Box(-71.61, -14.07, -71.60, -14.06));
        Assert.Equal("BOM-01", (await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = plan.FirstVersion.Id, Zone = zone })).Zone.Content.ZoneCode);
    }

    [Fact]
    public async Task A_boundary_exported_as_a_feature_or_as_a_collection_of_adjoining_parts_is_the_same_boundary()
    {
        var watersheds = _app.Watersheds(TestTokens.Admin());
        var plain = (await watersheds.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "pomacanchi", Name = "Pomacanchi", BoundaryGeojson = Sample.Boundary,
        })).WatershedUnit;

        var feature = (await watersheds.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "feature", Name = "Pomacanchi", BoundaryGeojson = """{"type":"Feature","properties":{"nombre":"Pomacanchi"},"geometry":""" + Sample.Boundary + "}",
        })).WatershedUnit;
        Assert.Equal(plain.AreaHa, feature.AreaHa, 9);

        // The west and east halves of the same box, as two features of one layer: dissolved into one boundary.
        var halves = """{"type":"FeatureCollection","name":"cuenca","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":["""
            + """{"type":"Feature","properties":{"id":1},"geometry":""" + Sample.Box(-71.62, -14.08, -71.57, -13.98) + "},"
            + """{"type":"Feature","properties":{"id":2},"geometry":""" + Sample.Box(-71.57, -14.08, -71.52, -13.98) + "}]}";
        var changed = (await watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
        {
            WatershedUnitId = feature.Id, BoundaryGeojson = halves,
        })).WatershedUnit;
        // The parts' shared edge leaves a vertex on the north and south edges: a few square metres of 10,800 ha.
        Assert.True(Math.Abs(changed.AreaHa - plain.AreaHa) / plain.AreaHa < 1e-6, $"{changed.AreaHa} ha against {plain.AreaHa} ha");
        using var geometry = JsonDocument.Parse(changed.BoundaryGeojson);
        Assert.Equal("Polygon", geometry.RootElement.GetProperty("type").GetString());

        var before = await _app.SnapshotAsync();
        var faulty = halves.Replace("[-71.52,-14.08],[-71.52,-13.98]", "[-71.52,-13.98],[-71.52,-14.08]", StringComparison.Ordinal);
        Assert.NotEqual(halves, faulty);
        await BadInput.AssertRefusedAsync(_app.SnapshotAsync, "ChangeWatershedUnitBoundary", () => watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
        {
            WatershedUnitId = feature.Id, BoundaryGeojson = faulty,
        }).ResponseAsync, ["boundary_geojson.features[1].geometry"]);
        Assert.Equal(before, await _app.SnapshotAsync());
    }

    [Fact]
    public async Task A_layer_with_spanish_attribute_names_and_values_imports_the_same_zones_as_the_english_file()
    {
        var (_, plan, english) = await Sample.PlanWithZonesAsync(_app);
        var spanish = await NextDraftAsync(plan, english);

        var file = JsonNode.Parse(Sample.ZonesFile().ToStringUtf8())!;
        foreach (var feature in file["features"]!.AsArray())
        {
            var p = feature!["properties"]!.AsObject();
            var translated = new JsonObject
            {
                ["codigo"] = p["zone_code"]!.GetValue<string>(),
                ["nombre"] = p["name"]?.GetValue<string>(),
                ["categoria"] = SpanishCategories[p["category"]!.GetValue<string>()],
                ["subcategoria"] = SpanishSubcategories[p["subcategory"]!.GetValue<string>()],
                ["usos"] = string.Join("; ", (p["uses"]?.AsArray() ?? new JsonArray()).Select(u => $"{u!["use"]!.GetValue<string>()}: {SpanishRatings[u["rating"]!.GetValue<string>()]}")),
                ["notas"] = p["notes"]?.GetValue<string>(),
            };
            feature["properties"] = translated;
        }

        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
        {
            PlanVersionId = spanish.Id, Geojson = ByteString.CopyFromUtf8(file.ToJsonString()),
        });

        Assert.Empty(imported.IgnoredProperties);
        Assert.Equal(Contents(english), Contents(imported.PlanVersion));
        var diff = await Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = english.Id, ToPlanVersionId = spanish.Id });
        Assert.Empty(diff.Changed);
    }

    [Fact]
    public async Task Names_as_gdal_reads_them_from_kml_and_shapefiles_are_matched_ignoring_case_accents_and_truncation()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var file = Layer("""
            {"Name":"Bofedal de Sallma","Description":"Línea 1\nLínea 2","ZONE_CODE":"PROT-HUM-02","Categoría":"Zonas de protección y conservación ecológica",
             "SUBCATEGOR":"HUMEDALES","USOS":"pastoreo: Recomendable con restricciones; minería: NO RECOMENDABLE"}
            """);

        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = file });

        var zone = Assert.Single(imported.PlanVersion.Zones).Content;
        Assert.Equal(("PROT-HUM-02", "Bofedal de Sallma", "Línea 1\nLínea 2"), (zone.ZoneCode, zone.Name, zone.Notes));
        Assert.Equal((ZeeCategory.ProtectionAndConservation, ZeeSubcategory.Wetlands), (zone.Category, zone.Subcategory));
        Assert.Equal([("pastoreo", UseRating.RecommendedWithRestrictions), ("minería", UseRating.NotRecommended)], zone.Uses.Select(u => (u.Use, u.Rating)));
        Assert.Empty(imported.IgnoredProperties);
    }

    [Theory]
    [InlineData("""agua\; riego: recommended; ruta: inca: recomendable ;""", "agua; riego|recommended", "ruta: inca|recommended")]
    [InlineData("""[{"use":"agua; riego","rating":"recommended"},{"uso":"ruta: inca","calificacion":"recomendable"}]""", "agua; riego|recommended", "ruta: inca|recommended")]
    [InlineData("""barra\\invertida: not_recommended""", """barra\invertida|not_recommended""")]
    public async Task Uses_written_as_text_as_a_layer_column_holds_them_read_back(string text, params string[] expected)
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var file = Layer("""{"codigo":"PAS-1","categoria":"productiva","subcategoria":"pastos","usos":""" + JsonSerializer.Serialize(text) + "}");

        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = file });

        var uses = Assert.Single(imported.PlanVersion.Zones).Content.Uses;
        Assert.Equal(expected, uses.Select(u => $"{u.Use}|{Rating(u.Rating)}"));
    }

    [Fact]
    public async Task A_use_without_a_rating_and_two_properties_disagreeing_on_one_attribute_are_named()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var file = Layer("""{"codigo":"PAS-1","name":"Pastizal","Nombre":"Pajonal","categoria":"productiva","subcategoria":"pastos","usos":"pastoreo: recomendable; quema"}""");

        var refused = await GrpcStatusAssert.InvalidArgumentAsync(() => Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
        {
            PlanVersionId = draft.Id, Geojson = file,
        }).ResponseAsync);

        Assert.Equal(["geojson.features[0].name", "geojson.features[0].uses[1].rating"], refused.FieldViolations.Select(v => v.Field));
        Assert.Contains("'name' and 'Nombre'", refused.FieldViolations[0].Description, StringComparison.Ordinal);
        Assert.Contains("Use 'quema' has no rating", refused.FieldViolations[1].Description, StringComparison.Ordinal);

        // The same value under two names is no conflict.
        var agreeing = Layer("""{"codigo":"PAS-1","name":"Pastizal","NOMBRE":"Pastizal","categoria":"productiva","subcategoria":"pastos"}""");
        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = agreeing });
        Assert.Equal("Pastizal", Assert.Single(imported.PlanVersion.Zones).Content.Name);
    }

    [Theory]
    [InlineData("zonas.geojson")]
    [InlineData("zonas.gpkg")]
    public async Task The_template_layers_import_with_one_zone_per_subcategory_and_nothing_ignored(string template)
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var file = ByteString.CopyFrom(File.ReadAllBytes(Path.Combine(ServiceProcess.RepositoryRoot(), "docs", "templates", template)));

        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, File = file });

        Assert.Empty(imported.IgnoredProperties);
        Assert.Equal(
            Enum.GetValues<ZeeSubcategory>().Where(s => s != ZeeSubcategory.Unspecified).Order(),
            imported.PlanVersion.Zones.Select(z => z.Content.Subcategory).Order());
        Assert.All(imported.PlanVersion.Zones, z => Assert.False(string.IsNullOrEmpty(z.Content.Name)));
    }

    [Fact]
    public async Task Text_continued_in_numbered_columns_as_the_shapefile_export_writes_it_is_joined_in_any_format()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        // What GDAL keeps of the Shapefile export's long notes when it converts the layer to GeoJSON.
        var file = Layer("""{"zone_code":"PAS-1","category":"productive","subcategor":"pasture","notes":"Primera parte,","notes_3":" y tercera.","notes_2":" segunda"}""");

        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = file });

        Assert.Equal("Primera parte, segunda y tercera.", Assert.Single(imported.PlanVersion.Zones).Content.Notes);
        Assert.Empty(imported.IgnoredProperties);
    }

    [Fact]
    public async Task Properties_no_attribute_takes_are_listed_in_the_answer_once_each_never_dropped_silently()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        const string zone = "\"categoria\":\"productiva\",\"subcategoria\":\"pastos\"";
        var file = Layers(
            $$"""{"codigo":"A-1",{{zone}},"perimetro":1234.5,"vacio":null,"zone_id":"x","area_ha":12.5,"tessellate":-1,"altitudeMode":"clampToGround"}""",
            $$"""{"codigo":"A-2",{{zone}},"nombre_comun":"Pajonal","perimetro":99,"vacio":""}""",
            $$"""{"codigo":"A-3",{{zone}},"perimetro":7}""");

        var imported = await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = file });

        Assert.Equal(3, imported.PlanVersion.ZoneCount);
        Assert.Equal([("perimetro", 3, 0), ("nombre_comun", 1, 1)], imported.IgnoredProperties.Select(p => (p.Name, p.FeatureCount, p.FirstFeature)));
    }

    private static readonly Dictionary<string, string> SpanishCategories = new()
    {
        ["productive"] = "Productiva",
        ["protection_and_conservation"] = "Protección y conservación",
        ["special_treatment"] = "Tratamiento especial",
        ["recovery"] = "Zonas de recuperación",
        ["urban_industrial"] = "Urbano industrial",
    };

    private static readonly Dictionary<string, string> SpanishSubcategories = new()
    {
        ["agriculture"] = "agricultura",
        ["pasture"] = "pastos",
        ["wetlands"] = "Humedales",
        ["headwaters"] = "Cabeceras de cuenca",
        ["degraded_land"] = "tierras degradadas",
    };

    private static readonly Dictionary<string, string> SpanishRatings = new()
    {
        ["recommended"] = "recomendable",
        ["recommended_with_restrictions"] = "recomendable con restricciones",
        ["not_recommended"] = "no recomendable",
    };

    private static string Rating(UseRating rating) => rating switch
    {
        UseRating.Recommended => "recommended",
        UseRating.RecommendedWithRestrictions => "recommended_with_restrictions",
        _ => "not_recommended",
    };

    /// <summary>A layer of one zone in the sample boundary's free corner with the given properties.</summary>
    private static ByteString Layer(string properties) => Layers(properties);

    private static ByteString Layers(params string[] properties)
    {
        var features = properties.Select((p, i) =>
            """{"type":"Feature","properties":""" + p + ""","geometry":""" + Sample.Box(-71.61 + (0.002 * i), -14.07, -71.609 + (0.002 * i), -14.069) + "}");
        return ByteString.CopyFromUtf8($$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""");
    }

    private static List<string> Contents(V1.PlanVersion version) =>
        [.. version.Zones.Select(z => z.Content.Clone()).Select(c => { c.GeometryGeojson = ""; return c.ToString(); })];

    private async Task<V1.PlanVersion> NextDraftAsync(V1.Plan plan, V1.PlanVersion current)
    {
        await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = current.Id });
        await Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = current.Id, Reason = "Otra versión" });
        return (await Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;
    }
}
