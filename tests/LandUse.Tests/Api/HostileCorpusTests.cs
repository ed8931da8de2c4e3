using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Events.V1;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using Xunit.Abstractions;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// The objects the corpus's seeds name, and fresh ones for RPCs whose accepted call uses up its object (a draft
/// submitted, a version approved or withdrawn, a zone removed). Consultation is unreachable: an approval that passes
/// every check answers UNAVAILABLE.
/// </summary>
public sealed class LandUseCorpusWorld(LandUseApp app)
{
    private int _codes;

    public PlanService.PlanServiceClient Plans { get; } = app.Plans(TestTokens.Admin());

    public V1.WatershedUnit Watershed { get; private set; } = null!;

    public V1.Plan Plan { get; private set; } = null!;

    public V1.PlanVersion Draft { get; private set; } = null!;

    /// <summary>The sample zones as the service exports them, by layer format: the seeds of file imports.</summary>
    public Dictionary<LayerFormat, ByteString> Files { get; } = [];

    public async Task InitializeAsync()
    {
        (Watershed, Plan, Draft) = await Sample.PlanWithZonesAsync(app);
        foreach (var (layer, export) in new[]
        {
            (LayerFormat.Geopackage, ExportFormat.Geopackage), (LayerFormat.ShapefileZip, ExportFormat.ShapefileZip), (LayerFormat.Kml, ExportFormat.Kml),
        })
        {
            Files[layer] = (await Plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = Draft.Id, Format = export })).Content;
        }
    }

    /// <summary>A code no watershed has yet.</summary>
    public string NewCode() => $"corpus-{Interlocked.Increment(ref _codes)}";

    /// <summary>A new plan of the watershed whose first version is a draft holding the sample zones.</summary>
    public async Task<V1.PlanVersion> NewDraftAsync()
    {
        var created = await Plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = Watershed.Id, Title = "Plan del corpus", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 }, Goals = { "Agua" },
        });
        return (await Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = created.FirstVersion.Id, Geojson = Sample.ZonesFile() })).PlanVersion;
    }

    /// <summary>A new plan's first version, in consultation.</summary>
    public async Task<V1.PlanVersion> NewSubmittedAsync() =>
        (await Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = (await NewDraftAsync()).Id })).PlanVersion;

    /// <summary>A new plan whose only version was withdrawn, so a new version may start.</summary>
    public async Task<string> NewPlanReadyForAVersionAsync()
    {
        var submitted = await NewSubmittedAsync();
        await Plans.WithdrawPlanVersionAsync(new WithdrawPlanVersionRequest { PlanVersionId = submitted.Id, Reason = "Rechazado" });
        return submitted.PlanId;
    }
}

