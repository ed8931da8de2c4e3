using Google.Protobuf;
using Grpc.Core;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using EventStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.Indicators.Tests.Api;

public sealed class HostileInputFixture : IAsyncLifetime
{
    public static readonly Guid CachoraPlanId = Guid.CreateVersion7();
    public static readonly Guid CachoraGoalId = Guid.CreateVersion7();

    public IndicatorsApp App { get; private set; } = null!;

    public Scenario S { get; private set; } = null!;

    /// <summary>Cachora, a watershed the Pomacanchi facilitator and viewer may not read.</summary>
    public Scenario Cachora { get; private set; } = null!;

    public SurveyRound Round { get; private set; } = null!;

    public SurveyRound WeightedRound { get; private set; } = null!;

    /// <summary>A weighted round whose form has the column "x" for the custom indicator AREA_HA (a weighted sum) and the WFP expenditure columns.</summary>
    public SurveyRound CustomRound { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await IndicatorsApp.OnPostgresAsync();
        S = await Scenario.CreateAsync(App);
        Cachora = await Scenario.CreateAsync(App, "cachora");
        Round = await S.FcsRoundAsync("2025Q4");
        await S.ImportAsync(Round, FcsCsv.Write(false, Households.Baseline()));
        WeightedRound = await S.FcsRoundAsync("2026Q1 weighted", weighted: true);
        await S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = S.Watershed.Id, Code = "AREA_HA", Name = "Hectáreas regadas", Unit = "ha", Direction = V1.Direction.HigherIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Sum, AnswerField = "custom.area_ha" },
        });
        var mapping = new ColumnMapping { AreaColumn = "community", HouseholdColumn = "hh", InterviewDateColumn = "date", WeightColumn = "w" };
        mapping.SubmissionIdColumns.Add("_uuid");
        mapping.AnswerColumns["custom.area_ha"] = "x";
        mapping.AnswerColumns["fes.food_7d.cereals_cash"] = "food";
        mapping.AnswerColumns["fes.nonfood_30d.hygiene"] = "soap";
        CustomRound = (await S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = S.Watershed.Id, Name = "Riego", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping,
        })).SurveyRound;

        // Land use approved a plan of Cachora: its id and goals are known here.
        var approval = new PlanVersionApproved
        {
            Version = new PlanVersionRef
            {
                PlanId = CachoraPlanId.ToString(), PlanVersionId = Guid.CreateVersion7().ToString(), Number = 1, PlanTitle = "Plan de Cachora",
                WatershedUnitId = Guid.CreateVersion7().ToString(), WatershedCode = "cachora",
            },
            ProposalId = Guid.CreateVersion7().ToString(),
            OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero)),
            Goals = { new PlanGoalRef { GoalId = CachoraGoalId.ToString(), Text = "Agua para Cachora" } },
        };
        var status = await DaprCallback.DeliverAsync(App.Channel(), EventTopics.For(PlanVersionApproved.Descriptor), approval, "cachora-approval",
            $"plans/{CachoraPlanId}", data: OutboxMessage.Json.Format(approval), source: "landuse");
        Assert.Equal(EventStatus.Success, status);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Hostile input through the real API on PostgreSQL: control characters and values longer than their columns, in
