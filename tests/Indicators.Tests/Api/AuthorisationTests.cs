using Google.Protobuf;
using Grpc.Core;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The Pomacanchi scenario with one of everything a call can name: a round with households, a DHIS2 mapping, a target, a rule.</summary>
public sealed class AuthorisationFixture : IAsyncLifetime
{
    public IndicatorsApp App { get; private set; } = null!;

    public Scenario S { get; private set; } = null!;

    public SurveyRound Round { get; private set; } = null!;

    public PlanTarget Target { get; private set; } = null!;

    public static Dhis2Mapping Mapping(Scenario s) => new()
    {
        Elements = { new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "mean", DataElement = "FCSmean0001" } },
        OrgUnits = { [s.Manzanares.Id] = "OuManzana01" },
    };

    public async Task InitializeAsync()
    {
        App = await IndicatorsApp.OnPostgresAsync();
        S = await Scenario.CreateAsync(App);
        Round = await S.FcsRoundAsync("2025Q4");
        await S.ImportAsync(Round, FcsCsv.Write(false, Households.Baseline()));
        await S.Admin.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest { WatershedId = S.Watershed.Id, Mapping = Mapping(S) });
        Target = (await S.Admin.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest { Target = NewTarget(S) })).Target;
    }

    public async Task<AlertRule> RuleAsync() =>
        (await S.Admin.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest { Rule = NewRule(S) })).Rule;

    public static PlanTarget NewTarget(Scenario s) => new()
    {
        PlanId = PlanId, GoalId = Guid.CreateVersion7().ToString(), IndicatorCode = "FCS", AreaId = s.Manzanares.Id, Metric = "mean",
        BaselinePeriod = "2025Q4", TargetValue = "50", TargetDate = "2028-12-31",
    };

    public static AlertRule NewRule(Scenario s) => new()
    {
        IndicatorCode = "FCS", AreaId = s.District.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
        Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "20" },
    };

    public static readonly string PlanId = Guid.CreateVersion7().ToString();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Every RPC against every kind of caller, through the real API: facilitators (and admins) write in their
/// watershed; facilitators, members and viewers read in theirs; another watershed's facilitator and a token
/// naming the watershed without a role are denied, and a denied call changes nothing.
/// </summary>
public sealed class AuthorisationTests(AuthorisationFixture fixture) : IClassFixture<AuthorisationFixture>
{
    private static readonly string[] Callers = ["admin", "facilitator", "other watershed's facilitator", "member", "viewer", "no role"];

    private static string Fresh() => Guid.NewGuid().ToString("N")[..12];

    private static Func<AuthorisationFixture, Task<Func<Clients, Task>>> Ready(Func<AuthorisationFixture, Clients, Task> call) =>
        f => Task.FromResult<Func<Clients, Task>>(c => call(f, c));