/// <summary>
/// The hostile corpus (Watershed.Testing) over every RPC land use serves, on PostgreSQL: its two services, the dead
/// letters and Dapr's AppCallback. Each RPC is called with a valid seed, then one field at a time changed to a hostile
/// value; no answer may be UNKNOWN or INTERNAL or carry a huge message, and no refusal may change a row.
/// </summary>
public sealed class HostileCorpusTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LandUseApp _app = null!;
    private LandUseCorpusWorld _world = null!;

    public async Task InitializeAsync()
    {
        _app = await LandUseApp.OnPostgresAsync(Sample.ClosedPort());
        _world = new LandUseCorpusWorld(_app);
        await _world.InitializeAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Land use's own contracts.</summary>
    public static HostileCorpus<LandUseCorpusWorld> Corpus() =>
        new HostileCorpus<LandUseCorpusWorld>(WatershedUnitService.Descriptor, PlanService.Descriptor)
            .SeedAsync("CreateWatershedUnit", w => Task.FromResult(new CreateWatershedUnitRequest
            {
                Code = w.NewCode(), Name = "Cuenca del corpus", BoundaryGeojson = Sample.Boundary,
            }), fresh: true)
            .Seed("GetWatershedUnit", w => new GetWatershedUnitRequest { WatershedUnitId = w.Watershed.Id })
            .Seed("ListWatershedUnits", _ => new ListWatershedUnitsRequest { Page = new PageRequest { PageSize = 5 } })
            .Seed("RenameWatershedUnit", w => new RenameWatershedUnitRequest { WatershedUnitId = w.Watershed.Id, Name = "Laguna de Pomacanchi" })
            .Seed("ChangeWatershedUnitBoundary", w => new ChangeWatershedUnitBoundaryRequest { WatershedUnitId = w.Watershed.Id, BoundaryGeojson = Sample.Boundary })
            .Seed("CreatePlan", w => new CreatePlanRequest
            {
                WatershedUnitId = w.Watershed.Id, Title = "Plan de riego", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2030 }, Goals = { "Agua para todos" },
            })
            .Seed("GetPlan", w => new GetPlanRequest { PlanId = w.Plan.Id })
            .Seed("ListPlans", w => new ListPlansRequest { WatershedUnitId = w.Watershed.Id, Page = new PageRequest { PageSize = 5 } })
            .Seed("RetitlePlan", w => new RetitlePlanRequest { PlanId = w.Plan.Id, Title = "Plan de ordenamiento territorial" })
            .SeedAsync("StartPlanVersion", async w => new StartPlanVersionRequest { PlanId = await w.NewPlanReadyForAVersionAsync() }, fresh: true)
            .Seed("GetPlanVersion", w => new GetPlanVersionRequest { PlanVersionId = w.Draft.Id })
            .Seed("ListPlanVersions", w => new ListPlanVersionsRequest { PlanId = w.Plan.Id, Page = new PageRequest { PageSize = 5 } })
            .Seed("RevisePlanVersion", w => new RevisePlanVersionRequest
            {
                PlanVersionId = w.Draft.Id, Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 }, Goals = { "Proteger las cabeceras de cuenca" },
            })
            .Seed("PutZone", w => new PutZoneRequest
            {
                PlanVersionId = w.Draft.Id,
                Zone = new ZoneContent
                {
                    ZoneCode = "CORPUS-1", Name = "Pastos", Category = ZeeCategory.Productive, Subcategory = ZeeSubcategory.Pasture, Notes = "Notas",
                    Uses = { new AllowedUse { Use = "pastoreo", Rating = UseRating.Recommended } },
                    GeometryGeojson = Sample.Box(-71.61, -14.07, -71.60, -14.06),
                },
            })
            .SeedAsync("RemoveZone", async w => new RemoveZoneRequest { PlanVersionId = (await w.NewDraftAsync()).Id, ZoneCode = "REC-01" }, fresh: true)
            .Seed("ImportPlanVersionZones", w => new ImportPlanVersionZonesRequest { PlanVersionId = w.Draft.Id, Geojson = Sample.ZonesFile() })
            .Seed("ImportPlanVersionZones", w => new ImportPlanVersionZonesRequest { PlanVersionId = w.Draft.Id, File = w.Files[LayerFormat.Geopackage], FileFormat = LayerFormat.Geopackage },
                label: "a GeoPackage")
            .Seed("ImportPlanVersionZones", w => new ImportPlanVersionZonesRequest { PlanVersionId = w.Draft.Id, File = w.Files[LayerFormat.ShapefileZip], FileFormat = LayerFormat.ShapefileZip },
                label: "a zipped Shapefile")
            .Seed("ImportPlanVersionZones", w => new ImportPlanVersionZonesRequest { PlanVersionId = w.Draft.Id, File = w.Files[LayerFormat.Kml], FileFormat = LayerFormat.Kml },
                label: "a KML file")
            .Seed("ExportPlanVersion", w => new ExportPlanVersionRequest { PlanVersionId = w.Draft.Id, Format = ExportFormat.Kml })
            .Seed("CheckPlanVersionLayout", w => new CheckPlanVersionLayoutRequest { PlanVersionId = w.Draft.Id })
            .SeedAsync("DiffPlanVersions", async w =>
            {
                var plan = await w.NewPlanReadyForAVersionAsync();
                var next = (await w.Plans.StartPlanVersionAsync(new StartPlanVersionRequest { PlanId = plan })).PlanVersion;
                return new DiffPlanVersionsRequest { FromPlanVersionId = next.BasedOnVersionId, ToPlanVersionId = next.Id };
            })
            .SeedAsync("SubmitPlanVersion", async w => new SubmitPlanVersionRequest { PlanVersionId = (await w.NewDraftAsync()).Id }, fresh: true)
            .SeedAsync("ApprovePlanVersion", async w => new ApprovePlanVersionRequest
            {
                PlanVersionId = (await w.NewSubmittedAsync()).Id, ProposalId = Guid.CreateVersion7().ToString(),
            }, fresh: true)
            .SeedAsync("WithdrawPlanVersion", async w => new WithdrawPlanVersionRequest
            {
                PlanVersionId = (await w.NewSubmittedAsync()).Id, Reason = "Rechazado por la asamblea",
            }, fresh: true);

    /// <summary>What land use serves through ServiceDefaults' events library: the dead letters and Dapr's AppCallback, with its event handler's topic.</summary>
    public static HostileCorpus<LandUseCorpusWorld> EventsCorpus() =>
        new HostileCorpus<LandUseCorpusWorld>(DeadLetterService.Descriptor, AppCallback.Descriptor)
            .Seed("ListDeadLetters", _ => new ListDeadLettersRequest { Page = new PageRequest { PageSize = 5 } })
            .SeedDaprAppCallback("landuse")
            .SeedAsync("OnTopicEvent", async w => Decided(await w.NewSubmittedAsync(), "pomacanchi"), fresh: true, label: "an approval citing a version in consultation")
            .SeedAsync("OnTopicEvent", w => Task.FromResult(Decided(w.Draft, "pomacanchi\0")), fresh: true, label: "NUL in the watershed code")
            .SeedAsync("OnTopicEvent", w => Task.FromResult(DaprCallbackSeeds.Event(EventTopics.For(ProposalDecided.Descriptor), ProposalDecided.Descriptor.FullName,
                $$"""{"proposalId":"{{Guid.CreateVersion7()}}","state":"PROPOSAL_STATE_APPROVED","type":"PROPOSAL_TYPE_PLAN_APPROVAL","occurredAt":"10000-01-01T00:00:00Z","references":[{"kind":"landuse.plan_version","id":"{{w.Draft.Id}}"}]}""",
                "proposals/1")), fresh: true, label: "a time past year 9999")
            .SeedAsync("OnTopicEvent", w => Task.FromResult(DaprCallbackSeeds.Event(EventTopics.For(ProposalDecided.Descriptor), ProposalDecided.Descriptor.FullName,
                $$"""{"proposalId":"{{Guid.CreateVersion7()}}","state":"PROPOSAL_STATE_APPROVED","type":"PROPOSAL_TYPE_PLAN_APPROVAL","references":[{"kind":"landuse.plan_version","id":"{{new string('9', 100_000)}}"}]}""",
                "proposals/1")), fresh: true, label: "a 100,000-character version id");

    private static TopicEventRequest Decided(V1.PlanVersion version, string watershedCode)
    {
        var decided = new ProposalDecided
        {
            ProposalId = Guid.CreateVersion7().ToString(),
            Scope = new ConsultationScope { WatershedId = Guid.CreateVersion7().ToString(), WatershedCode = watershedCode, SpaceId = Guid.CreateVersion7().ToString() },
            Title = "Aprobación del plan",
            Type = ProposalType.PlanApproval,
            State = ProposalState.Approved,
            OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)),
            References = { new ExternalReference { Kind = "landuse.plan_version", Id = version.Id } },
        };
        return DaprCallbackSeeds.Event(EventTopics.For(ProposalDecided.Descriptor), decided, $"proposals/{decided.ProposalId}");
    }

    [Fact]
    public void Every_rpc_land_use_serves_has_a_seed()
    {
        Corpus().AssertEveryRpcSeeded();
        EventsCorpus().AssertEveryRpcSeeded();
    }

    [Fact]
    public void Every_rpc_the_host_serves_is_in_the_corpus() => Corpus().AssertCoversEveryServedRpc(_app.Services, EventsCorpus());

    [Fact]
    public async Task Every_land_use_rpc_answers_every_hostile_case_with_a_clear_status_and_refusals_change_nothing()
    {
        var report = await Corpus().RunAsync(_world, _app.Invoker(TestTokens.Admin()), _app.SnapshotAsync);
        output.WriteLine(report.Summary());
        report.AssertNoFailures();
    }

    /// <summary>
    /// The events endpoints land use serves through ServiceDefaults, with hostile events for its ProposalDecided
    /// handler: a dead letter is kept whatever its id, names and data hold (cut and escaped), an event id the inbox cannot
    /// record is dropped, and no hostile event is answered RETRY (which would have daprd deliver it for ever).
    /// </summary>
    [Fact]
    public async Task The_events_endpoints_answer_every_hostile_case_with_a_clear_status_and_refusals_change_nothing()
    {
        var report = await EventsCorpus().RunAsync(_world, _app.Invoker(TestTokens.Admin()), _app.SnapshotAsync);
        output.WriteLine(report.Summary());
        report.AssertNoFailures();
    }
}
