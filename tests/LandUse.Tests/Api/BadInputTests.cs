using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Common.V1;
using Watershed.LandUse.Data;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

public sealed class LandUseBadInputFixture : IAsyncLifetime
{
    public LandUseApp App { get; private set; } = null!;

    public V1.WatershedUnit Watershed { get; private set; } = null!;

    public V1.Plan Plan { get; private set; } = null!;

    public V1.PlanVersion Draft { get; private set; } = null!;

    /// <summary>The first version of another plan of the same watershed.</summary>
    public V1.PlanVersion OtherPlansVersion { get; private set; } = null!;

    public WatershedUnitService.WatershedUnitServiceClient Watersheds => App.Watersheds(TestTokens.Facilitator("pomacanchi"));

    public PlanService.PlanServiceClient Plans => App.Plans(TestTokens.Facilitator("pomacanchi"));

    public async Task InitializeAsync()
    {
        App = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());
        (Watershed, Plan, Draft) = await Sample.PlanWithZonesAsync(App);
        OtherPlansVersion = (await Plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = Watershed.Id, Title = "Plan de riego", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2030 },
        })).FirstVersion;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Every land-use RPC answers malformed input with INVALID_ARGUMENT naming exactly the faulty fields by their
/// contract path, and changes no row. Cases named "… content" reach the domain's rules; the others are refused
/// by the request's shape.
/// </summary>
public sealed class BadInputTests(LandUseBadInputFixture fixture) : IClassFixture<LandUseBadInputFixture>
{
    private const string NotAnId = "plan-7";