/// requests and in imported files and streams; numbers that overflow; periods and dates out of range; ids of another
/// watershed. Each case gets the answer it names (never INTERNAL or UNKNOWN) and leaves every row as it was; a file or
/// stream whose rows are bad is answered with those rows' errors and stores nothing.
/// </summary>
public sealed class HostileInputTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    private const string Nul = "\0";
    private static readonly string Megabyte = new('x', 1 << 20);
    private static readonly string HugeDecimal = "79228162514264337593543950335";

    /// <summary>A case is answered INVALID_ARGUMENT naming Fields, or the status Code, or OK with row errors on the Rows columns.</summary>
    private sealed record Outcome(StatusCode Code, string[] Fields, string[]? Rows = null)
    {
        public static Outcome Refused(params string[] fields) => new(StatusCode.InvalidArgument, fields);

        public static Outcome Status(StatusCode code) => new(code, []);

        public static Outcome RowErrors(params string[] columns) => new(StatusCode.OK, [], columns);
    }

    private static readonly Dictionary<string, (Func<HostileInputFixture, Task<object>> Call, Outcome Outcome)> Cases = new()
    {
        ["CreateArea NUL in name"] = (f => Wrap(f.S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = f.S.District.Id, Code = "sanka", Name = "Sanka" + Nul }).ResponseAsync), Outcome.Refused("name")),
        ["CreateSurveyRound NUL in name"] = (f => Wrap(f.S.Facilitator.Surveys.CreateSurveyRoundAsync(Round(f, "Ronda" + Nul)).ResponseAsync), Outcome.Refused("name")),
        ["CreateSurveyRound 1 MB name"] = (f => Wrap(f.S.Facilitator.Surveys.CreateSurveyRoundAsync(Round(f, Megabyte)).ResponseAsync), Outcome.Refused("name")),
        ["CreateSurveyRound control characters and 1 MB in column names"] = (f =>
        {
            var request = Round(f, "Columnas");
            request.ColumnMapping.AreaColumn = "community\0";
            request.ColumnMapping.HouseholdColumn = Megabyte;
            request.ColumnMapping.AnswerColumns["fcs.staples"] = "st\vap";
            return Wrap(f.S.Facilitator.Surveys.CreateSurveyRoundAsync(request).ResponseAsync);
        }, Outcome.Refused("column_mapping.area_column", "column_mapping.household_column", "column_mapping.answer_columns[fcs.staples]")),
        ["CreateSurveyRound 1 MB answer field name"] = (f =>
        {
            var request = Round(f, "Campos");
            request.ColumnMapping.AnswerColumns[Megabyte] = "x";
            return Wrap(f.S.Facilitator.Surveys.CreateSurveyRoundAsync(request).ResponseAsync);
        }, Outcome.Refused("column_mapping.answer_columns")),
        ["CreateCustomIndicator NUL in name and unit"] = (f => Wrap(f.S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = f.S.Watershed.Id, Code = "WATER", Name = "Agua" + Nul, Unit = "m\vin", Direction = V1.Direction.LowerIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.water" },
        }).ResponseAsync), Outcome.Refused("name", "unit")),
        ["CreateCustomIndicator huge threshold"] = (f => Wrap(f.S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = f.S.Watershed.Id, Code = "WATER", Name = "Agua", Unit = "min", Direction = V1.Direction.LowerIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.ShareMeetingCondition, AnswerField = "custom.water", Condition = new Condition { Operator = ComparisonOperator.LessThan, Threshold = HugeDecimal } },
        }).ResponseAsync), Outcome.Refused("definition.condition.threshold")),
        ["ImportSubmissions 1 MB _uuid"] = (f => Import(f, f.Round, Megabyte, "hh-1"), Outcome.RowErrors("_uuid")),
        ["ImportSubmissions 101-character household id"] = (f => Import(f, f.Round, "u-1", new string('h', 101)), Outcome.RowErrors("hh")),
        ["ImportSubmissions NUL in _uuid and household id"] = (f => Import(f, f.Round, "u" + Nul, "hh" + Nul), Outcome.RowErrors("_uuid", "hh")),
        ["ImportSubmissions vertical tab in an answer"] = (f => Wrap(f.S.ImportAsync(f.Round, "\"_uuid\";\"community\";\"hh\";\"date\";\"stap\";\"note\"\n\"v-1\";\"manzanares\";\"hh-1\";\"2025-11-03\";\"7\";\"a\vb\"\n")), Outcome.RowErrors("note")),
        ["ImportSubmissions control character in a header"] = (f => Wrap(f.S.ImportAsync(f.Round, "\"_uuid\";\"community\";\"hh\";\"date\";\"stap\";\"no\u0001te\"\n\"v-1\";\"manzanares\";\"hh-1\";\"2025-11-03\";\"7\";\"a\"\n")), Outcome.RowErrors("*")),
        ["ImportSubmissions interview in year 9999"] = (f => Wrap(f.S.ImportAsync(f.Round, FcsCsv.Write(false, Households.Poor("y-1", "manzanares", "9999-12-31")))), Outcome.RowErrors("date")),
        ["ImportSubmissions interview in year 1"] = (f => Wrap(f.S.ImportAsync(f.Round, FcsCsv.Write(false, Households.Poor("y-1", "manzanares", "0001-01-01")))), Outcome.RowErrors("date")),
        ["ImportSubmissions weight beyond the bound"] = (f => Wrap(f.S.ImportAsync(f.WeightedRound, FcsCsv.Write(true, Households.Poor("w-1", "manzanares", "2026-02-03", HugeDecimal)))), Outcome.RowErrors("w")),
        ["ImportSubmissions weight just above a million"] = (f => Wrap(f.S.ImportAsync(f.WeightedRound, FcsCsv.Write(true, Households.Poor("w-1", "manzanares", "2026-02-03", "1000000.0001")))), Outcome.RowErrors("w")),
        ["ImportSubmissions custom answer beyond the bound"] = (f => Wrap(f.S.ImportAsync(f.CustomRound, Custom("c-1", "1000000", x: HugeDecimal))), Outcome.RowErrors("x")),
        ["ImportSubmissions expenditure that overflows the share"] = (f => Wrap(f.S.ImportAsync(f.CustomRound, Custom("c-1", "1", food: HugeDecimal, soap: "1"))), Outcome.RowErrors("food")),
        ["UploadSubmissions 1 MB id and household"] = (f => Upload(f, new SubmissionUpload { Id = Megabyte, Area = "manzanares", HouseholdId = Megabyte, InterviewDate = "2025-11-03" }), Outcome.RowErrors("_uuid", "hh")),
        ["UploadSubmissions NUL in the household"] = (f => Upload(f, new SubmissionUpload { Id = "s-1", Area = "manzanares", HouseholdId = "h" + Nul, InterviewDate = "2025-11-03" }), Outcome.RowErrors("hh")),
        ["UploadSubmissions 1 MB area"] = (f => Upload(f, new SubmissionUpload { Id = "s-1", Area = Megabyte, HouseholdId = "h", InterviewDate = "2025-11-03" }), Outcome.RowErrors("community")),
        ["UploadSubmissions 1 MB answer column"] = (f => Upload(f, new SubmissionUpload { Id = "s-1", Area = "manzanares", HouseholdId = "h", InterviewDate = "2025-11-03", Answers = { [Megabyte] = "1" } }), Outcome.RowErrors("*")),
        ["UploadSubmissions NUL in an answer"] = (f => Upload(f, new SubmissionUpload { Id = "s-1", Area = "manzanares", HouseholdId = "h", InterviewDate = "2025-11-03", Answers = { ["stap"] = "7" + Nul } }), Outcome.RowErrors("stap")),
        ["GetSubmission NUL in the id"] = (f => Wrap(f.S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = f.Round.Id, SubmissionId = "b-1" + Nul }).ResponseAsync), Outcome.Refused("submission_id")),
        ["ListSubmissions area of another watershed"] = (f => Wrap(f.S.Facilitator.Surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = f.Round.Id, AreaId = f.Cachora.Manzanares.Id }).ResponseAsync), Outcome.Status(StatusCode.PermissionDenied)),
        ["ExportSubmissionsCsv area of another watershed"] = (f => Wrap(f.S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = f.Round.Id, AreaId = f.Cachora.District.Id }).ResponseAsync), Outcome.Status(StatusCode.PermissionDenied)),
        ["ExportSubmissionsCsv unknown area"] = (f => Wrap(f.S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = f.Round.Id, AreaId = Guid.CreateVersion7().ToString() }).ResponseAsync), Outcome.Status(StatusCode.NotFound)),
        ["GetAggregate period 9999"] = (f => Aggregate(f, "9999"), Outcome.Refused("period")),
        ["GetAggregate period 9999Q4"] = (f => Aggregate(f, "9999Q4"), Outcome.Refused("period")),
        ["GetAggregate period 999912"] = (f => Aggregate(f, "999912"), Outcome.Refused("period")),
        ["GetAggregate period 0001"] = (f => Aggregate(f, "0001"), Outcome.Refused("period")),
        ["GetAggregate 1 MB period"] = (f => Aggregate(f, "2025" + Megabyte), Outcome.Refused("period")),
        ["GetAggregate NUL in the code"] = (f => Wrap(f.S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS" + Nul, AreaId = f.S.District.Id, Period = "2025" }).ResponseAsync), Outcome.Refused("indicator_code")),
        ["ListAggregates years 0001 to 9999"] = (f => Wrap(f.S.Viewer.Aggregates.ListAggregatesAsync(new ListAggregatesRequest
        {
            IndicatorCode = "FCS", AreaId = f.S.District.Id, PeriodType = PeriodType.Year, FromPeriod = "0001", ToPeriod = "9999",
        }).ResponseAsync), Outcome.Refused("from_period", "to_period")),
        ["ListAggregates months 190001 to 219912"] = (f => Wrap(f.S.Viewer.Aggregates.ListAggregatesAsync(new ListAggregatesRequest
        {
            IndicatorCode = "FCS", AreaId = f.S.District.Id, PeriodType = PeriodType.Month, FromPeriod = "190001", ToPeriod = "219912",
        }).ResponseAsync), Outcome.Refused("to_period")),
        ["ExportDhis2DataValueSet years 0001 to 9999"] = (f => Wrap(f.S.Viewer.Aggregates.ExportDhis2DataValueSetAsync(new ExportDhis2DataValueSetRequest
        {
            WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "0001", ToPeriod = "9999",
        }).ResponseAsync), Outcome.Refused("from_period", "to_period")),
        ["ExportDhis2DataValueSet quarter 9999Q4"] = (f => Wrap(f.S.Viewer.Aggregates.ExportDhis2DataValueSetAsync(new ExportDhis2DataValueSetRequest
        {
            WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = "9999Q4", ToPeriod = "9999Q4",
        }).ResponseAsync), Outcome.Refused("from_period", "to_period")),
        ["ExportAggregatesCsv years 0001 to 9999"] = (f => Wrap(f.S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "0001", ToPeriod = "9999",
        }).ResponseAsync), Outcome.Refused("from_period", "to_period")),
        ["ExportAggregatesCsv month 999912"] = (f => Wrap(f.S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Month, FromPeriod = "999912", ToPeriod = "999912",
        }).ResponseAsync), Outcome.Refused("from_period", "to_period")),
        ["ExportAggregatesCsv a million indicator codes"] = (f =>
        {
            var request = new ExportAggregatesCsvRequest { WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025" };
            request.IndicatorCodes.AddRange(Enumerable.Repeat("", 1_000_000));
            return Wrap(f.S.Viewer.Aggregates.ExportAggregatesCsvAsync(request).ResponseAsync);
        }, Outcome.Refused("indicator_codes")),
        ["SetDhis2Mapping NUL code, 1 MB metric and org unit key"] = (f => Wrap(f.S.Facilitator.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest
        {
            WatershedId = f.S.Watershed.Id,
            Mapping = new Dhis2Mapping
            {
                Elements = { new Dhis2ElementMapping { IndicatorCode = "FCS" + Nul, Metric = "percent:" + Megabyte, DataElement = "FCSmean0001" } },
                OrgUnits = { [Megabyte] = "OuManzana01" },
            },
        }).ResponseAsync), Outcome.Refused("mapping.elements[0].indicator_code", "mapping.elements[0].metric", "mapping.org_units")),
        ["CreatePlanTarget baseline period 9999"] = (f => Target(f, baselinePeriod: "9999"), Outcome.Refused("target.baseline_period")),
        ["CreatePlanTarget target date in year 9999"] = (f => Target(f, targetDate: "9999-12-31"), Outcome.Refused("target.target_date")),
        ["CreatePlanTarget target 1e-28 above its baseline"] = (f => Target(f, baseline: "0", target: "0.0000000000000000000000000001"), Outcome.Refused("target.target_value")),
        ["CreatePlanTarget huge baseline and target"] = (f => Target(f, baseline: "-" + HugeDecimal, target: HugeDecimal), Outcome.Refused("target.baseline_value", "target.target_value")),
        ["CreatePlanTarget 1 MB value"] = (f => Target(f, baseline: Megabyte, target: "40"), Outcome.Refused("target.baseline_value")),
        ["CreatePlanTarget plan of another watershed"] = (f => Target(f, planId: HostileInputFixture.CachoraPlanId.ToString(), goalId: HostileInputFixture.CachoraGoalId.ToString()), Outcome.Status(StatusCode.PermissionDenied)),
        ["CreatePlanTarget unknown goal of another watershed's plan"] = (f => Target(f, planId: HostileInputFixture.CachoraPlanId.ToString()), Outcome.Status(StatusCode.PermissionDenied)),
        ["CreatePlanTarget plan of another watershed, by an admin who may read both"] = (f => Target(f, planId: HostileInputFixture.CachoraPlanId.ToString(), goalId: HostileInputFixture.CachoraGoalId.ToString(), clients: f.S.Admin), Outcome.Refused("target.plan_id")),
        ["ListPlanTargets plan of another watershed"] = (f => Wrap(f.S.Viewer.Plans.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = HostileInputFixture.CachoraPlanId.ToString() }).ResponseAsync), Outcome.Status(StatusCode.PermissionDenied)),
        ["GetPlanProgress period 9999Q4"] = (f => Wrap(f.S.Viewer.Plans.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = Guid.CreateVersion7().ToString(), Period = "9999Q4" }).ResponseAsync), Outcome.Refused("period")),
        ["CreateAlertRule huge threshold"] = (f => Wrap(f.S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new V1.AlertRule { IndicatorCode = "FCS", AreaId = f.S.District.Id, Metric = "mean", PeriodType = PeriodType.Quarter, Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = HugeDecimal } },
        }).ResponseAsync), Outcome.Refused("rule.condition.threshold")),
        ["CreateAlertRule NUL in the metric"] = (f => Wrap(f.S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new V1.AlertRule { IndicatorCode = "FCS", AreaId = f.S.District.Id, Metric = "percent:poor" + Nul, PeriodType = PeriodType.Quarter, Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "20" } },
        }).ResponseAsync), Outcome.Refused("rule.metric")),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Hostile_requests_get_their_answer_and_change_nothing(string name)
    {
        var (call, outcome) = Cases[name];
        if (outcome.Code == StatusCode.InvalidArgument)
        {
            await BadInput.AssertRefusedAsync(fixture.App.SnapshotAsync, name, () => call(fixture), outcome.Fields);
            return;
        }

        var before = await fixture.App.SnapshotAsync();
        if (outcome.Rows is { } columns)
        {
            var result = await call(fixture) switch
            {
                IngestResult r => r,
                UploadSubmissionsResponse r => r.Result,
                var other => throw new InvalidOperationException($"Not an ingest: {other}"),
            };
            Assert.Equal(0, result.StoredRows);
            Assert.Equal(columns.Order(StringComparer.Ordinal), result.Errors.Select(e => e.Field).Distinct().Order(StringComparer.Ordinal));
            Assert.All(result.Errors, e => Assert.True(e.Reason.Length < 300, $"A row error echoes {e.Reason.Length} characters."));
        }
        else
        {
            await GrpcStatusAssert.ThrowsAsync(outcome.Code, () => call(fixture));
        }

        Assert.Equal(before, await fixture.App.SnapshotAsync());
    }

    private static async Task<object> Wrap<T>(Task<T> call) => (await call)!;

    private static CreateSurveyRoundRequest Round(HostileInputFixture f, string name) => new()
    {
        WatershedId = f.S.Watershed.Id, Name = name, FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = FcsCsv.Mapping(false),
    };

    private static Task<object> Import(HostileInputFixture f, SurveyRound round, string id, string household) =>
        Wrap(f.S.ImportAsync(round, $"\"_uuid\";\"community\";\"hh\";\"date\";\"stap\"\n\"{id}\";\"manzanares\";\"{household}\";\"2025-11-03\";\"7\"\n"));

    private static string Custom(string id, string weight, string x = "1", string food = "", string soap = "") =>
        $"\"_uuid\";\"community\";\"hh\";\"w\";\"date\";\"x\";\"food\";\"soap\"\n\"{id}\";\"manzanares\";\"hh-{id}\";\"{weight}\";\"2026-02-03\";\"{x}\";\"{food}\";\"{soap}\"\n";

    /// <summary>The hostile submission (row 1) with a sound one after it, so the stream has an answer the round reads.</summary>
    private static async Task<object> Upload(HostileInputFixture f, SubmissionUpload submission) =>
        await IngestTests.StreamAsync(f.S.Facilitator,
        [
            new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = f.Round.Id } },
            new UploadSubmissionsRequest { Submission = submission },
            new UploadSubmissionsRequest { Submission = new SubmissionUpload { Id = "s-sound", Area = "manzanares", HouseholdId = "h-sound", InterviewDate = "2025-11-03", Answers = { ["stap"] = "7" } } },
        ]);

    private static Task<object> Aggregate(HostileInputFixture f, string period) =>
        Wrap(f.S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = f.S.District.Id, Period = period }).ResponseAsync);

    private static Task<object> Target(HostileInputFixture f, string? planId = null, string? goalId = null, string baseline = "30", string target = "40",
        string baselinePeriod = "2025Q4", string targetDate = "2028-12-31", Clients? clients = null) =>
        Wrap((clients ?? f.S.Facilitator).Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new V1.PlanTarget
            {
                PlanId = planId ?? Guid.CreateVersion7().ToString(), GoalId = goalId ?? Guid.CreateVersion7().ToString(), IndicatorCode = "FCS",
                AreaId = f.S.Manzanares.Id, Metric = "mean", BaselineValue = baseline, BaselinePeriod = baselinePeriod, TargetValue = target, TargetDate = targetDate,
            },
        }).ResponseAsync);
}
