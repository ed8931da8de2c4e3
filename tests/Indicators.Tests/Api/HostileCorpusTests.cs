using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Watershed.Common.V1;
using Watershed.Events.V1;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using Xunit.Abstractions;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The objects the corpus's seeds name (a watershed with data, a mapping, a target, a rule), and fresh ones for RPCs that use theirs up.</summary>
public sealed class IndicatorsCorpusWorld(Scenario s)
{
    private int _serial;

    public Scenario S { get; } = s;

    public SurveyRound Round { get; private set; } = null!;

    public V1.PlanTarget Target { get; private set; } = null!;

    public V1.AlertRule Rule { get; private set; } = null!;

    public static Dhis2Mapping Mapping(Scenario s) => new()
    {
        Elements = { new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "mean", DataElement = "FCSmean0001" } },
        OrgUnits = { [s.Manzanares.Id] = "OuManzana01" },
    };

    public async Task InitializeAsync()
    {
        Round = await S.FcsRoundAsync("2025Q4");
        await S.ImportAsync(Round, FcsCsv.Write(false, Households.Baseline()));
        await S.Facilitator.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest { WatershedId = S.Watershed.Id, Mapping = Mapping(S) });
        Target = (await S.Facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest { Target = NewTarget() })).Target;
        Rule = await NewRuleAsync();
    }

    /// <summary>A number no code or name of the run has yet.</summary>
    public int Next() => Interlocked.Increment(ref _serial);

    public V1.PlanTarget NewTarget() => new()
    {
        PlanId = Guid.CreateVersion7().ToString(), GoalId = Guid.CreateVersion7().ToString(), IndicatorCode = "FCS", AreaId = S.Manzanares.Id,
        Metric = "mean", BaselineValue = "30", BaselinePeriod = "2025Q4", TargetValue = "50", TargetDate = "2028-12-31",
    };

    public V1.AlertRule NewRule() => new()
    {
        IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
        Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "20" },
    };

    public async Task<V1.AlertRule> NewRuleAsync() => (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest { Rule = NewRule() })).Rule;
}

/// <summary>
/// The hostile corpus (Watershed.Testing) over every RPC indicators serves, on PostgreSQL: its six services, the dead
/// letters and Dapr's AppCallback. Each RPC is called with a valid seed, then one field at a time changed to a hostile
/// value; no answer may be UNKNOWN or INTERNAL or carry a huge message, and no refusal may change a row.
/// </summary>
public sealed class HostileCorpusTests(ITestOutputHelper output) : IAsyncLifetime
{
    private IndicatorsApp _app = null!;
    private IndicatorsCorpusWorld _world = null!;

