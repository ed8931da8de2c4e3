using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Watershed.Indicators.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using Xunit.Abstractions;
using LandUseV1 = Watershed.LandUse.V1;

namespace Watershed.Indicators.Tests.Api;

/// <summary>
/// Pomacanchi (the own watershed) and Cachora (the other), each with its areas, a 2025Q4 round with households, a plan
/// approved by land use (as its event delivers it) with one goal; Pomacanchi also with a DHIS2 mapping, a target and an
/// alert rule.
/// </summary>
public sealed class IndicatorsMatrixWorld : IAsyncLifetime
{
    public IndicatorsApp App { get; private set; } = null!;

    public Scenario A { get; private set; } = null!;

    public Scenario B { get; private set; } = null!;

    public Dictionary<Scenario, SurveyRound> Round { get; } = [];

    /// <summary>Each watershed's approved plan and its goal, as land use's PlanVersionApproved told indicators.</summary>
    public Dictionary<Scenario, (string Plan, string Goal)> Plan { get; } = [];

    public V1.PlanTarget Target { get; private set; } = null!;

    public MatrixCallers Callers { get; } = new("pomacanchi", "cachora", Guid.CreateVersion7(), Guid.CreateVersion7());

    public async Task InitializeAsync()
    {
        App = await IndicatorsApp.OnPostgresAsync(new Dictionary<string, string?> { ["Grpc:Reflection"] = "true" });
        A = await Scenario.CreateAsync(App, "pomacanchi");
        B = await Scenario.CreateAsync(App, "cachora");
        foreach (var (s, prefix) in new[] { (A, "b"), (B, "c") })
        {
            Round[s] = await s.FcsRoundAsync("2025Q4");
            await s.ImportAsync(Round[s], FcsCsv.Write(false,
                Households.Poor($"{prefix}-1", "manzanares", "2025-11-03"), Households.Acceptable52($"{prefix}-2", "conchacalla", "2025-11-05")));
            Plan[s] = (Guid.CreateVersion7().ToString(), Guid.CreateVersion7().ToString());
            var approved = new LandUseV1.PlanVersionApproved
            {
                Version = new LandUseV1.PlanVersionRef
                {
                    PlanId = Plan[s].Plan, PlanVersionId = Guid.CreateVersion7().ToString(), Number = 1, PlanTitle = "Plan de ordenamiento territorial",
                    WatershedUnitId = Guid.CreateVersion7().ToString(), WatershedCode = s == A ? "pomacanchi" : "cachora",
                },
                ProposalId = Guid.CreateVersion7().ToString(),
                OccurredAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 5, 10, 0, 0, TimeSpan.Zero)),
                Goals = { new LandUseV1.PlanGoalRef { GoalId = Plan[s].Goal, Text = "Mejorar la seguridad alimentaria" } },
            };
            var status = await DaprCallback.DeliverAsync(App.Channel(), EventTopics.For(LandUseV1.PlanVersionApproved.Descriptor), approved, Guid.CreateVersion7().ToString(),
                $"plans/{Plan[s].Plan}", data: OutboxMessage.Json.Format(approved), source: "landuse");
            Assert.Equal(Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus.Success, status);
        }

        await A.Admin.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest { WatershedId = A.Watershed.Id, Mapping = Mapping(A.Manzanares.Id) });
        Target = (await A.Admin.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest { Target = NewTarget(A, A, A, A) })).Target;
        await NewRuleAsync();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public Scenario Of(bool other) => other ? B : A;

    public static Dhis2Mapping Mapping(string areaId) => new()
    {
        Elements = { new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "mean", DataElement = "FCSmean0001" } },
        OrgUnits = { [areaId] = "OuManzana01" },
    };

    /// <summary>A target on the plan of <paramref name="plan"/>, a goal of <paramref name="goal"/>'s plan, in <paramref name="area"/>'s Manzanares.</summary>
    public V1.PlanTarget NewTarget(Scenario plan, Scenario goal, Scenario area, Scenario _) => new()
    {
        PlanId = Plan[plan].Plan, GoalId = Plan[goal].Goal, IndicatorCode = "FCS", AreaId = area.Manzanares.Id, Metric = "mean",
        BaselinePeriod = "2025Q4", TargetValue = "50", TargetDate = "2028-12-31",
    };

    public static V1.AlertRule NewRule(string areaId) => new()
    {
        IndicatorCode = "FCS", AreaId = areaId, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
        Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "20" },
    };

    /// <summary>A household imported into <paramref name="s"/>'s round for one removal; its submission id.</summary>
    public async Task<string> FreshSubmissionAsync(Scenario s)
    {
        var id = $"r-{Guid.NewGuid():N}";
        await s.ImportAsync(Round[s], FcsCsv.Write(false, Households.Acceptable52(id, "conchacalla", "2025-11-06")));
        return id;
    }

    /// <summary>A batch of one household imported into <paramref name="s"/>'s round for one removal; its id.</summary>
    public async Task<string> FreshBatchAsync(Scenario s) =>
        (await s.ImportAsync(Round[s], FcsCsv.Write(false, Households.Acceptable52($"r-{Guid.NewGuid():N}", "conchacalla", "2025-11-06")))).ImportBatchId;

    public async Task<V1.AlertRule> NewRuleAsync() =>
        (await A.Admin.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest { Rule = NewRule(A.District.Id) })).Rule;
}