    /// <summary>Per RPC: whether it writes, and the call (prepared, where it needs an object of its own, by an admin first).</summary>
    private static readonly Dictionary<string, (bool Writes, Func<AuthorisationFixture, Task<Func<Clients, Task>>> Prepare)> Rpcs = new()
    {
        ["CreateArea"] = (true, Ready((f, c) => c.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = f.S.District.Id, Code = $"c-{Fresh()}", Name = "Nueva" }).ResponseAsync)),
        ["GetArea"] = (false, Ready((f, c) => c.Areas.GetAreaAsync(new GetAreaRequest { AreaId = f.S.District.Id }).ResponseAsync)),
        ["ListAreas"] = (false, Ready((f, c) => c.Areas.ListAreasAsync(new ListAreasRequest { WatershedCode = "pomacanchi" }).ResponseAsync)),
        ["ListIndicators"] = (false, Ready((f, c) => c.Indicators.ListIndicatorsAsync(new ListIndicatorsRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),
        ["GetIndicator"] = (false, Ready((f, c) => c.Indicators.GetIndicatorAsync(new GetIndicatorRequest { WatershedId = f.S.Watershed.Id, IndicatorCode = "FCS" }).ResponseAsync)),
        ["CreateCustomIndicator"] = (true, Ready((f, c) => c.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = f.S.Watershed.Id, Code = $"W_{Fresh().ToUpperInvariant()}", Name = "Agua", Unit = "minutos", Direction = Direction.LowerIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.water_minutes" },
        }).ResponseAsync)),
        ["CreateSurveyRound"] = (true, Ready((f, c) => c.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest { WatershedId = f.S.Watershed.Id, Name = Fresh(), FcsCutoffs = FcsCutoffs.Standard2135 }).ResponseAsync)),
        ["GetSurveyRound"] = (false, Ready((f, c) => c.Surveys.GetSurveyRoundAsync(new GetSurveyRoundRequest { SurveyRoundId = f.Round.Id }).ResponseAsync)),
        ["ListSurveyRounds"] = (false, Ready((f, c) => c.Surveys.ListSurveyRoundsAsync(new ListSurveyRoundsRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),
        ["ImportSubmissions"] = (true, Ready((f, c) => c.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = f.Round.Id, Csv = ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Acceptable52(Fresh(), "conchacalla", "2025-11-06"))),
        }).ResponseAsync)),
        ["UploadSubmissions"] = (true, Ready((f, c) => IngestTests.UploadAsync(c, f.Round, ImportMode.AllOrNothing, Households.Acceptable39(Fresh(), "manzanares", "2025-11-06")))),
        ["ListSubmissions"] = (false, Ready((f, c) => c.Surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = f.Round.Id }).ResponseAsync)),
        ["GetSubmission"] = (false, Ready((f, c) => c.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = f.Round.Id, SubmissionId = "b-1" }).ResponseAsync)),
        ["ExportSubmissionsCsv"] = (false, Ready((f, c) => c.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = f.Round.Id }).ResponseAsync)),
        ["ListImportBatches"] = (false, Ready((f, c) => c.Surveys.ListImportBatchesAsync(new ListImportBatchesRequest { SurveyRoundId = f.Round.Id }).ResponseAsync)),
        ["ListRemovals"] = (false, Ready((f, c) => c.Surveys.ListRemovalsAsync(new ListRemovalsRequest { SurveyRoundId = f.Round.Id }).ResponseAsync)),
        ["RemoveSubmission"] = (true, async f =>
        {
            var id = Fresh();
            await f.S.ImportAsync(f.Round, FcsCsv.Write(false, Households.Acceptable52(id, "conchacalla", "2025-11-06")));
            return c => c.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = f.Round.Id, SubmissionId = id, Reason = "duplicado" }).ResponseAsync;
        }),
        ["RemoveImportBatch"] = (true, async f =>
        {
            var batch = await f.S.ImportAsync(f.Round, FcsCsv.Write(false, Households.Acceptable52(Fresh(), "conchacalla", "2025-11-06")));
            return c => c.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = f.Round.Id, ImportBatchId = batch.ImportBatchId, Reason = "otra comunidad" }).ResponseAsync;
        }),
        ["GetAggregate"] = (false, Ready((f, c) => c.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = f.S.District.Id, Period = "2025Q4" }).ResponseAsync)),
        ["ListAggregates"] = (false, Ready((f, c) => c.Aggregates.ListAggregatesAsync(new ListAggregatesRequest
        {
            IndicatorCode = "FCS", AreaId = f.S.District.Id, IncludeDescendants = true, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4",
        }).ResponseAsync)),
        ["SetDhis2Mapping"] = (true, Ready((f, c) => c.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest { WatershedId = f.S.Watershed.Id, Mapping = AuthorisationFixture.Mapping(f.S) }).ResponseAsync)),
        ["GetDhis2Mapping"] = (false, Ready((f, c) => c.Aggregates.GetDhis2MappingAsync(new GetDhis2MappingRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),
        ["ExportDhis2DataValueSet"] = (false, Ready((f, c) => c.Aggregates.ExportDhis2DataValueSetAsync(new ExportDhis2DataValueSetRequest
        {
            WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025",
        }).ResponseAsync)),
        ["ExportAggregatesCsv"] = (false, Ready((f, c) => c.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025",
        }).ResponseAsync)),
        ["CreatePlanTarget"] = (true, Ready((f, c) => c.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest { Target = AuthorisationFixture.NewTarget(f.S) }).ResponseAsync)),
        ["GetPlanTarget"] = (false, Ready((f, c) => c.Plans.GetPlanTargetAsync(new GetPlanTargetRequest { PlanTargetId = f.Target.Id }).ResponseAsync)),
        ["ListPlanTargets"] = (false, Ready((f, c) => c.Plans.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = AuthorisationFixture.PlanId }).ResponseAsync)),
        ["GetPlanProgress"] = (false, Ready((f, c) => c.Plans.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = f.Target.Id, Period = "2025Q4" }).ResponseAsync)),
        ["CreateAlertRule"] = (true, Ready((f, c) => c.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest { Rule = AuthorisationFixture.NewRule(f.S) }).ResponseAsync)),
        ["ListAlertRules"] = (false, Ready((f, c) => c.Alerts.ListAlertRulesAsync(new ListAlertRulesRequest { AreaId = f.S.District.Id }).ResponseAsync)),
        ["DeleteAlertRule"] = (true, async f =>
        {
            var rule = await f.RuleAsync();
            return c => c.Alerts.DeleteAlertRuleAsync(new DeleteAlertRuleRequest { AlertRuleId = rule.Id }).ResponseAsync;
        }),
        ["ListAlerts"] = (false, Ready((f, c) => c.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = f.S.District.Id }).ResponseAsync)),
        ["ListDeadLetters"] = (false, Ready((f, c) => c.DeadLetters.ListDeadLettersAsync(new Watershed.Events.V1.ListDeadLettersRequest()).ResponseAsync)),
    };

    /// <summary>Dead letters carry events of every watershed: only an admin reads them.</summary>
    private static readonly HashSet<string> AdminOnly = ["ListDeadLetters"];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var rpc in Rpcs.Keys)
        {
            foreach (var caller in Callers)
            {
                cases.Add(rpc, caller);
            }
        }

        return cases;
    }

    private static string Token(string caller) => caller switch
    {
        "admin" => TestTokens.Admin(),
        "facilitator" => TestTokens.Facilitator("pomacanchi"),
        "other watershed's facilitator" => TestTokens.Facilitator("cachora"),
        "member" => TestTokens.Member(Guid.CreateVersion7(), "pomacanchi"),
        "viewer" => TestTokens.Create("viewer@test", ["viewer"], ["pomacanchi"]),
        _ => TestTokens.Create("nobody@test", [], ["pomacanchi"]),
    };

    private static bool Allowed(string rpc, bool writes, string caller) =>
        caller == "admin" || (!AdminOnly.Contains(rpc) && (caller == "facilitator" || (!writes && caller is "member" or "viewer")));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_rpc_admits_exactly_the_callers_its_rule_names(string rpc, string caller)
    {
        var (writes, prepare) = Rpcs[rpc];
        var call = await prepare(fixture);
        var clients = fixture.App.ClientsFor(Token(caller));
        using var calls = CallRecorder.Start();
        if (Allowed(rpc, writes, caller))
        {
            await call(clients);
        }
        else
        {
            var before = await fixture.App.SnapshotAsync();
            await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () => call(clients));
            Assert.Equal(before, await fixture.App.SnapshotAsync());
        }

        Assert.Equal(rpc, calls.Methods[^1]);
    }

    [Fact]
    public void Every_rpc_of_the_indicators_contract_is_in_the_table()
        => ContractCoverage.AssertEveryRpcHasACase(
            [AreaService.Descriptor, IndicatorService.Descriptor, SurveyService.Descriptor, AggregateService.Descriptor, PlanTrackingService.Descriptor, AlertService.Descriptor,
             Watershed.Events.V1.DeadLetterService.Descriptor],
            Rpcs.Keys);

    [Fact]
    public async Task Calls_without_a_token_are_unauthenticated()
    {
        var anonymous = fixture.App.ClientsFor(null);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () =>
            anonymous.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = fixture.S.District.Id, Period = "2025Q4" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () =>
            IngestTests.UploadAsync(anonymous, fixture.Round, ImportMode.AllOrNothing, Households.Baseline()));
    }

    [Fact]
    public async Task Duplicates_are_already_exists_and_change_nothing()
    {
        var before = await fixture.App.SnapshotAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () => fixture.S.FcsRoundAsync("2025Q4"));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
            fixture.S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = fixture.S.District.Id, Code = "manzanares", Name = "Otra" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
            fixture.S.Admin.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "pomacanchi", Name = "Otra" }).ResponseAsync);
        Assert.Equal(before, await fixture.App.SnapshotAsync());
    }
}
