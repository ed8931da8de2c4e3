using Google.Protobuf;
using Grpc.Core;
using Watershed.Common.V1;
using Watershed.LandUse.V1;
using Watershed.Testing;
using Xunit.Abstractions;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// Pomacanchi (the own watershed) and Cachora (the other), each with its boundary, a plan whose draft holds the sample
/// zones, and a version in consultation with the assembly's approval decided in the real consultation service (its own
/// process), which land use asks with the caller's token.
/// </summary>
public sealed class LandUseMatrixWorld : IAsyncLifetime
{
    private readonly Dictionary<string, string> _units = [];
    private ServiceProcess _consultation = null!;

    public LandUseApp App { get; private set; } = null!;

    public Place A { get; private set; } = null!;

    public Place B { get; private set; } = null!;

    public MatrixCallers Callers { get; } = new("pomacanchi", "cachora", Guid.CreateVersion7(), Guid.CreateVersion7());

    /// <summary>One watershed's objects.</summary>
    public sealed record Place(string Code, V1.WatershedUnit Unit, V1.Plan Plan, V1.PlanVersion Draft, V1.PlanVersion InConsultation, string Decision, V1.PlanVersion Withdrawn, V1.PlanVersion Next);

    public async Task InitializeAsync()
    {
        var postgres = await PostgresServer.GetAsync();
        _consultation = await ServiceProcess.StartAsync("Consultation", new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync("landuse_matrix_consultation"),
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        App = await LandUseApp.OnPostgresAsync(_consultation.Address, settings: new Dictionary<string, string?> { ["Grpc:Reflection"] = "true" });
        A = await PlaceAsync("pomacanchi");
        B = await PlaceAsync("cachora");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _consultation.DisposeAsync();
    }

    public Place Of(bool other) => other ? B : A;

    public PlanService.PlanServiceClient Plans(string code) => App.Plans(TestTokens.Facilitator(code));

    /// <summary>A new plan of the watershed whose first version is a draft holding the sample zones.</summary>
    public async Task<V1.PlanVersion> NewDraftAsync(string code = "pomacanchi")
    {
        var created = await Plans(code).CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = _units[code], Title = "Plan de la matriz", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 }, Goals = { "Agua" },
        });
        return (await Plans(code).ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = created.FirstVersion.Id, Geojson = Sample.ZonesFile() })).PlanVersion;
    }

    public async Task<V1.PlanVersion> NewInConsultationAsync(string code = "pomacanchi") =>
        (await Plans(code).SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = (await NewDraftAsync(code)).Id })).PlanVersion;

    private async Task<Place> PlaceAsync(string code)
    {
        var (unit, plan, draft) = await Sample.PlanWithZonesAsync(App, code);
        _units[code] = unit.Id;
        var inConsultation = await NewInConsultationAsync(code);
        var decision = await new AssemblyDecision(_consultation.Address).DecideAsync(code, inConsultation.Id, approve: true);

        // A plan whose first version was withdrawn and whose second is a draft: two versions to compare.
        var withdrawn = (await Plans(code).WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest
        {
            PlanVersionId = (await NewInConsultationAsync(code)).Id, Reason = "Observado por la asamblea",
        })).PlanVersion;
        var next = (await Plans(code).StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = withdrawn.PlanId })).PlanVersion;
        return new Place(code, unit, plan, draft, inConsultation, decision.Id, withdrawn, next);
    }
}

/// <summary>
/// docs/authorization.md's land-use table, driven through the real API on PostgreSQL: every RPC the host serves, as every
/// caller, for Pomacanchi's objects with a token of Pomacanchi and of Cachora; then the requests that name two objects,
/// with one of them from Cachora.
/// </summary>
public sealed class AuthorizationMatrixTests(LandUseMatrixWorld world, ITestOutputHelper output) : IClassFixture<LandUseMatrixWorld>
{
    private const string Service = "landuse";

    private static readonly PlanHorizon Horizon = new() { FromYear = 2027, ToYear = 2036 };

