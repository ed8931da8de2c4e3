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
        Assert.All(draft.Zones, z => Assert.True(z.AreaHa > 0));
        Assert.Equal(draft.Zones.Sum(z => z.AreaHa), draft.AreaHa, 6);

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
    public async Task A_bad_file_names_every_faulty_feature_and_writes_nothing()
    {
        var (_, _, draft) = await Sample.PlanWithZonesAsync(_app);
        var before = await _app.RowCountsAsync();
        var badRequest = await GrpcStatusAssert.InvalidArgumentAsync(() =>
            Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = Sample.ZonesFile("bad_zones.geojson") }).ResponseAsync,
            "geojson.features[1].geometry", "geojson.features[3].geometry", "geojson.features[4].category", "geojson.features[5].uses[1].rating");
        Assert.Contains(badRequest.FieldViolations, v => v.Description.StartsWith("BOWTIE: Self-intersection at lon -71.575000, lat -14.045000", StringComparison.Ordinal));
        Assert.Equal(before, await _app.RowCountsAsync());
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
        var before = await _app.RowCountsAsync();
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
        Assert.Equal(before, await _app.RowCountsAsync());

        var added = await Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = Sample.Zone("PAS-1", Sample.Box(-71.61, -14.07, -71.60, -14.06)) });
        // About 1.08 km × 1.11 km near 14° S.
        Assert.InRange(added.Zone.AreaHa, 115, 125);
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
        Assert.Equal(pasture.AreaHa, deltas[ZeeCategory.Productive], 6);
        Assert.Equal(-recovery.AreaHa, deltas[ZeeCategory.Recovery], 6);
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
        var before = await _app.RowCountsAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.RemoveZoneAsync(new RemoveZoneRequest { PlanVersionId = draft.Id, ZoneCode = "REC-01" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            Plans.RevisePlanVersionAsync(new RevisePlanVersionRequest { PlanVersionId = draft.Id, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2040 } }).ResponseAsync);
        Assert.Equal(before, await _app.RowCountsAsync());
        var layout = await Plans.CheckPlanVersionLayoutAsync(new CheckPlanVersionLayoutRequest { PlanVersionId = draft.Id });
        Assert.Empty(layout.Overlaps);
        Assert.Empty(layout.OutsideBoundary);
    }

    [Fact]
    public async Task Callers_outside_the_watershed_are_denied_and_anonymous_ones_unauthenticated()
    {
        var (watershed, plan, _) = await Sample.PlanWithZonesAsync(_app);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            _app.Plans(TestTokens.Facilitator("cachora")).GetPlanAsync(new GetPlanRequest { PlanId = plan.Id }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            _app.Plans(TestTokens.Create("viewer", ["viewer"], ["pomacanchi"])).RetitlePlanAsync(new RetitlePlanRequest { PlanId = plan.Id, Title = "Otro" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () =>
            _app.Watersheds(null).GetWatershedUnitAsync(new GetWatershedUnitRequest { WatershedUnitId = watershed.Id }).ResponseAsync);
        Assert.Single((await _app.Watersheds(TestTokens.Create("viewer", ["viewer"], ["pomacanchi"])).ListWatershedUnitsAsync(new ListWatershedUnitsRequest())).WatershedUnits);
        Assert.Empty((await _app.Watersheds(TestTokens.Facilitator("cachora")).ListWatershedUnitsAsync(new ListWatershedUnitsRequest())).WatershedUnits);
    }
}
