using System.Text.Json;
using System.Xml.Linq;
using Google.Protobuf;
using Grpc.Core;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>Zones through the gRPC API on PostgreSQL: import, export, checks, diff and the draft-only rule.</summary>
public sealed class ZonesApiTests : IAsyncLifetime
{
    private LandUseApp _app = null!;

    public async Task InitializeAsync() => _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private PlanService.PlanServiceClient Plans => _app.Plans(TestTokens.Facilitator("pomacanchi"));

    [Fact]
    public async Task An_imported_version_exports_as_geojson_that_imports_back_unchanged_and_as_kml()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app);
        Assert.Equal(["PROD-AGR-01", "PROT-CAB-01", "PROT-HUM-01", "REC-01"], draft.Zones.Select(z => z.Content.ZoneCode));
        foreach (var zone in draft.Zones)
        {
            Hectares.AssertClose(Hectares.SampleZones[zone.Content.ZoneCode], zone.AreaHa);
        }

        Hectares.AssertClose(Hectares.SampleZones.Values.Sum(), draft.AreaHa);

        var geojson = await Plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = draft.Id, Format = ExportFormat.Geojson });
        Assert.Equal("application/geo+json", geojson.MediaType);
        using var document = JsonDocument.Parse(geojson.Content.Memory);
        Assert.Equal(4, document.RootElement.GetProperty("features").GetArrayLength());

        // A second plan version built from the exported file is the same plan content.
        await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        await Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = draft.Id, Reason = "A revisar en la asamblea de marzo" });
        var second = (await Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;
        await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = second.Id, Geojson = geojson.Content });
        var diff = await Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = draft.Id, ToPlanVersionId = second.Id });
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Empty(diff.Changed);
        Assert.All(diff.AreaDeltas, d => Assert.Equal(0, d.AreaDeltaHa, 9));

        var kml = await Plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = second.Id, Format = ExportFormat.Kml });
        Assert.Equal("application/vnd.google-earth.kml+xml", kml.MediaType);
        var xml = XDocument.Parse(kml.Content.ToStringUtf8());
        XNamespace ns = "http://www.opengis.net/kml/2.2";
        Assert.Equal(4, xml.Descendants(ns + "Placemark").Count());
    }

    [Fact]
    public async Task Zones_saved_again_as_one_part_multipolygons_are_no_geometry_change_while_a_moved_vertex_is()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app);
        await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        await Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = draft.Id, Reason = "Guardado de nuevo en QGIS" });
        var second = (await Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;

        // What QGIS writes for a layer of mixed types: every Polygon as a MultiPolygon of one part, same coordinates.
        var file = System.Text.Json.Nodes.JsonNode.Parse(Sample.ZonesFile().ToStringUtf8())!;
        var wrapped = 0;
        foreach (var feature in file["features"]!.AsArray())
        {
            var geometry = feature!["geometry"]!;
            if (geometry["type"]!.GetValue<string>() == "Polygon")
            {
                feature["geometry"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "MultiPolygon",
                    ["coordinates"] = new System.Text.Json.Nodes.JsonArray(geometry["coordinates"]!.DeepClone()),
                };
                wrapped++;
            }
        }

        Assert.Equal(3, wrapped);
        await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = second.Id, Geojson = ByteString.CopyFromUtf8(file.ToJsonString()) });
        var stored = (await Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = second.Id })).PlanVersion;
        Assert.All(stored.Zones, z => Assert.Contains("MultiPolygon", z.Content.GeometryGeojson, StringComparison.Ordinal));

        var diff = await Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = draft.Id, ToPlanVersionId = second.Id });
        Assert.Empty(diff.Changed);

        // One vertex of REC-01 moved 10 m east, still a one-part MultiPolygon: a geometry change.
        var recovery = stored.Zones.Single(z => z.Content.ZoneCode == "REC-01").Content.Clone();
        var moved = System.Text.Json.Nodes.JsonNode.Parse(recovery.GeometryGeojson)!;
        var vertex = moved["coordinates"]![0]![0]![1]!;
        vertex[0] = vertex[0]!.GetValue<double>() + 0.0001;
        recovery.GeometryGeojson = moved.ToJsonString();
        await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = second.Id, Zone = recovery });
        var changed = await Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = draft.Id, ToPlanVersionId = second.Id });
        Assert.Equal(("REC-01", ZoneChangeKind.Geometry), (Assert.Single(changed.Changed).ZoneCode, Assert.Single(Assert.Single(changed.Changed).Changes)));
    }

    [Fact]
    public async Task A_bad_file_names_every_faulty_feature_and_writes_nothing()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var before = await _app.SnapshotAsync();
        var badRequest = await GrpcStatusAssert.InvalidArgumentAsync(() =>
            Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = Sample.ZonesFile("bad_zones.geojson") }).ResponseAsync,
            "geojson.features[1].geometry", "geojson.features[3].geometry", "geojson.features[4].category", "geojson.features[5].uses[1].rating");
        Assert.Contains(badRequest.FieldViolations, v => v.Description.StartsWith("BOWTIE: Self-intersection at lon -71.575000, lat -14.045000", StringComparison.Ordinal));
        Assert.Equal(before, await _app.SnapshotAsync());
        var unchanged = (await Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        Assert.Equal(4, unchanged.ZoneCount);

        await GrpcStatusAssert.InvalidArgumentAsync(() =>
            Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = ByteString.CopyFromUtf8("{\"type\":\"Feature\"}") }).ResponseAsync,
            "geojson");
    }

    [Fact]
    public async Task Zones_that_self_intersect_overlap_or_leave_the_watershed_are_refused()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var before = await _app.SnapshotAsync();
        const string bowtie = """{"type":"Polygon","coordinates":[[[-71.60,-14.06],[-71.59,-14.05],[-71.59,-14.06],[-71.60,-14.05],[-71.60,-14.06]]]}""";
        var selfIntersecting = await GrpcStatusAssert.InvalidArgumentAsync(() =>
            Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = Sample.Zone("BOW-1", bowtie) }).ResponseAsync, "zone.geometry_geojson");
        Assert.Contains("Self-intersection", selfIntersecting.FieldViolations[0].Description, StringComparison.Ordinal);

        // PROD-AGR-01 covers lon −71.575..−71.5657, lat −14.035..−14.026.
        var overlap = await GrpcStatusAssert.InvalidArgumentAsync(() =>
            Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = Sample.Zone("OVL-1", Sample.Box(-71.58, -14.04, -71.57, -14.03)) }).ResponseAsync,
            "zone.geometry_geojson");
        Assert.Contains("PROD-AGR-01", overlap.FieldViolations[0].Description, StringComparison.Ordinal);
        Assert.Contains("ha", overlap.FieldViolations[0].Description, StringComparison.Ordinal);

        await GrpcStatusAssert.InvalidArgumentAsync(() =>
            Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = Sample.Zone("OUT-1", Sample.Box(-71.53, -14.00, -71.50, -13.99)) }).ResponseAsync,
            "zone.geometry_geojson");
        Assert.Equal(before, await _app.SnapshotAsync());

        var added = await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = Sample.Zone("PAS-1", Sample.Box(-71.61, -14.07, -71.60, -14.06)) });
        Hectares.AssertClose(Hectares.Pasture, added.Zone.AreaHa);
    }

    [Fact]
    public async Task A_zone_put_again_under_its_code_replaces_the_stored_zone()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var farmland = draft.Zones.Single(z => z.Content.ZoneCode == "PROD-AGR-01");
        var pasture = farmland.Content.Clone();
        pasture.Subcategory = ZeeSubcategory.Pasture;

        var replaced = (await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = pasture })).Zone;

        Assert.NotEqual(farmland.Id, replaced.Id);
        var stored = (await Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        Assert.Equal((ZeeSubcategory.Pasture, replaced.Id), stored.Zones.Where(z => z.Content.ZoneCode == "PROD-AGR-01").Select(z => (z.Content.Subcategory, z.Id)).Single());
        // The replaced zone's row is deleted, not left behind without its version.
        Assert.StartsWith("4 rows ", (await _app.SnapshotAsync()).Tables["zones"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_list_by_number_a_page_at_a_time_with_their_zone_totals_and_no_zones()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app);
        var open = draft;
        for (var i = 0; i < 3; i++)
        {
            await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = open.Id });
            await Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = open.Id, Reason = "Otra versión" });
            open = (await Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;
        }

        await Plans.RemoveZoneAsync(new RemoveZoneRequest { PlanVersionId = open.Id, ZoneCode = "REC-01" });

        var first = await Plans.ListPlanVersionsAsync(new ListPlanVersionsRequest { PlanId = plan.Id, Page = new Common.V1.PageRequest { PageSize = 3 } });
        var second = await Plans.ListPlanVersionsAsync(new ListPlanVersionsRequest
        {
            PlanId = plan.Id, Page = new Common.V1.PageRequest { PageSize = 3, PageToken = first.Page.NextPageToken },
        });

        Assert.Equal([1, 2, 3], first.PlanVersions.Select(v => v.Number));
        Assert.Equal([4], second.PlanVersions.Select(v => v.Number));
        Assert.Equal("", second.Page.NextPageToken);
        var listed = first.PlanVersions.Concat(second.PlanVersions).ToList();
        Assert.All(listed, v => Assert.Empty(v.Zones));
        Assert.Equal([4, 4, 4, 3], listed.Select(v => v.ZoneCount));
        foreach (var version in listed.Take(3))
        {
            Hectares.AssertClose(Hectares.SampleZones.Values.Sum(), version.AreaHa);
        }

        Hectares.AssertClose(Hectares.SampleZones.Values.Sum() - Hectares.SampleZones["REC-01"], listed[3].AreaHa);
        Assert.Equal(
            [PlanVersionState.Withdrawn, PlanVersionState.Withdrawn, PlanVersionState.Withdrawn, PlanVersionState.Draft],
            listed.Select(v => v.State));
    }

    [Fact]
    public async Task The_diff_reports_added_removed_and_changed_zones_with_area_per_category()
    {
        var (_, plan, draft) = await Sample.PlanWithZonesAsync(_app);
        await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        await Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = draft.Id, Reason = "Observaciones de la comunidad" });
        var second = (await Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;
        var recovery = second.Zones.Single(z => z.Content.ZoneCode == "REC-01");
        await Plans.RemoveZoneAsync(new RemoveZoneRequest { PlanVersionId = second.Id, ZoneCode = "REC-01" });
        var pasture = (await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = second.Id, Zone = Sample.Zone("PAS-1", Sample.Box(-71.61, -14.07, -71.60, -14.06)) })).Zone;
        var agriculture = second.Zones.Single(z => z.Content.ZoneCode == "PROD-AGR-01").Content.Clone();
        agriculture.Subcategory = ZeeSubcategory.Pasture;
        await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = second.Id, Zone = agriculture });

        var diff = await Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = draft.Id, ToPlanVersionId = second.Id });
        Assert.Equal("PAS-1", Assert.Single(diff.Added).Content.ZoneCode);
        Assert.Equal("REC-01", Assert.Single(diff.Removed).Content.ZoneCode);
        var changed = Assert.Single(diff.Changed);
        Assert.Equal(("PROD-AGR-01", ZoneChangeKind.Subcategory), (changed.ZoneCode, Assert.Single(changed.Changes)));
        var deltas = diff.AreaDeltas.ToDictionary(d => d.Category, d => d.AreaDeltaHa);
        Hectares.AssertClose(Hectares.Pasture, pasture.AreaHa);
        Hectares.AssertClose(Hectares.Pasture, deltas[ZeeCategory.Productive]);
        Hectares.AssertClose(Hectares.SampleZones["REC-01"], -deltas[ZeeCategory.Recovery]);
        Assert.Equal(recovery.AreaHa, -deltas[ZeeCategory.Recovery], 9);
        Assert.Equal(0, deltas[ZeeCategory.ProtectionAndConservation], 9);
    }

    [Fact]
    public async Task Only_drafts_change_and_a_draft_without_zones_cannot_go_to_consultation()
    {
        var (watershed, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var empty = await Plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = watershed.Id, Title = "Plan vacío", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2030 },
        });
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = empty.FirstVersion.Id }).ResponseAsync);

        await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
        var before = await _app.SnapshotAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.RemoveZoneAsync(new RemoveZoneRequest { PlanVersionId = draft.Id, ZoneCode = "REC-01" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.RevisePlanVersionAsync(new RevisePlanVersionRequest { PlanVersionId = draft.Id, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2040 } }).ResponseAsync);
        Assert.Equal(before, await _app.SnapshotAsync());
        var layout = await Plans.CheckPlanVersionLayoutAsync(new CheckPlanVersionLayoutRequest { PlanVersionId = draft.Id });
        Assert.Empty(layout.Overlaps);
        Assert.Empty(layout.OutsideBoundary);
    }
}