    public async Task InitializeAsync()
    {
        _app = await IndicatorsApp.OnPostgresAsync();
        _world = new IndicatorsCorpusWorld(await Scenario.CreateAsync(_app));
        await _world.InitializeAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Indicators' own contracts.</summary>
    public static HostileCorpus<IndicatorsCorpusWorld> Corpus() =>
        new HostileCorpus<IndicatorsCorpusWorld>(AreaService.Descriptor, IndicatorService.Descriptor, SurveyService.Descriptor, AggregateService.Descriptor,
                PlanTrackingService.Descriptor, AlertService.Descriptor)
            .SeedAsync("CreateArea", w => Task.FromResult(new CreateAreaRequest
            {
                Level = AreaLevel.Community, ParentId = w.S.District.Id, Code = $"comunidad-{w.Next()}", Name = "Sanka",
                ConsultationOrganizationId = Guid.CreateVersion7().ToString(),
            }), fresh: true)
            .Seed("GetArea", w => new GetAreaRequest { AreaId = w.S.Manzanares.Id })
            .Seed("ListAreas", w => new ListAreasRequest { WatershedCode = "pomacanchi", ParentId = w.S.District.Id, Page = new PageRequest { PageSize = 5 } })
            .Seed("ListIndicators", w => new ListIndicatorsRequest { WatershedId = w.S.Watershed.Id })
            .Seed("GetIndicator", w => new GetIndicatorRequest { WatershedId = w.S.Watershed.Id, IndicatorCode = "FCS" })
            .SeedAsync("CreateCustomIndicator", w =>
            {
                var n = w.Next();
                return Task.FromResult(new CreateCustomIndicatorRequest
                {
                    WatershedId = w.S.Watershed.Id, Code = $"WATER_{n}", Name = "Minutos al agua", Unit = "min", Direction = V1.Direction.LowerIsBetter,
                    Definition = new CustomDefinition
                    {
                        Aggregation = CustomAggregation.ShareMeetingCondition, AnswerField = $"custom.water_{n}",
                        Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "30" },
                    },
                });
            }, fresh: true)
            .SeedAsync("CreateSurveyRound", w => Task.FromResult(new CreateSurveyRoundRequest
            {
                WatershedId = w.S.Watershed.Id, Name = $"Ronda {w.Next()}", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = FcsCsv.Mapping(weighted: true),
            }), fresh: true)
            .Seed("GetSurveyRound", w => new GetSurveyRoundRequest { SurveyRoundId = w.Round.Id })
            .Seed("ListSurveyRounds", w => new ListSurveyRoundsRequest { WatershedId = w.S.Watershed.Id, Page = new PageRequest { PageSize = 5 } })
            .Seed("ImportSubmissions", w => new ImportSubmissionsRequest
            {
                SurveyRoundId = w.Round.Id, Csv = ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Baseline())), Mode = ImportMode.GoodRowsOnly,
                // The baseline's households are stored already; the women sheet joins one woman to b-1 all the same.
                WomenCsv = ByteString.CopyFromUtf8("\"_submission__uuid\";\"MDDWAge\";\"MDDWStapCer\"\n\"b-1\";\"30\";\"1\"\n"),
            })
            .Seed("UploadSubmissions", w => new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = w.Round.Id, Mode = ImportMode.AllOrNothing } },
                label: "the header")
            .Seed("UploadSubmissions", _ => new UploadSubmissionsRequest
            {
                Submission = new SubmissionUpload
                {
                    Id = "s-1", Area = "manzanares", HouseholdId = "h-1", Weight = "1.5", InterviewDate = "2025-11-03", Answers = { ["stap"] = "7" },
                    Women = { new WomanAnswers { Answers = { ["MDDWAge"] = "30", ["MDDWStapCer"] = "1" } } },
                },
            }, label: "a submission")
            .Seed("ListSubmissions", w => new ListSubmissionsRequest { SurveyRoundId = w.Round.Id, AreaId = w.S.District.Id, Page = new PageRequest { PageSize = 5 } })
            .Seed("GetSubmission", w => new GetSubmissionRequest { SurveyRoundId = w.Round.Id, SubmissionId = "b-1" })
            .Seed("ExportSubmissionsCsv", w => new ExportSubmissionsCsvRequest { SurveyRoundId = w.Round.Id, AreaId = w.S.District.Id })
            .Seed("ListImportBatches", w => new ListImportBatchesRequest { SurveyRoundId = w.Round.Id, Page = new PageRequest { PageSize = 5 } })
            .Seed("ListRemovals", w => new ListRemovalsRequest { SurveyRoundId = w.Round.Id, Page = new PageRequest { PageSize = 5 } })
            .SeedAsync("RemoveSubmission", async w =>
            {
                var id = $"q-{w.Next()}";
                await w.S.ImportAsync(w.Round, FcsCsv.Write(false, Households.Acceptable52(id, "conchacalla", "2025-11-06")));
                return new RemoveSubmissionRequest { SurveyRoundId = w.Round.Id, SubmissionId = id, Reason = "duplicado" };
            }, fresh: true)
            .SeedAsync("RemoveImportBatch", async w =>
            {
                var batch = await w.S.ImportAsync(w.Round, FcsCsv.Write(false, Households.Acceptable52($"q-{w.Next()}", "conchacalla", "2025-11-06")));
                return new RemoveImportBatchRequest { SurveyRoundId = w.Round.Id, ImportBatchId = batch.ImportBatchId, Reason = "otra comunidad" };
            }, fresh: true)
            .Seed("GetAggregate", w => new GetAggregateRequest { IndicatorCode = "FCS", AreaId = w.S.District.Id, Period = "2025Q4" })
            .Seed("ListAggregates", w => new ListAggregatesRequest
            {
                IndicatorCode = "FCS", AreaId = w.S.District.Id, IncludeDescendants = true, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q1", ToPeriod = "2025Q4",
                Page = new PageRequest { PageSize = 5 },
            })
            .Seed("SetDhis2Mapping", w => new SetDhis2MappingRequest { WatershedId = w.S.Watershed.Id, Mapping = IndicatorsCorpusWorld.Mapping(w.S) })
            .Seed("GetDhis2Mapping", w => new GetDhis2MappingRequest { WatershedId = w.S.Watershed.Id })
            .Seed("ExportDhis2DataValueSet", w => new ExportDhis2DataValueSetRequest { WatershedId = w.S.Watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q1", ToPeriod = "2025Q4" })
            .Seed("ExportAggregatesCsv", w => new ExportAggregatesCsvRequest
            {
                WatershedId = w.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2024", ToPeriod = "2026", IndicatorCodes = { "FCS" },
            })
            .Seed("CreatePlanTarget", w => new CreatePlanTargetRequest { Target = w.NewTarget() })
            .Seed("GetPlanTarget", w => new GetPlanTargetRequest { PlanTargetId = w.Target.Id })
            .Seed("ListPlanTargets", w => new ListPlanTargetsRequest { PlanId = w.Target.PlanId, Page = new PageRequest { PageSize = 5 } })
            .Seed("GetPlanProgress", w => new GetPlanProgressRequest { PlanTargetId = w.Target.Id, Period = "2025Q4" })
            .Seed("CreateAlertRule", w => new CreateAlertRuleRequest { Rule = w.NewRule() })
            .Seed("ListAlertRules", w => new ListAlertRulesRequest { AreaId = w.S.Manzanares.Id, Page = new PageRequest { PageSize = 5 } })
            .SeedAsync("DeleteAlertRule", async w => new DeleteAlertRuleRequest { AlertRuleId = (await w.NewRuleAsync()).Id }, fresh: true)
            .Seed("ListAlerts", w => new ListAlertsRequest { AreaId = w.S.Manzanares.Id, State = V1.AlertState.Raised, Page = new PageRequest { PageSize = 5 } });

    /// <summary>What indicators serves through ServiceDefaults' events library: the dead letters and Dapr's AppCallback, with its handler's topic.</summary>
    public static HostileCorpus<IndicatorsCorpusWorld> EventsCorpus() =>
        new HostileCorpus<IndicatorsCorpusWorld>(DeadLetterService.Descriptor, AppCallback.Descriptor)
            .Seed("ListDeadLetters", _ => new ListDeadLettersRequest { Page = new PageRequest { PageSize = 5 } })
            .SeedDaprAppCallback("indicators")
            .SeedAsync("OnTopicEvent", _ => Task.FromResult(Approved("pomacanchi", "Más familias con dieta aceptable")), fresh: true, label: "a plan approval")
            .SeedAsync("OnTopicEvent", _ => Task.FromResult(Approved("pomacanchi", "Agua\0limpia")), fresh: true, label: "NUL in a goal")
            .SeedAsync("OnTopicEvent", _ => Task.FromResult(Approved(new string('p', 100_000), "Agua")), fresh: true, label: "a 100,000-character watershed code")
            .SeedAsync("OnTopicEvent", _ => Task.FromResult(DaprCallbackSeeds.Event(EventTopics.For(PlanVersionApproved.Descriptor), PlanVersionApproved.Descriptor.FullName,
                $$"""{"version":{"planId":"{{Guid.CreateVersion7()}}","planVersionId":"{{Guid.CreateVersion7()}}","number":1,"watershedCode":"pomacanchi"},"occurredAt":"10000-01-01T00:00:00Z","goals":[]}""",
                "plans/1")), fresh: true, label: "a time past year 9999");

    private static TopicEventRequest Approved(string watershedCode, string goal)
    {
        var approval = new PlanVersionApproved
        {
            Version = new PlanVersionRef
            {
                PlanId = Guid.CreateVersion7().ToString(), PlanVersionId = Guid.CreateVersion7().ToString(), Number = 1, PlanTitle = "Plan de Pomacanchi",
                WatershedUnitId = Guid.CreateVersion7().ToString(), WatershedCode = watershedCode,
            },
            ProposalId = Guid.CreateVersion7().ToString(),
            ZoneCount = 3,
            AreaHa = 120.5,
            OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero)),
            Goals = { new PlanGoalRef { GoalId = Guid.CreateVersion7().ToString(), Text = goal } },
        };
        return DaprCallbackSeeds.Event(EventTopics.For(PlanVersionApproved.Descriptor), approval, $"plans/{approval.Version.PlanId}");
    }

    [Fact]
    public void Every_rpc_indicators_serves_has_a_seed()
    {
        Corpus().AssertEveryRpcSeeded();
        EventsCorpus().AssertEveryRpcSeeded();
    }

    [Fact]
    public void Every_rpc_the_host_serves_is_in_the_corpus() => Corpus().AssertCoversEveryServedRpc(_app.Services, EventsCorpus());

    [Fact]
    public async Task Every_indicators_rpc_answers_every_hostile_case_with_a_clear_status_and_refusals_change_nothing()
    {
        var report = await Corpus().RunAsync(_world, _app.Invoker(TestTokens.Admin()), _app.SnapshotAsync);
        output.WriteLine(report.Summary());
        report.AssertNoFailures();
    }

    /// <summary>
    /// The events endpoints indicators serves through ServiceDefaults, with hostile events for its PlanVersionApproved
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
