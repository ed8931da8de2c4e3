using Grpc.Net.Client;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>The local default: land use on a SQLite file, called over a real loopback socket.</summary>
public sealed class SqliteSocketSmokeTests : IAsyncLifetime
{
    private SqliteSocketHost<Program> _host = null!;

    private GrpcChannel Channel => _host.Channel;

    public Task InitializeAsync()
    {
        _host = SqliteSocketHost<Program>.Start("landuse", file => LandUseApp.OnSqliteSocket(file, Sample.ClosedPort()));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Zones_import_and_export_on_sqlite_over_a_socket()
    {
        var invoker = WatershedApp<Program>.Authorized(Channel, TestTokens.Facilitator("pomacanchi"));
        var watershed = (await new WatershedUnitService.WatershedUnitServiceClient(invoker).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "pomacanchi", Name = "Pomacanchi", BoundaryGeojson = Sample.Boundary,
        })).WatershedUnit;
        var plans = new PlanService.PlanServiceClient(invoker);
        var plan = await plans.CreatePlanAsync(new CreatePlanRequest { WatershedUnitId = watershed.Id, Title = "POT", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 } });
        var draft = (await plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = plan.FirstVersion.Id, Geojson = Sample.ZonesFile() })).PlanVersion;
        Assert.Equal(4, draft.ZoneCount);
        var reread = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        Assert.Equal(draft.Zones.Select(z => (z.Content.ZoneCode, z.AreaHa)), reread.Zones.Select(z => (z.Content.ZoneCode, z.AreaHa)));
        var submitted = (await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        Assert.Equal(PlanVersionState.InConsultation, submitted.State);
    }
}
