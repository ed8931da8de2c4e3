using Grpc.Core;
using Watershed.Common.V1;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

public sealed class AuthorizationFixture : IAsyncLifetime
{
    public LandUseApp App { get; private set; } = null!;

    // Consultation is unreachable: an approval that passes authorisation answers UNAVAILABLE.
    public async Task InitializeAsync() => App = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Every RPC × every kind of caller, through the real API: facilitators (and admins) edit a watershed's
/// boundary and plans; reading needs a known role in the watershed; a facilitator of another watershed and a
/// token with the watershed but no role are denied. Each case gets a watershed of its own.
/// </summary>
public sealed class AuthorizationTests(AuthorizationFixture fixture) : IClassFixture<AuthorizationFixture>
{
    public enum Caller
    {
        Admin,
        Facilitator,
        FacilitatorElsewhere,
        Member,
        Viewer,
        NoRole,
    }

    private static readonly Caller[] Writers = [Caller.Admin, Caller.Facilitator];
    private static readonly Caller[] Readers = [Caller.Admin, Caller.Facilitator, Caller.Member, Caller.Viewer];

    /// <summary>Lists across watersheds answer any reading role; they show only the caller's watersheds.</summary>
    private static readonly Caller[] ReadersAnywhere = [.. Readers, Caller.FacilitatorElsewhere];