/// <summary>
/// docs/authorization.md's indicators table, driven through the real API on PostgreSQL: every RPC the host serves, as every
/// caller, for Pomacanchi's objects with a token of Pomacanchi and of Cachora; then every id field of the requests that name
/// several objects, taken from Cachora.
/// </summary>
public sealed class AuthorizationMatrixTests(IndicatorsMatrixWorld world, ITestOutputHelper output) : IClassFixture<IndicatorsMatrixWorld>
{
    private const string Service = "indicators";

    private static AuthorizationMatrixCases<IndicatorsMatrixWorld> Cases() => new AuthorizationMatrixCases<IndicatorsMatrixWorld>()
        .Add("AreaService/CreateArea (a district or community)", w => new CreateAreaRequest { Level = AreaLevel.Community, ParentId = w.A.District.Id, Code = "matriz", Name = "Comunidad de la matriz" })
        .Add("AreaService/CreateArea (the watershed itself)", _ => new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "pomacanchi", Name = "Laguna de Pomacanchi" })
        .Add("AreaService/GetArea", w => new GetAreaRequest { AreaId = w.A.District.Id })
        .Add("AreaService/ListAreas", _ => new ListAreasRequest { WatershedCode = "pomacanchi" })
        .Add("IndicatorService/ListIndicators", w => new ListIndicatorsRequest { WatershedId = w.A.Watershed.Id })
        .Add("IndicatorService/GetIndicator", w => new GetIndicatorRequest { WatershedId = w.A.Watershed.Id, IndicatorCode = "FCS" })
        .Add("IndicatorService/CreateCustomIndicator", w => new CreateCustomIndicatorRequest
        {
            WatershedId = w.A.Watershed.Id, Code = "W_MATRIZ", Name = "Agua", Unit = "minutos", Direction = Direction.LowerIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.water_minutes" },
        })
        .Add("SurveyService/CreateSurveyRound", w => new CreateSurveyRoundRequest { WatershedId = w.A.Watershed.Id, Name = "2026Q1", FcsCutoffs = FcsCutoffs.Standard2135 })
        .Add("SurveyService/GetSurveyRound", w => new GetSurveyRoundRequest { SurveyRoundId = w.Round[w.A].Id })
        .Add("SurveyService/ListSurveyRounds", w => new ListSurveyRoundsRequest { WatershedId = w.A.Watershed.Id })
        // The same household each time: a repeated import stores nothing new.
        .Add("SurveyService/ImportSubmissions", w => new ImportSubmissionsRequest
        {
            SurveyRoundId = w.Round[w.A].Id, Csv = ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Acceptable39("m-1", "manzanares", "2025-11-06"))),
        })
        .AddStream("SurveyService/UploadSubmissions", w => Task.FromResult<IReadOnlyList<IMessage>>(
        [
            new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = w.Round[w.A].Id, Mode = ImportMode.AllOrNothing } },
            new UploadSubmissionsRequest { Submission = Upload(Households.Acceptable52("u-1", "conchacalla", "2025-11-06")) },
        ]))
        .Add("SurveyService/ListSubmissions", w => new ListSubmissionsRequest { SurveyRoundId = w.Round[w.A].Id })
        .Add("SurveyService/GetSubmission", w => new GetSubmissionRequest { SurveyRoundId = w.Round[w.A].Id, SubmissionId = "b-1" })
        .Add("SurveyService/ExportSubmissionsCsv", w => new ExportSubmissionsCsvRequest { SurveyRoundId = w.Round[w.A].Id })
        .Add("SurveyService/ListImportBatches", w => new ListImportBatchesRequest { SurveyRoundId = w.Round[w.A].Id })
        .Add("SurveyService/ListRemovals", w => new ListRemovalsRequest { SurveyRoundId = w.Round[w.A].Id })
        // Each call removes a household (or a batch) imported for it, so that every caller has something to remove.
        .Add("SurveyService/RemoveSubmission", async w => new RemoveSubmissionRequest
        {
            SurveyRoundId = w.Round[w.A].Id, SubmissionId = await w.FreshSubmissionAsync(w.A), Reason = "duplicado",
        }, fresh: true)
        .Add("SurveyService/RemoveImportBatch", async w => new RemoveImportBatchRequest
        {
            SurveyRoundId = w.Round[w.A].Id, ImportBatchId = await w.FreshBatchAsync(w.A), Reason = "otra comunidad",
        }, fresh: true)
        .Add("AggregateService/GetAggregate", w => new GetAggregateRequest { IndicatorCode = "FCS", AreaId = w.A.District.Id, Period = "2025Q4" })
        .Add("AggregateService/ListAggregates", w => new ListAggregatesRequest
        {
            IndicatorCode = "FCS", AreaId = w.A.District.Id, IncludeDescendants = true, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4",
        })
        .Add("AggregateService/SetDhis2Mapping", w => new SetDhis2MappingRequest { WatershedId = w.A.Watershed.Id, Mapping = IndicatorsMatrixWorld.Mapping(w.A.Manzanares.Id) })
        .Add("AggregateService/GetDhis2Mapping", w => new GetDhis2MappingRequest { WatershedId = w.A.Watershed.Id })
        .Add("AggregateService/ExportDhis2DataValueSet", w => new ExportDhis2DataValueSetRequest { WatershedId = w.A.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025" })
        .Add("AggregateService/ExportAggregatesCsv", w => new ExportAggregatesCsvRequest { WatershedId = w.A.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025" })
        .Add("PlanTrackingService/CreatePlanTarget", w => new CreatePlanTargetRequest { Target = w.NewTarget(w.A, w.A, w.A, w.A) })
        .Add("PlanTrackingService/GetPlanTarget", w => new GetPlanTargetRequest { PlanTargetId = w.Target.Id })
        .Add("PlanTrackingService/ListPlanTargets", w => new ListPlanTargetsRequest { PlanId = w.Plan[w.A].Plan })
        .Add("PlanTrackingService/GetPlanProgress", w => new GetPlanProgressRequest { PlanTargetId = w.Target.Id, Period = "2025Q4" })
        .Add("AlertService/CreateAlertRule", w => new CreateAlertRuleRequest { Rule = IndicatorsMatrixWorld.NewRule(w.A.District.Id) })
        .Add("AlertService/ListAlertRules", w => new ListAlertRulesRequest { AreaId = w.A.District.Id })
        .Add("AlertService/DeleteAlertRule", async w => new DeleteAlertRuleRequest { AlertRuleId = (await w.NewRuleAsync()).Id }, fresh: true)
        .Add("AlertService/ListAlerts", w => new ListAlertsRequest { AreaId = w.A.District.Id })
        .AddCommonRows();

    private static SubmissionUpload Upload(FcsHousehold h)
    {
        var submission = new SubmissionUpload { Id = h.Id, Area = h.Community, HouseholdId = h.Household, InterviewDate = h.Date };
        foreach (var (column, days) in FcsCsv.Columns.Zip(h.Days))
        {
            submission.Answers[column] = days.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return submission;
    }

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

    private static ForeignIdCases<IndicatorsMatrixWorld> ForeignIds()
    {
        static string? Facilitator(IndicatorsMatrixWorld _) => TestTokens.Facilitator("pomacanchi");
        var next = 0;
        return new ForeignIdCases<IndicatorsMatrixWorld>()
            .Add("AreaService/CreateArea", "parent_id", Facilitator, (w, foreign) => Message(new CreateAreaRequest
            {
                Level = AreaLevel.Community, ParentId = w.Of(foreign).District.Id, Code = $"foranea-{Interlocked.Increment(ref next)}", Name = "Comunidad",
            }), StatusCode.PermissionDenied)
            .Exempt("AreaService/CreateArea", "consultation_organization_id", "consultation's id of the comunidad campesina: another service's object, which indicators cannot look up; it is only kept")
            .Exempt("SurveyService/UploadSubmissions", "header.survey_round_id", "the only object the stream names (the matrix's other-watershed column covers it); household_id is data, not an object")
            .Exempt("SurveyService/UploadSubmissions", "submission.household_id", "the household's code as the form records it: data, not an object")
            .Add("SurveyService/ListSubmissions", "survey_round_id", Facilitator, (w, foreign) => Message(new ListSubmissionsRequest
            {
                SurveyRoundId = w.Round[w.Of(foreign)].Id, AreaId = w.A.Manzanares.Id,
            }), StatusCode.PermissionDenied)
            .Add("SurveyService/ListSubmissions", "area_id", Facilitator, (w, foreign) => Message(new ListSubmissionsRequest
            {
                SurveyRoundId = w.Round[w.A].Id, AreaId = w.Of(foreign).Manzanares.Id,
            }), StatusCode.PermissionDenied)
            .Add("SurveyService/GetSubmission", "survey_round_id", Facilitator, (w, foreign) => Message(new GetSubmissionRequest
            {
                SurveyRoundId = w.Round[w.Of(foreign)].Id, SubmissionId = "b-1",
            }), StatusCode.PermissionDenied)
            .Add("SurveyService/GetSubmission", "submission_id", Facilitator, (w, foreign) => Message(new GetSubmissionRequest
            {
                SurveyRoundId = w.Round[w.A].Id, SubmissionId = foreign ? "c-1" : "b-1",
            }), StatusCode.NotFound)
            .Add("SurveyService/ExportSubmissionsCsv", "survey_round_id", Facilitator, (w, foreign) => Message(new ExportSubmissionsCsvRequest
            {
                SurveyRoundId = w.Round[w.Of(foreign)].Id, AreaId = w.A.Manzanares.Id,
            }), StatusCode.PermissionDenied)
            .Add("SurveyService/ExportSubmissionsCsv", "area_id", Facilitator, (w, foreign) => Message(new ExportSubmissionsCsvRequest
            {
                SurveyRoundId = w.Round[w.A].Id, AreaId = w.Of(foreign).Manzanares.Id,
            }), StatusCode.PermissionDenied)
            // A removal's own-watershed request removes a household (or a batch) imported for it.
            .Add("SurveyService/RemoveSubmission", "survey_round_id", Facilitator, async (w, foreign) => new RemoveSubmissionRequest
            {
                SurveyRoundId = w.Round[w.Of(foreign)].Id, SubmissionId = await w.FreshSubmissionAsync(w.A), Reason = "duplicado",
            }, StatusCode.PermissionDenied)
            .Add("SurveyService/RemoveSubmission", "submission_id", Facilitator, async (w, foreign) => new RemoveSubmissionRequest
            {
                SurveyRoundId = w.Round[w.A].Id, SubmissionId = await w.FreshSubmissionAsync(w.Of(foreign)), Reason = "duplicado",
            }, StatusCode.NotFound)
            .Add("SurveyService/RemoveImportBatch", "survey_round_id", Facilitator, async (w, foreign) => new RemoveImportBatchRequest
            {
                SurveyRoundId = w.Round[w.Of(foreign)].Id, ImportBatchId = await w.FreshBatchAsync(w.A), Reason = "otra comunidad",
            }, StatusCode.PermissionDenied)
            .Add("SurveyService/RemoveImportBatch", "import_batch_id", Facilitator, async (w, foreign) => new RemoveImportBatchRequest
            {
                SurveyRoundId = w.Round[w.A].Id, ImportBatchId = await w.FreshBatchAsync(w.Of(foreign)), Reason = "otra comunidad",
            }, StatusCode.NotFound)
            // The area (or watershed) decides whose figures are read; a round of another watershed is refused as a read of it.
            .Add("AggregateService/GetAggregate", "area_id", Facilitator, (w, foreign) => Message(new GetAggregateRequest
            {
                IndicatorCode = "FCS", AreaId = w.Of(foreign).District.Id, Period = "2025Q4", SurveyRoundId = w.Round[w.A].Id,
            }), StatusCode.PermissionDenied)
            .Add("AggregateService/GetAggregate", "survey_round_id", Facilitator, (w, foreign) => Message(new GetAggregateRequest
            {
                IndicatorCode = "FCS", AreaId = w.A.District.Id, Period = "2025Q4", SurveyRoundId = w.Round[w.Of(foreign)].Id,
            }), StatusCode.PermissionDenied)
            .Add("AggregateService/ListAggregates", "area_id", Facilitator, (w, foreign) => Message(new ListAggregatesRequest
            {
                IndicatorCode = "FCS", AreaId = w.Of(foreign).District.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4",
                SurveyRoundId = w.Round[w.A].Id,
            }), StatusCode.PermissionDenied)
            .Add("AggregateService/ListAggregates", "survey_round_id", Facilitator, (w, foreign) => Message(new ListAggregatesRequest
            {
                IndicatorCode = "FCS", AreaId = w.A.District.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4",
                SurveyRoundId = w.Round[w.Of(foreign)].Id,
            }), StatusCode.PermissionDenied)
            .Add("AggregateService/ExportDhis2DataValueSet", "watershed_id", Facilitator, (w, foreign) => Message(new ExportDhis2DataValueSetRequest
            {
                WatershedId = w.Of(foreign).Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025", SurveyRoundId = w.Round[w.A].Id,
            }), StatusCode.PermissionDenied)
            .Add("AggregateService/ExportDhis2DataValueSet", "survey_round_id", Facilitator, (w, foreign) => Message(new ExportDhis2DataValueSetRequest
            {
                WatershedId = w.A.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025", SurveyRoundId = w.Round[w.Of(foreign)].Id,
            }), StatusCode.PermissionDenied)
            .Add("AggregateService/ExportAggregatesCsv", "watershed_id", Facilitator, (w, foreign) => Message(new ExportAggregatesCsvRequest
            {
                WatershedId = w.Of(foreign).Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025", SurveyRoundId = w.Round[w.A].Id,
            }), StatusCode.PermissionDenied)
            .Add("AggregateService/ExportAggregatesCsv", "survey_round_id", Facilitator, (w, foreign) => Message(new ExportAggregatesCsvRequest
            {
                WatershedId = w.A.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025", SurveyRoundId = w.Round[w.Of(foreign)].Id,
            }), StatusCode.PermissionDenied)
            // Not found by the id detector (a map's keys), but ids all the same: areas of another watershed are the caller's mistake.
            .Add("AggregateService/SetDhis2Mapping", "mapping.org_units", Facilitator, (w, foreign) => Message(new SetDhis2MappingRequest
            {
                WatershedId = w.A.Watershed.Id, Mapping = IndicatorsMatrixWorld.Mapping(w.Of(foreign).Manzanares.Id),
            }), StatusCode.InvalidArgument)
            .Exempt("PlanTrackingService/CreatePlanTarget", "target.goal_dropped_in_version_id", "output only: the service sets it on a stored target and ignores it in a request")
            .Add("PlanTrackingService/CreatePlanTarget", "target.plan_id", Facilitator, (w, foreign) => Message(new CreatePlanTargetRequest
            {
                Target = w.NewTarget(w.Of(foreign), w.Of(foreign), w.A, w.A),
            }), StatusCode.PermissionDenied)
            .Add("PlanTrackingService/CreatePlanTarget", "target.goal_id", Facilitator, (w, foreign) => Message(new CreatePlanTargetRequest
            {
                Target = w.NewTarget(w.A, w.Of(foreign), w.A, w.A),
            }), StatusCode.FailedPrecondition)
            .Add("PlanTrackingService/CreatePlanTarget", "target.area_id", Facilitator, (w, foreign) => Message(new CreatePlanTargetRequest
            {
                Target = w.NewTarget(w.A, w.A, w.Of(foreign), w.A),
            }), StatusCode.PermissionDenied);
    }

    private static Task<IMessage> Message(IMessage message) => Task.FromResult(message);

    [Fact]
    public async Task Foreign_ids_in_any_id_field_are_refused()
    {
        var cases = ForeignIds();
        var uncovered = ForeignIdCheck.Uncovered(
            [AreaService.Descriptor, IndicatorService.Descriptor, SurveyService.Descriptor, AggregateService.Descriptor, PlanTrackingService.Descriptor, AlertService.Descriptor],
            cases);
        var failures = await ForeignIdCheck.RunAsync(cases, world, world.App.ServedGrpcMethods(), world.App.Invoker, world.App.SnapshotAsync);
        output.WriteLine($"{Service}: {cases.Cases.Count} foreign-id cases");
        Assert.True(uncovered.Count + failures.Count == 0, string.Join("\n", uncovered.Concat(failures)));
    }
}