    private static readonly Dictionary<string, (Func<LandUseBadInputFixture, Task> Call, string[] Fields)> Cases = new()
    {
        ["CreateWatershedUnit"] = (f => f.Watersheds.CreateWatershedUnitAsync(new CreateWatershedUnitRequest { Code = "", BoundaryGeojson = "{\"type\":\"Point\",\"coordinates\":[0,0]}" }).ResponseAsync, ["code", "name", "boundary_geojson"]),
        ["CreateWatershedUnit bad code"] = (f => f.App.Watersheds(TestTokens.Admin()).CreateWatershedUnitAsync(new CreateWatershedUnitRequest { Code = "Bad Code", Name = "Código", BoundaryGeojson = Sample.Boundary }).ResponseAsync, ["code"]),
        ["CreateWatershedUnit projected"] = (f => f.App.Watersheds(TestTokens.Admin()).CreateWatershedUnitAsync(new CreateWatershedUnitRequest { Code = "utm-test", Name = "UTM", BoundaryGeojson = Sample.Box(200000, 8450000, 210000, 8460000) }).ResponseAsync, ["boundary_geojson"]),
        ["GetWatershedUnit"] = (f => f.Watersheds.GetWatershedUnitAsync(new GetWatershedUnitRequest { WatershedUnitId = NotAnId }).ResponseAsync, ["watershed_unit_id"]),
        ["ListWatershedUnits"] = (f => f.Watersheds.ListWatershedUnitsAsync(new ListWatershedUnitsRequest { Page = new PageRequest { PageToken = "forged" } }).ResponseAsync, ["page.page_token"]),
        ["RenameWatershedUnit"] = (f => f.Watersheds.RenameWatershedUnitAsync(new RenameWatershedUnitRequest { WatershedUnitId = f.Watershed.Id, Name = " " }).ResponseAsync, ["name"]),
        ["ChangeWatershedUnitBoundary"] = (f => f.Watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest { WatershedUnitId = f.Watershed.Id, BoundaryGeojson = "not json" }).ResponseAsync, ["boundary_geojson"]),
        ["CreatePlan"] = (f => f.Plans.CreatePlanAsync(new CreatePlanRequest { WatershedUnitId = NotAnId }).ResponseAsync, ["watershed_unit_id", "horizon"]),
        ["CreatePlan bad content"] = (f => f.Plans.CreatePlanAsync(new CreatePlanRequest { WatershedUnitId = f.Watershed.Id, Title = "", Horizon = new PlanHorizon { FromYear = 2040, ToYear = 2030 }, Goals = { "" } }).ResponseAsync, ["title", "horizon", "goals[0]"]),
        ["GetPlan"] = (f => f.Plans.GetPlanAsync(new GetPlanRequest()).ResponseAsync, ["plan_id"]),
        ["ListPlans"] = (f => f.Plans.ListPlansAsync(new ListPlansRequest { WatershedUnitId = NotAnId, Page = new PageRequest { PageSize = -1 } }).ResponseAsync, ["watershed_unit_id", "page.page_size"]),
        ["RetitlePlan"] = (f => f.Plans.RetitlePlanAsync(new RetitlePlanRequest { PlanId = NotAnId }).ResponseAsync, ["plan_id"]),
        ["RetitlePlan blank content"] = (f => f.Plans.RetitlePlanAsync(new RetitlePlanRequest { PlanId = f.Plan.Id, Title = " " }).ResponseAsync, ["title"]),
        ["StartPlanVersion"] = (f => f.Plans.StartPlanVersionAsync(new StartPlanVersionRequest()).ResponseAsync, ["plan_id"]),
        ["GetPlanVersion"] = (f => f.Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = NotAnId }).ResponseAsync, ["plan_version_id"]),
        ["ListPlanVersions"] = (f => f.Plans.ListPlanVersionsAsync(new ListPlanVersionsRequest()).ResponseAsync, ["plan_id"]),
        ["RevisePlanVersion"] = (f => f.Plans.RevisePlanVersionAsync(new RevisePlanVersionRequest { PlanVersionId = f.Draft.Id }).ResponseAsync, ["horizon"]),
        ["RevisePlanVersion bad goals"] = (f => f.Plans.RevisePlanVersionAsync(new RevisePlanVersionRequest { PlanVersionId = f.Draft.Id, Horizon = new PlanHorizon { FromYear = 1990, ToYear = 2030 }, Goals = { " " } }).ResponseAsync, ["horizon", "goals[0]"]),
        ["PutZone"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = f.Draft.Id, Zone = new ZoneContent { ZoneCode = "bad code!", Category = ZeeCategory.Productive, Subcategory = ZeeSubcategory.Wetlands, Uses = { new AllowedUse { Use = "x" } } } }).ResponseAsync, ["zone.geometry_geojson", "zone.uses[0].rating"]),
        ["PutZone bad content"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = f.Draft.Id, Zone = BadZone() }).ResponseAsync, ["zone.zone_code", "zone.subcategory", "zone.uses[1].use"]),
        ["PutZone overlapping content"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = f.Draft.Id, Zone = Sample.Zone("OVL-1", Sample.Box(-71.58, -14.04, -71.57, -14.03)) }).ResponseAsync, ["zone.geometry_geojson"]),
        ["PutZone missing"] = (f => f.Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = f.Draft.Id }).ResponseAsync, ["zone"]),
        ["RemoveZone"] = (f => f.Plans.RemoveZoneAsync(new RemoveZoneRequest { PlanVersionId = f.Draft.Id }).ResponseAsync, ["zone_code"]),
        ["ImportPlanVersionZones"] = (f => f.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = f.Draft.Id }).ResponseAsync, ["geojson"]),
        ["ImportPlanVersionZones not json content"] = (f => f.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = f.Draft.Id, Geojson = ByteString.CopyFromUtf8("<kml/>") }).ResponseAsync, ["geojson"]),
        ["ImportPlanVersionZones faulty features content"] = (f => f.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = f.Draft.Id, Geojson = Sample.ZonesFile("bad_zones.geojson") }).ResponseAsync,
        [
            "geojson.features[1].geometry", "geojson.features[2].geometry", "geojson.features[3].geometry", "geojson.features[4].category",
            "geojson.features[5].uses[1].rating", "geojson.features[6].subcategory", "geojson.features[7].zone_code", "geojson.features[8].geometry",
            "geojson.features[9].geometry", "geojson.features[10].type", "geojson.features[11].zone_code", "geojson.features[12].geometry",
            "geojson.features[13].geometry",
        ]),
        ["ExportPlanVersion"] = (f => f.Plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = f.Draft.Id, Format = (ExportFormat)9 }).ResponseAsync, ["format"]),
        ["CheckPlanVersionLayout"] = (f => f.Plans.CheckPlanVersionLayoutAsync(new CheckPlanVersionLayoutRequest()).ResponseAsync, ["plan_version_id"]),
        ["DiffPlanVersions"] = (f => f.Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = f.Draft.Id }).ResponseAsync, ["to_plan_version_id"]),
        ["DiffPlanVersions two plans content"] = (f => f.Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = f.Draft.Id, ToPlanVersionId = f.OtherPlansVersion.Id }).ResponseAsync, ["to_plan_version_id"]),
        ["SubmitPlanVersion"] = (f => f.Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = NotAnId }).ResponseAsync, ["plan_version_id"]),
        ["ApprovePlanVersion"] = (f => f.Plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = f.Draft.Id, ProposalId = "p-1" }).ResponseAsync, ["proposal_id"]),
        ["WithdrawPlanVersion"] = (f => f.Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = f.Draft.Id }).ResponseAsync, ["reason"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Malformed_requests_are_refused_naming_exactly_the_faulty_fields_and_change_nothing(string name)
    {
        var (call, fields) = Cases[name];
        await BadInput.AssertRefusedAsync(fixture.App.SnapshotAsync, name, () => call(fixture), fields);
    }

    /// <summary>A zone code with a space, a wetland subcategory under the productive category, and a use listed twice.</summary>
    private static ZoneContent BadZone()
    {
        var zone = Sample.Zone("bad code!", Sample.Box(-71.61, -14.07, -71.60, -14.06), ZeeCategory.Productive, ZeeSubcategory.Wetlands);
        zone.Uses.Add(new AllowedUse { Use = "Pastoreo", Rating = UseRating.NotRecommended });
        return zone;
    }

    [Fact]
    public void Every_rpc_of_the_land_use_contract_has_a_bad_input_case()
        => ContractCoverage.AssertEveryRpcHasACase([WatershedUnitService.Descriptor, PlanService.Descriptor], Cases.Keys);

    [Fact]
    public async Task The_migrations_match_the_model()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LandUseDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures: add a migration.");
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }
}