    /// <summary>
    /// Per RPC: who is allowed, what an allowed call answers with the data arranged (OK unless the data makes
    /// another answer right), and the arrangement, which returns the call for a token.
    /// </summary>
    private static readonly Dictionary<string, (Caller[] Allowed, StatusCode Answer, Func<World, Task<Func<string, Task>>> Arrange)> Cases = new()
    {
        ["CreateWatershedUnit"] = (Writers, StatusCode.OK, w => Act(t => w.Watersheds(t).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = w.Code, Name = "Pomacanchi", BoundaryGeojson = Sample.Boundary,
        }).ResponseAsync)),
        ["GetWatershedUnit"] = (Readers, StatusCode.OK, async w =>
        {
            var unit = await w.WatershedAsync();
            return t => w.Watersheds(t).GetWatershedUnitAsync(new GetWatershedUnitRequest { WatershedUnitId = unit.Id }).ResponseAsync;
        }),
        ["ListWatershedUnits"] = (ReadersAnywhere, StatusCode.OK, async w =>
        {
            await w.WatershedAsync();
            return t => w.Watersheds(t).ListWatershedUnitsAsync(new ListWatershedUnitsRequest { Page = new PageRequest { PageSize = 5 } }).ResponseAsync;
        }),
        ["RenameWatershedUnit"] = (Writers, StatusCode.OK, async w =>
        {
            var unit = await w.WatershedAsync();
            return t => w.Watersheds(t).RenameWatershedUnitAsync(new RenameWatershedUnitRequest { WatershedUnitId = unit.Id, Name = "Laguna" }).ResponseAsync;
        }),
        ["ChangeWatershedUnitBoundary"] = (Writers, StatusCode.OK, async w =>
        {
            var unit = await w.WatershedAsync();
            return t => w.Watersheds(t).ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
            {
                WatershedUnitId = unit.Id, BoundaryGeojson = Sample.Box(-71.63, -14.09, -71.51, -13.97),
            }).ResponseAsync;
        }),
        ["CreatePlan"] = (Writers, StatusCode.OK, async w =>
        {
            var unit = await w.WatershedAsync();
            return t => w.Plans(t).CreatePlanAsync(new CreatePlanRequest
            {
                WatershedUnitId = unit.Id, Title = "POT", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 },
            }).ResponseAsync;
        }),
        ["GetPlan"] = (Readers, StatusCode.OK, async w =>
        {
            var (_, plan, _) = await w.PlanAsync();
            return t => w.Plans(t).GetPlanAsync(new GetPlanRequest { PlanId = plan.Id }).ResponseAsync;
        }),
        ["ListPlans"] = (Readers, StatusCode.OK, async w =>
        {
            var (unit, _, _) = await w.PlanAsync();
            return t => w.Plans(t).ListPlansAsync(new ListPlansRequest { WatershedUnitId = unit.Id }).ResponseAsync;
        }),
        ["ListPlans of every watershed"] = (ReadersAnywhere, StatusCode.OK, async w =>
        {
            await w.PlanAsync();
            return t => w.Plans(t).ListPlansAsync(new ListPlansRequest { Page = new PageRequest { PageSize = 5 } }).ResponseAsync;
        }),
        ["RetitlePlan"] = (Writers, StatusCode.OK, async w =>
        {
            var (_, plan, _) = await w.PlanAsync();
            return t => w.Plans(t).RetitlePlanAsync(new RetitlePlanRequest { PlanId = plan.Id, Title = "POT 2027" }).ResponseAsync;
        }),
        ["StartPlanVersion"] = (Writers, StatusCode.OK, async w =>
        {
            var (_, plan, draft) = await w.PlanAsync();
            await w.Admin.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
            await w.Admin.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = draft.Id, Reason = "A revisar" });
            return t => w.Plans(t).StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id }).ResponseAsync;
        }),
        ["GetPlanVersion"] = (Readers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = draft.Id }).ResponseAsync;
        }),
        ["ListPlanVersions"] = (Readers, StatusCode.OK, async w =>
        {
            var (_, plan, _) = await w.PlanAsync();
            return t => w.Plans(t).ListPlanVersionsAsync(new ListPlanVersionsRequest { PlanId = plan.Id }).ResponseAsync;
        }),
        ["RevisePlanVersion"] = (Writers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).RevisePlanVersionAsync(new RevisePlanVersionRequest
            {
                PlanVersionId = draft.Id, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2040 },
            }).ResponseAsync;
        }),
        ["PutZone"] = (Writers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).PutZoneAsync(new PutZoneRequest { PlanVersionId = draft.Id, Zone = Sample.Zone("PAS-1", Sample.Box(-71.61, -14.07, -71.60, -14.06)) }).ResponseAsync;
        }),
        ["RemoveZone"] = (Writers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).RemoveZoneAsync(new RemoveZoneRequest { PlanVersionId = draft.Id, ZoneCode = "REC-01" }).ResponseAsync;
        }),
        ["ImportPlanVersionZones"] = (Writers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = draft.Id, Geojson = Sample.ZonesFile() }).ResponseAsync;
        }),
        ["ExportPlanVersion"] = (Readers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = draft.Id, Format = ExportFormat.Kml }).ResponseAsync;
        }),
        ["CheckPlanVersionLayout"] = (Readers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).CheckPlanVersionLayoutAsync(new CheckPlanVersionLayoutRequest { PlanVersionId = draft.Id }).ResponseAsync;
        }),
        ["DiffPlanVersions"] = (Readers, StatusCode.OK, async w =>
        {
            var (_, plan, draft) = await w.PlanAsync();
            await w.Admin.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id });
            await w.Admin.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = draft.Id, Reason = "A revisar" });
            var second = (await w.Admin.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan.Id })).PlanVersion;
            return t => w.Plans(t).DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = draft.Id, ToPlanVersionId = second.Id }).ResponseAsync;
        }),
        // Naming another watershed's version must not tell a caller that it exists: only a caller who may read
        // both versions learns that they belong to different plans.
        ["DiffPlanVersions across watersheds"] = ([Caller.Admin], StatusCode.InvalidArgument, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            var (_, _, elsewhere) = await Sample.PlanWithZonesAsync(w.App, w.Code + "-x");
            return t => w.Plans(t).DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = draft.Id, ToPlanVersionId = elsewhere.Id }).ResponseAsync;
        }),
        ["SubmitPlanVersion"] = (Writers, StatusCode.OK, async w =>
        {
            var (_, _, draft) = await w.PlanAsync();
            return t => w.Plans(t).SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id }).ResponseAsync;
        }),
        ["ApprovePlanVersion"] = (Writers, StatusCode.Unavailable, async w =>
        {
            var version = await w.InConsultationAsync();
            return t => w.Plans(t).ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = Guid.NewGuid().ToString() }).ResponseAsync;
        }),
        ["WithdrawPlanVersion"] = (Writers, StatusCode.OK, async w =>
        {
            var version = await w.InConsultationAsync();
            return t => w.Plans(t).WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = version.Id, Reason = "Rechazado" }).ResponseAsync;
        }),
    };

    public static TheoryData<string, Caller> Rows()
    {
        var rows = new TheoryData<string, Caller>();
        foreach (var rpc in Cases.Keys)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                rows.Add(rpc, caller);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_rpc_allows_exactly_its_callers(string rpc, Caller caller)
    {
        var (allowed, answer, arrange) = Cases[rpc];
        var world = new World(fixture.App, $"az-{Guid.NewGuid():N}"[..15]);
        var call = await arrange(world);

        var status = await StatusOf(() => call(Token(caller, world.Code)));

        Assert.Equal(allowed.Contains(caller) ? answer : StatusCode.PermissionDenied, status);
    }

    [Fact]
    public void Every_rpc_of_the_land_use_contract_is_in_the_table()
        => ContractCoverage.AssertEveryRpcHasACase([WatershedUnitService.Descriptor, PlanService.Descriptor], Cases.Keys);

    [Fact]
    public async Task A_facilitator_of_another_watershed_lists_none_of_this_ones_watersheds_or_plans()
    {
        var world = new World(fixture.App, $"az-{Guid.NewGuid():N}"[..15]);
        var (unit, plan, _) = await world.PlanAsync();
        var elsewhere = Token(Caller.FacilitatorElsewhere, world.Code);
        var viewer = Token(Caller.Viewer, world.Code);

        Assert.DoesNotContain(unit.Id, (await world.Watersheds(elsewhere).ListWatershedUnitsAsync(new ListWatershedUnitsRequest())).WatershedUnits.Select(u => u.Id));
        Assert.DoesNotContain(plan.Id, (await world.Plans(elsewhere).ListPlansAsync(new ListPlansRequest())).Plans.Select(p => p.Id));
        Assert.Equal([unit.Id], (await world.Watersheds(viewer).ListWatershedUnitsAsync(new ListWatershedUnitsRequest())).WatershedUnits.Select(u => u.Id));
        Assert.Equal([plan.Id], (await world.Plans(viewer).ListPlansAsync(new ListPlansRequest())).Plans.Select(p => p.Id));
    }

    [Fact]
    public async Task An_anonymous_call_is_unauthenticated()
    {
        var world = new World(fixture.App, $"az-{Guid.NewGuid():N}"[..15]);
        var unit = await world.WatershedAsync();

        Assert.Equal(StatusCode.Unauthenticated, await StatusOf(() =>
            world.Watersheds(null).GetWatershedUnitAsync(new GetWatershedUnitRequest { WatershedUnitId = unit.Id }).ResponseAsync));
    }

    private static string Token(Caller caller, string code) => caller switch
    {
        Caller.Admin => TestTokens.Admin(),
        Caller.Facilitator => TestTokens.Facilitator(code),
        Caller.FacilitatorElsewhere => TestTokens.Facilitator("elsewhere"),
        Caller.Member => TestTokens.Member(Guid.NewGuid(), code),
        Caller.Viewer => TestTokens.Create("viewer@test", ["viewer"], [code]),
        _ => TestTokens.Create("no-role@test", [], [code]),
    };

    private static Task<Func<string, Task>> Act(Func<string, Task> call) => Task.FromResult(call);

    private static async Task<StatusCode> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    /// <summary>One case's watershed, arranged by its facilitator.</summary>
    public sealed class World(LandUseApp app, string code)
    {
        public LandUseApp App { get; } = app;

        public string Code { get; } = code;

        public PlanService.PlanServiceClient Admin => App.Plans(TestTokens.Admin());

        public WatershedUnitService.WatershedUnitServiceClient Watersheds(string? token) => App.Watersheds(token);

        public PlanService.PlanServiceClient Plans(string token) => App.Plans(token);

        public async Task<V1.WatershedUnit> WatershedAsync() =>
            (await Watersheds(TestTokens.Facilitator(Code)).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
            {
                Code = Code, Name = "Pomacanchi", BoundaryGeojson = Sample.Boundary,
            })).WatershedUnit;

        public Task<(V1.WatershedUnit Watershed, V1.Plan Plan, V1.PlanVersion Draft)> PlanAsync() => Sample.PlanWithZonesAsync(App, Code);

        public async Task<V1.PlanVersion> InConsultationAsync()
        {
            var (_, _, draft) = await PlanAsync();
            return (await Admin.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = draft.Id })).PlanVersion;
        }
    }
}