    private static AuthorizationMatrixCases<LandUseMatrixWorld> Cases() => new AuthorizationMatrixCases<LandUseMatrixWorld>()
        .Add("WatershedUnitService/CreateWatershedUnit", _ => new CreateWatershedUnitRequest { Code = "pomacanchi", Name = "Pomacanchi", BoundaryGeojson = Sample.Boundary })
        .Add("WatershedUnitService/GetWatershedUnit", w => new GetWatershedUnitRequest { WatershedUnitId = w.A.Unit.Id })
        .Add("WatershedUnitService/ListWatershedUnits", _ => new ListWatershedUnitsRequest { Page = new PageRequest { PageSize = 5 } })
        .Add("WatershedUnitService/RenameWatershedUnit", w => new RenameWatershedUnitRequest { WatershedUnitId = w.A.Unit.Id, Name = "Laguna de Pomacanchi" })
        .Add("WatershedUnitService/ChangeWatershedUnitBoundary", w => new ChangeWatershedUnitBoundaryRequest { WatershedUnitId = w.A.Unit.Id, BoundaryGeojson = Sample.Boundary })
        .Add("PlanService/CreatePlan", w => new CreatePlanRequest { WatershedUnitId = w.A.Unit.Id, Title = "Plan de riego", Horizon = Horizon, Goals = { "Agua para todos" } })
        .Add("PlanService/GetPlan", w => new GetPlanRequest { PlanId = w.A.Plan.Id })
        .Add("PlanService/ListPlans (of one watershed)", w => new ListPlansRequest { WatershedUnitId = w.A.Unit.Id })
        .Add("PlanService/ListPlans (of every watershed)", _ => new ListPlansRequest())
        .Add("PlanService/RetitlePlan", w => new RetitlePlanRequest { PlanId = w.A.Plan.Id, Title = "Plan de ordenamiento territorial" })
        // The plan has a version open: an allowed caller is told so (FAILED_PRECONDITION), after authorisation.
        .Add("PlanService/StartPlanVersion", w => new StartPlanVersionRequest { PlanId = w.A.Plan.Id })
        .Add("PlanService/GetPlanVersion", w => new GetPlanVersionRequest { PlanVersionId = w.A.Draft.Id })
        .Add("PlanService/ListPlanVersions", w => new ListPlanVersionsRequest { PlanId = w.A.Plan.Id })
        .Add("PlanService/RevisePlanVersion", w => new RevisePlanVersionRequest { PlanVersionId = w.A.Draft.Id, Horizon = Horizon, Goals = { "Proteger las cabeceras de cuenca" } })
        .Add("PlanService/PutZone", w => new PutZoneRequest
        {
            PlanVersionId = w.A.Draft.Id, Zone = Sample.Zone("MATRIZ-1", Sample.Box(-71.61, -14.07, -71.60, -14.06)),
        })
        .Add("PlanService/RemoveZone", async w => new RemoveZoneRequest { PlanVersionId = (await w.NewDraftAsync()).Id, ZoneCode = "REC-01" }, fresh: true)
        .Add("PlanService/ImportPlanVersionZones", w => new ImportPlanVersionZonesRequest { PlanVersionId = w.A.Draft.Id, Geojson = Sample.ZonesFile() })
        .Add("PlanService/ExportPlanVersion", w => new ExportPlanVersionRequest { PlanVersionId = w.A.Draft.Id, Format = ExportFormat.Kml })
        .Add("PlanService/CheckPlanVersionLayout", w => new CheckPlanVersionLayoutRequest { PlanVersionId = w.A.Draft.Id })
        .Add("PlanService/DiffPlanVersions", w => new DiffPlanVersionsRequest { FromPlanVersionId = w.A.Withdrawn.Id, ToPlanVersionId = w.A.Next.Id })
        .Add("PlanService/SubmitPlanVersion", async w => new SubmitPlanVersionRequest { PlanVersionId = (await w.NewDraftAsync()).Id })
        .Add("PlanService/ApprovePlanVersion", w => new ApprovePlanVersionRequest { PlanVersionId = w.A.InConsultation.Id, ProposalId = w.A.Decision })
        .Add("PlanService/WithdrawPlanVersion", async w => new WithdrawPlanVersionRequest { PlanVersionId = (await w.NewInConsultationAsync()).Id, Reason = "Observado" })
        .AddCommonRows();

