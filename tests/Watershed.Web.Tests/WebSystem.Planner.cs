using System.Globalization;
using Watershed.Auth.Tests;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.Web.Tests;

/// <summary>
/// Land use for the planner's pages: its own process on the collection's PostgreSQL cluster, and Pomacanchi's plan with
/// two versions seeded through the API: version 1 (the sample zones, submitted and then withdrawn) and version 2, a
/// draft copied from it with one zone's category changed and a pasture added.
/// </summary>
public sealed partial class WebSystem
{
    private ServiceProcess? _landuse;

    /// <summary>Pomacanchi's boundary in the land-use tests: lon −71.62..−71.52, lat −14.08..−13.98.</summary>
    public const string Boundary = """{"type":"Polygon","coordinates":[[[-71.62,-14.08],[-71.52,-14.08],[-71.52,-13.98],[-71.62,-13.98],[-71.62,-14.08]]]}""";

    public const string PlanTitle = "Plan de ordenamiento territorial de Pomacanchi";

    public string FirstVersionId { get; private set; } = string.Empty;

    public string DraftVersionId { get; private set; } = string.Empty;

    /// <summary>The seeded plan and the id of its one goal ("Proteger las cabeceras de cuenca").</summary>
    public string PlanId { get; private set; } = string.Empty;

    public string PlanGoalId { get; private set; } = string.Empty;

    public Uri LandUseAddress => _landuse!.Address;

    /// <summary>A rectangle in longitude/latitude as a GeoJSON Polygon.</summary>
    public static string Box(double west, double south, double east, double north) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"Polygon","coordinates":[[[{{west}},{{south}}],[{{east}},{{south}}],[{{east}},{{north}}],[{{west}},{{north}}],[{{west}},{{south}}]]]}""");

    /// <summary>Land use as the given development account sees it.</summary>
    public async Task<PlanService.PlanServiceClient> PlansAsAsync(string account) =>
        new(Identity.Invoker(_landuse!.Address, await Identity.UserTokenAsync(_provider!, account)));

    private async Task SeedPlanAsync()
    {
        var invoker = Identity.Invoker(_landuse!.Address, await Identity.UserTokenAsync(_provider!, "admin"));
        var units = new WatershedUnitService.WatershedUnitServiceClient(invoker);
        var plans = new PlanService.PlanServiceClient(invoker);
        var unit = (await units.CreateWatershedUnitAsync(new CreateWatershedUnitRequest { Code = "pomacanchi", Name = "Cuenca de la laguna de Pomacanchi", BoundaryGeojson = Boundary })).WatershedUnit;
        var created = await plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = unit.Id, Title = PlanTitle, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 }, Goals = { "Proteger las cabeceras de cuenca" },
        });
        var zones = await File.ReadAllBytesAsync(Path.Combine(ServiceProcess.RepositoryRoot(), "services", "LandUse", "Samples", "pomacanchi_zones.geojson"));
        var first = (await plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = created.FirstVersion.Id, Geojson = Google.Protobuf.ByteString.CopyFrom(zones) })).PlanVersion;
        await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = first.Id });
        await plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = first.Id, Reason = "Observado por la asamblea" });
        var draft = (await plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = created.Plan.Id })).PlanVersion;
        var recovered = draft.Zones.Single(z => z.Content.ZoneCode == "REC-01").Content.Clone();
        recovered.Category = ZeeCategory.Productive;
        recovered.Subcategory = ZeeSubcategory.Agriculture;
        await plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = recovered });
        await plans.PutZoneAsync(new PutZoneRequest
        {
            PlanVersionId = draft.Id,
            Zone = new ZoneContent
            {
                ZoneCode = "PROD-PAS-01", Name = "Pastos de Sanka", Category = ZeeCategory.Productive, Subcategory = ZeeSubcategory.Pasture,
                Uses = { new AllowedUse { Use = "pastoreo", Rating = UseRating.Recommended } },
                GeometryGeojson = Box(-71.61, -14.07, -71.60, -14.06),
            },
        });
        FirstVersionId = first.Id;
        PlanId = created.Plan.Id;
        PlanGoalId = created.FirstVersion.GoalItems.Single().GoalId;
        DraftVersionId = draft.Id;
    }
}
