using Google.Protobuf;
using Grpc.Core;
using Watershed.Common.V1;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

public sealed class BadInputFixture : IAsyncLifetime
{
    public IndicatorsApp App { get; private set; } = null!;

    public Scenario S { get; private set; } = null!;

    public SurveyRound Round { get; private set; } = null!;

    /// <summary>A round of another watershed (Cachora), which an admin may read.</summary>
    public SurveyRound OtherRound { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await IndicatorsApp.OnPostgresAsync();
        S = await Scenario.CreateAsync(App);
        Round = await S.FcsRoundAsync("2025Q4");
        await S.ImportAsync(Round, FcsCsv.Write(false, Households.Baseline()));
        var cachora = (await S.Admin.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "cachora", Name = "Cachora" })).Area;
        OtherRound = (await S.Admin.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest { WatershedId = cachora.Id, Name = "2025Q4", FcsCutoffs = FcsCutoffs.Standard2135 })).SurveyRound;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Every RPC answers malformed input with INVALID_ARGUMENT naming exactly the faulty fields, and changes no row.</summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private const string NotAnId = "not-a-uuid";

    private static readonly Dictionary<string, (Func<BadInputFixture, Task> Call, string[] Fields)> Cases = new()
    {
        ["CreateArea empty"] = (f => f.S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest()).ResponseAsync, ["level", "code", "name"]),
        ["CreateArea community without parent"] = (f => f.S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, Code = "Bad Code", Name = "X", ConsultationOrganizationId = NotAnId }).ResponseAsync, ["parent_id", "code", "consultation_organization_id"]),
        ["CreateArea community in a watershed"] = (f => f.S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = f.S.Watershed.Id, Code = "sanka", Name = "Sanka" }).ResponseAsync, ["parent_id"]),
        ["GetArea"] = (f => f.S.Viewer.Areas.GetAreaAsync(new GetAreaRequest { AreaId = NotAnId }).ResponseAsync, ["area_id"]),
        ["ListAreas"] = (f => f.S.Viewer.Areas.ListAreasAsync(new ListAreasRequest { ParentId = NotAnId, Page = new PageRequest { PageSize = -1 } }).ResponseAsync, ["watershed_code", "parent_id", "page.page_size"]),
        ["ListIndicators"] = (f => f.S.Viewer.Indicators.ListIndicatorsAsync(new ListIndicatorsRequest()).ResponseAsync, ["watershed_id"]),
        ["ListIndicators district as watershed"] = (f => f.S.Viewer.Indicators.ListIndicatorsAsync(new ListIndicatorsRequest { WatershedId = f.S.District.Id }).ResponseAsync, ["watershed_id"]),
        ["GetIndicator"] = (f => f.S.Viewer.Indicators.GetIndicatorAsync(new GetIndicatorRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync, ["indicator_code"]),
        ["CreateCustomIndicator empty"] = (f => f.S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync, ["code", "name", "unit", "direction", "definition", "definition.aggregation", "definition.answer_field"]),
        ["CreateCustomIndicator bad definition"] = (f => f.S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = f.S.Watershed.Id, Code = "FCS", Name = "x", Unit = "x", Direction = Direction.HigherIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "water", Condition = new Condition { Threshold = "abc" } },
        }).ResponseAsync, ["definition.condition.threshold", "definition.condition.operator"]),
        ["CreateCustomIndicator against the rules"] = (f => f.S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = f.S.Watershed.Id, Code = "FCS", Name = "x", Unit = "x", Direction = Direction.HigherIsBetter,
            Definition = new CustomDefinition
            {
                Aggregation = CustomAggregation.Mean, AnswerField = "water", Condition = new Condition { Operator = ComparisonOperator.LessThan, Threshold = "30" },
            },
        }).ResponseAsync, ["code", "definition.answer_field", "definition.condition"]),
        ["CreateSurveyRound empty"] = (f => f.S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest()).ResponseAsync, ["watershed_id", "name", "fcs_cutoffs"]),
        ["CreateSurveyRound bad mapping"] = (f => f.S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = f.S.Watershed.Id, Name = "mal", FcsCutoffs = FcsCutoffs.Standard2135,
            ColumnMapping = new ColumnMapping { SubmissionIdColumns = { " " }, HouseholdColumn = "hh", AnswerColumns = { ["fcs.bogus"] = "x", ["fcs.pulses"] = "Community_ID" } },
        }).ResponseAsync, ["column_mapping.submission_id_columns", "column_mapping.answer_columns[fcs.bogus]", "column_mapping.answer_columns[fcs.pulses]"]),
        ["CreateSurveyRound bad strategies and date format"] = (f => f.S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = f.S.Watershed.Id, Name = "lcs", FcsCutoffs = FcsCutoffs.Standard2135,
            LcsStrategies = { "lcs.stress.saving", "lcs.stress.saving", "Lcs_stress_DomAsset" },
            ColumnMapping = new ColumnMapping { InterviewDateFormat = (InterviewDateFormat)9, AnswerColumns = { ["lcs.crisis.seed"] = "x" } },
        }).ResponseAsync, ["lcs_strategies[1]", "lcs_strategies[2]", "column_mapping.interview_date_format"]),
        ["CreateSurveyRound too few strategies"] = (f => f.S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = f.S.Watershed.Id, Name = "lcs", FcsCutoffs = FcsCutoffs.Standard2135, LcsStrategies = { "lcs.stress.saving", "lcs.crisis.seed" },
        }).ResponseAsync, ["lcs_strategies"]),
        ["CreateSurveyRound mapping of a strategy not asked"] = (f => f.S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = f.S.Watershed.Id, Name = "lcs", FcsCutoffs = FcsCutoffs.Standard2135,
            ColumnMapping = new ColumnMapping { AnswerColumns = { ["lcs.crisis.seed"] = "semilla", ["lcs.crisis.health"] = "salud" } },
        }).ResponseAsync, ["column_mapping.answer_columns[lcs.crisis.seed]"]),
        ["GetSurveyRound"] = (f => f.S.Viewer.Surveys.GetSurveyRoundAsync(new GetSurveyRoundRequest()).ResponseAsync, ["survey_round_id"]),
        ["ListSurveyRounds"] = (f => f.S.Viewer.Surveys.ListSurveyRoundsAsync(new ListSurveyRoundsRequest { WatershedId = NotAnId, Page = new PageRequest { PageToken = "forged" } }).ResponseAsync, ["watershed_id", "page.page_token"]),
        ["ImportSubmissions empty"] = (f => f.S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { Mode = (ImportMode)7 }).ResponseAsync, ["survey_round_id", "csv", "mode"]),
        ["ImportSubmissions no column the round reads"] = (f => f.S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = f.Round.Id, Csv = ByteString.CopyFromUtf8("\"_uuid\";\"community\";\"hh\";\"date\";\"FCSStap\"\n\"x-1\";\"manzanares\";\"h\";\"2025-11-03\";\"7\"\n"),
        }).ResponseAsync, ["csv"]),
        ["ImportSubmissions women sheet not utf8"] = (f => f.S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = f.Round.Id, Csv = ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Poor("wm-1", "manzanares", "2025-11-03"))), WomenCsv = ByteString.CopyFrom(0xff, 0xfe, 0x00, 0xc3),
        }).ResponseAsync, ["women_csv"]),
        ["CreateSurveyRound bad women join columns"] = (f => f.S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = f.S.Watershed.Id, Name = "mujeres", FcsCutoffs = FcsCutoffs.Standard2135,
            ColumnMapping = new ColumnMapping { WomenSubmissionIdColumn = "uuid\u0000", WomenParentIndexColumn = new string('x', 201), ParentIndexColumn = "a\nb" },
        }).ResponseAsync, ["column_mapping.women_submission_id_column", "column_mapping.women_parent_index_column", "column_mapping.parent_index_column"]),
        ["ImportSubmissions not utf8"] = (f => f.S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = f.Round.Id, Csv = ByteString.CopyFrom(0xff, 0xfe, 0x00, 0xc3) }).ResponseAsync, ["csv"]),
        ["UploadSubmissions without header"] = (f => IngestTests.StreamAsync(f.S.Facilitator, [new UploadSubmissionsRequest { Submission = new SubmissionUpload { Id = "x" } }]), ["header"]),
        ["UploadSubmissions bad header"] = (f => IngestTests.StreamAsync(f.S.Facilitator, [new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = NotAnId, Mode = (ImportMode)5 } }]), ["header.survey_round_id", "header.mode"]),
        ["UploadSubmissions second header"] = (f => IngestTests.StreamAsync(f.S.Facilitator,
        [
            new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = f.Round.Id } },
            new UploadSubmissionsRequest { Submission = new SubmissionUpload { Id = "n-1", Area = "manzanares", HouseholdId = "h", InterviewDate = "2025-11-03" } },
            new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = f.Round.Id } },
        ]), ["submissions[1]"]),
        ["UploadSubmissions no column the round reads"] = (f => IngestTests.StreamAsync(f.S.Facilitator,
        [
            new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = f.Round.Id } },
            new UploadSubmissionsRequest { Submission = new SubmissionUpload { Id = "x-2", Area = "manzanares", HouseholdId = "h", InterviewDate = "2025-11-03", Answers = { ["agua"] = "5" } } },
        ]), ["submissions"]),
        ["UploadSubmissions nothing after header"] = (f => IngestTests.StreamAsync(f.S.Facilitator, [new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = f.Round.Id } }]), ["submissions"]),
        ["ListSubmissions"] = (f => f.S.Facilitator.Surveys.ListSubmissionsAsync(new ListSubmissionsRequest { AreaId = NotAnId }).ResponseAsync, ["survey_round_id", "area_id"]),
        ["GetSubmission"] = (f => f.S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = f.Round.Id }).ResponseAsync, ["submission_id"]),
        ["ExportSubmissionsCsv"] = (f => f.S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = f.Round.Id, AreaId = NotAnId }).ResponseAsync, ["area_id"]),
        ["ListImportBatches"] = (f => f.S.Facilitator.Surveys.ListImportBatchesAsync(new ListImportBatchesRequest { SurveyRoundId = NotAnId, Page = new PageRequest { PageSize = -1 } }).ResponseAsync, ["survey_round_id", "page.page_size"]),
        ["ListRemovals"] = (f => f.S.Facilitator.Surveys.ListRemovalsAsync(new ListRemovalsRequest { Page = new PageRequest { PageToken = "forged" } }).ResponseAsync, ["survey_round_id", "page.page_token"]),
        ["RemoveSubmission"] = (f => f.S.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = f.Round.Id, SubmissionId = "b-1", Reason = "una\nlínea más" }).ResponseAsync, ["reason"]),
        ["RemoveSubmission empty"] = (f => f.S.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest()).ResponseAsync, ["survey_round_id", "submission_id", "reason"]),
        ["RemoveImportBatch"] = (f => f.S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = f.Round.Id, ImportBatchId = NotAnId, Reason = new string('r', 501) }).ResponseAsync, ["import_batch_id", "reason"]),
        ["GetAggregate round of another watershed"] = (f => f.S.Admin.Aggregates.GetAggregateAsync(new GetAggregateRequest
        {
            IndicatorCode = "FCS", AreaId = f.S.District.Id, Period = "2025Q4", SurveyRoundId = f.OtherRound.Id,
        }).ResponseAsync, ["survey_round_id"]),
        ["ExportAggregatesCsv bad round"] = (f => f.S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest { WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025", SurveyRoundId = NotAnId }).ResponseAsync, ["survey_round_id"]),
        ["GetAggregate"] = (f => f.S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { AreaId = f.S.District.Id, Period = "2026Q5" }).ResponseAsync, ["indicator_code", "period"]),
        ["ListAggregates"] = (f => f.S.Viewer.Aggregates.ListAggregatesAsync(new ListAggregatesRequest { IndicatorCode = "FCS", AreaId = f.S.District.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2026", ToPeriod = "2025Q1" }).ResponseAsync, ["from_period"]),
        ["ListAggregates reversed"] = (f => f.S.Viewer.Aggregates.ListAggregatesAsync(new ListAggregatesRequest { IndicatorCode = "FCS", AreaId = f.S.District.Id, PeriodType = PeriodType.Month, FromPeriod = "202603", ToPeriod = "202601" }).ResponseAsync, ["to_period"]),
        ["SetDhis2Mapping"] = (f => f.S.Facilitator.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest
        {
            WatershedId = f.S.Watershed.Id,
            Mapping = new Dhis2Mapping
            {
                Elements = { new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "median", DataElement = "short" } },
                OrgUnits = { ["x-area"] = "1notAUid00" },
            },
        }).ResponseAsync, ["mapping.elements[0].metric", "mapping.elements[0].data_element", "mapping.org_units[x-area]"]),
        ["SetDhis2Mapping unknown indicator and area"] = (f => f.S.Facilitator.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest
        {
            WatershedId = f.S.Watershed.Id,
            Mapping = new Dhis2Mapping
            {
                Elements = { new Dhis2ElementMapping { IndicatorCode = "NOPE", Metric = "mean", DataElement = "FCSmean0001" }, new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "percent:rich", DataElement = "FCSmean0002" } },
                // Manzanares by its id and again by its code (the key that sorts later is named: an id starts with a digit);
                // an area the watershed lacks.
                OrgUnits = { ["elsewhere"] = "OuManzana01", [f.S.Manzanares.Id] = "OuManzana02", ["MANZANARES"] = "OuManzana03" },
            },
        }).ResponseAsync, ["mapping.elements[0].indicator_code", "mapping.elements[1].metric", "mapping.org_units[elsewhere]", "mapping.org_units[MANZANARES]"]),
        ["GetDhis2Mapping"] = (f => f.S.Viewer.Aggregates.GetDhis2MappingAsync(new GetDhis2MappingRequest { WatershedId = NotAnId }).ResponseAsync, ["watershed_id"]),
        ["ExportDhis2DataValueSet"] = (f => f.S.Viewer.Aggregates.ExportDhis2DataValueSetAsync(new ExportDhis2DataValueSetRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync, ["period_type"]),
        ["ExportAggregatesCsv"] = (f => f.S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest { WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025", IndicatorCodes = { "FCS", "", "NOPE" } }).ResponseAsync, ["indicator_codes[1]"]),
        ["ExportAggregatesCsv unknown code"] = (f => f.S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest { WatershedId = f.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025", IndicatorCodes = { "NOPE" } }).ResponseAsync, ["indicator_codes[0]"]),
        ["CreatePlanTarget empty"] = (f => f.S.Facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest()).ResponseAsync, ["target", "target.plan_id", "target.goal_id", "target.indicator_code", "target.area_id", "target.metric", "target.baseline_period", "target.target_value", "target.target_date"]),
        ["CreatePlanTarget target on the worse side"] = (f => f.S.Facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new PlanTarget
            {
                PlanId = Guid.CreateVersion7().ToString(), GoalId = Guid.CreateVersion7().ToString(), IndicatorCode = "FCS", AreaId = f.S.District.Id, Metric = "mean",
                BaselineValue = "30", BaselinePeriod = "2025Q4", TargetValue = "20", TargetDate = "2025-10-01",
            },
        }).ResponseAsync, ["target.target_value", "target.target_date"]),
        ["GetPlanTarget"] = (f => f.S.Viewer.Plans.GetPlanTargetAsync(new GetPlanTargetRequest()).ResponseAsync, ["plan_target_id"]),
        ["ListPlanTargets"] = (f => f.S.Viewer.Plans.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = NotAnId }).ResponseAsync, ["plan_id"]),
        ["GetPlanProgress"] = (f => f.S.Viewer.Plans.GetPlanProgressAsync(new GetPlanProgressRequest { Period = "Q1" }).ResponseAsync, ["plan_target_id", "period"]),
        ["CreateAlertRule empty"] = (f => f.S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest()).ResponseAsync, ["rule", "rule.indicator_code", "rule.area_id", "rule.metric", "rule.condition", "rule.period_type"]),
        ["CreateAlertRule unknown category"] = (f => f.S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule { IndicatorCode = "FCS", AreaId = f.S.District.Id, Metric = "percent:hungry", PeriodType = PeriodType.Quarter, Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "20" } },
        }).ResponseAsync, ["rule.metric"]),
        ["ListAlertRules"] = (f => f.S.Viewer.Alerts.ListAlertRulesAsync(new ListAlertRulesRequest()).ResponseAsync, ["area_id"]),
        ["DeleteAlertRule"] = (f => f.S.Facilitator.Alerts.DeleteAlertRuleAsync(new DeleteAlertRuleRequest { AlertRuleId = Guid.Empty.ToString() }).ResponseAsync, ["alert_rule_id"]),
        ["ListAlerts"] = (f => f.S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = f.S.District.Id, State = (AlertState)9 }).ResponseAsync, ["state"]),
        ["ListDeadLetters"] = (f => f.S.Admin.DeadLetters.ListDeadLettersAsync(new Watershed.Events.V1.ListDeadLettersRequest { Page = new PageRequest { PageSize = -1, PageToken = "forged" } }).ResponseAsync, ["page.page_size", "page.page_token"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Malformed_requests_reach_their_rpc_name_exactly_the_faulty_fields_and_change_nothing(string name)
    {
        var (call, fields) = Cases[name];
        await BadInput.AssertRefusedAsync(fixture.App.SnapshotAsync, name, () => call(fixture), fields);
    }

    [Fact]
    public void Every_rpc_of_the_indicators_contract_has_a_bad_input_case()
        => ContractCoverage.AssertEveryRpcHasACase(
            [AreaService.Descriptor, IndicatorService.Descriptor, SurveyService.Descriptor, AggregateService.Descriptor, PlanTrackingService.Descriptor, AlertService.Descriptor,
             Watershed.Events.V1.DeadLetterService.Descriptor],
            Cases.Keys);

    [Fact]
    public async Task Unknown_objects_are_not_found_and_states_that_forbid_a_call_are_failed_precondition()
    {
        var before = await fixture.App.SnapshotAsync();
        var missing = Guid.CreateVersion7().ToString();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            fixture.S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = missing, Csv = ByteString.CopyFromUtf8("a") }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            fixture.S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "NOPE", AreaId = fixture.S.District.Id, Period = "2025" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            fixture.S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.District, ParentId = missing, Code = "d", Name = "D" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            fixture.S.Viewer.Aggregates.ExportDhis2DataValueSetAsync(new ExportDhis2DataValueSetRequest { WatershedId = fixture.S.Watershed.Id, PeriodType = PeriodType.Year, FromPeriod = "2025", ToPeriod = "2025" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            fixture.S.Facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
            {
                Target = new PlanTarget
                {
                    PlanId = missing, GoalId = missing, IndicatorCode = "FCS", AreaId = fixture.S.District.Id, Metric = "mean",
                    BaselinePeriod = "2024Q1", TargetValue = "50", TargetDate = "2028-12-31",
                },
            }).ResponseAsync);
        Assert.Equal(before, await fixture.App.SnapshotAsync());
    }
}