    [Fact]
    public void The_table_has_a_row_for_every_rpc_the_host_serves_and_a_request_for_every_row()
    {
        var problems = AuthorizationMatrixCheck.Coverage(AuthorizationMatrix.Load(Service), world.App.ServedGrpcMethods(), Cases().Names);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_caller_gets_what_the_table_says_from_every_rpc()
    {
        var matrix = AuthorizationMatrix.Load(Service);
        var report = await AuthorizationMatrixCheck.RunAsync(matrix, Cases(), world, world.App.ServedGrpcMethods(),
            world.Callers, world.App.Invoker, world.App.SnapshotAsync);
        output.WriteLine($"{Service}: {report.Rows} rows, {report.Calls} calls");
        report.AssertMatches();
        Assert.Equal(matrix.Rows.Count, report.Rows);
    }

    private static ForeignIdCases<LandUseMatrixWorld> ForeignIds()
    {
        static string? Facilitator(LandUseMatrixWorld _) => TestTokens.Facilitator("pomacanchi");
        return new ForeignIdCases<LandUseMatrixWorld>()
            .Add("PlanService/DiffPlanVersions", "from_plan_version_id", Facilitator, (w, foreign) => Message(new DiffPlanVersionsRequest
            {
                FromPlanVersionId = w.Of(foreign).Withdrawn.Id, ToPlanVersionId = w.A.Next.Id,
            }), StatusCode.PermissionDenied)
            .Add("PlanService/DiffPlanVersions", "to_plan_version_id", Facilitator, (w, foreign) => Message(new DiffPlanVersionsRequest
            {
                FromPlanVersionId = w.A.Withdrawn.Id, ToPlanVersionId = w.Of(foreign).Next.Id,
            }), StatusCode.PermissionDenied)
            .Add("PlanService/ApprovePlanVersion", "plan_version_id", Facilitator, (w, foreign) => Message(new ApprovePlanVersionRequest
            {
                PlanVersionId = w.Of(foreign).InConsultation.Id, ProposalId = w.A.Decision,
            }), StatusCode.PermissionDenied)
            // Consultation refuses this caller the decision of another watershed (PERMISSION_DENIED), and land use passes that on.
            .Add("PlanService/ApprovePlanVersion", "proposal_id", Facilitator, (w, foreign) => Message(new ApprovePlanVersionRequest
            {
                PlanVersionId = w.A.InConsultation.Id, ProposalId = w.Of(foreign).Decision,
            }), StatusCode.PermissionDenied);
    }

    private static Task<IMessage> Message(IMessage message) => Task.FromResult(message);

    [Fact]
    public async Task Foreign_ids_in_any_id_field_are_refused()
    {
        var cases = ForeignIds();
        var uncovered = ForeignIdCheck.Uncovered([WatershedUnitService.Descriptor, PlanService.Descriptor], cases);
        var failures = await ForeignIdCheck.RunAsync(cases, world, world.App.ServedGrpcMethods(), world.App.Invoker, world.App.SnapshotAsync);
        output.WriteLine($"{Service}: {cases.Cases.Count} foreign-id cases");
        Assert.True(uncovered.Count + failures.Count == 0, string.Join("\n", uncovered.Concat(failures)));
    }

    [Fact]
    public async Task A_reader_of_another_watershed_lists_none_of_this_ones_watersheds_or_plans()
    {
        var elsewhere = world.Callers.Token("analyst", own: false);
        var viewer = world.Callers.Token("viewer", own: true);

        Assert.Equal(["cachora"], (await world.App.Watersheds(elsewhere).ListWatershedUnitsAsync(new ListWatershedUnitsRequest())).WatershedUnits.Select(u => u.Code));
        Assert.DoesNotContain(world.A.Plan.Id, (await world.App.Plans(elsewhere).ListPlansAsync(new ListPlansRequest())).Plans.Select(p => p.Id));
        Assert.Equal(["pomacanchi"], (await world.App.Watersheds(viewer).ListWatershedUnitsAsync(new ListWatershedUnitsRequest())).WatershedUnits.Select(u => u.Code));
        Assert.Contains(world.A.Plan.Id, (await world.App.Plans(viewer).ListPlansAsync(new ListPlansRequest { Page = new PageRequest { PageSize = 100 } })).Plans.Select(p => p.Id));
        Assert.DoesNotContain(world.B.Plan.Id, (await world.App.Plans(viewer).ListPlansAsync(new ListPlansRequest { Page = new PageRequest { PageSize = 100 } })).Plans.Select(p => p.Id));
    }
}
