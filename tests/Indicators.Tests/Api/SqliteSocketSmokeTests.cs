using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The local default: the service on a SQLite file, called over a real loopback socket (HTTP/2 cleartext).</summary>
public sealed class SqliteSocketSmokeTests : IAsyncLifetime
{
    private SqliteSocketHost<Program> _host = null!;

    private GrpcChannel Channel => _host.Channel;

    public Task InitializeAsync()
    {
        _host = SqliteSocketHost<Program>.Start("indicators", IndicatorsApp.OnSqliteSocket);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_survey_is_imported_streamed_and_aggregated_on_sqlite_over_a_socket()
    {
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(Channel).CheckAsync(new HealthCheckRequest())).Status);

        var facilitator = new Clients(Channel, TestTokens.Facilitator("cachora"));
        var watershed = (await facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "cachora", Name = "Microcuenca Cachora" })).Area;
        var district = (await facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.District, ParentId = watershed.Id, Code = "030104", Name = "Cachora" })).Area;
        var community = (await facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = district.Id, Code = "manzanares", Name = "Comunidad" })).Area;
        var round = (await facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = watershed.Id, Name = "2025Q4", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = FcsCsv.Mapping(weighted: false),
        })).SurveyRound;

        var rule = (await facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "FCS", AreaId = district.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "30" },
            },
        })).Rule;

        var imported = await facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = round.Id, Csv = ByteString.CopyFromUtf8(FcsCsv.Write(false, Households.Poor("q-1", "manzanares", "2025-11-03"), Households.Acceptable39("q-2", "manzanares", "2025-11-03"))),
        });
        Assert.Equal(2, imported.Result.StoredRows);
        var streamed = await IngestTests.UploadAsync(facilitator, round, ImportMode.AllOrNothing, Households.Borderline27("q-3", "manzanares", "2025-12-01"));
        Assert.Equal(1, streamed.StoredRows);

        var aggregate = (await facilitator.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = district.Id, Period = "2025Q4" })).Aggregate;
        Assert.Equal((3, 80.0 / 3), (aggregate.N, aggregate.Mean));
        Assert.Equal(community.Id, (await facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "q-3" })).Submission.AreaId);

        // The rule's row lock and the watershed's lock take SQLite's write lock instead: the same outcomes.
        var raised = Assert.Single((await facilitator.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = district.Id })).Alerts);
        Assert.Equal((rule.Id, AlertState.Raised, "50", 2), (raised.RuleId, raised.State, raised.ObservedValue, raised.N));
        await facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = watershed.Id, Code = "WATER", Name = "Minutos al agua", Unit = "minutos", Direction = Direction.LowerIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.water_minutes" },
        });
        var water = (await facilitator.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "WATER", AreaId = district.Id, Period = "2025Q4" })).Aggregate;
        Assert.Equal((0, 3), (water.N, water.NMissing));

        // The plan's lock is a no-op write on SQLite, too.
        var target = (await facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new PlanTarget
            {
                PlanId = Guid.CreateVersion7().ToString(), GoalId = Guid.CreateVersion7().ToString(), IndicatorCode = "FCS", AreaId = district.Id, Metric = "mean",
                BaselinePeriod = "2025Q4", TargetValue = "50", TargetDate = "2028-12-31",
            },
        })).Target;
        Assert.Equal(((80m / 3).ToString(System.Globalization.CultureInfo.InvariantCulture), false), (target.BaselineValue, target.GoalDropped));

        // A stream longer than one write, its last household bad: one transaction on SQLite too, so nothing of it stays;
        // sent again without the bad one, all of it is stored.
        var many = Enumerable.Range(0, Grpc.SubmissionIngest.WriteBatchSize + 5).Select(i => Households.Poor($"m-{i}", "manzanares", "2026-02-02")).ToArray();
        many[^1] = many[^1] with { Date = "2026-13-40" };
        var refused = await IngestTests.UploadAsync(facilitator, round, ImportMode.AllOrNothing, many);
        Assert.Equal((0, many.Length), (refused.StoredRows, Assert.Single(refused.Errors).Row));
        Assert.Equal(3, (await facilitator.Surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = round.Id, Page = new() { PageSize = 1000 } })).Submissions.Count);
        var good = await IngestTests.UploadAsync(facilitator, round, ImportMode.AllOrNothing, many[..^1]);
        Assert.Equal(many.Length - 1, good.StoredRows);
    }

    /// <summary>
    /// Women of a repeat group on the local default: stored by EF (not COPY), summed in memory, counted by a plan target's
    /// baseline, kept apart from a custom indicator scored later, and removed with their household.
    /// </summary>
    [Fact]
    public async Task Women_of_a_repeat_group_are_stored_counted_and_removed_on_sqlite()
    {
        var facilitator = new Clients(Channel, TestTokens.Facilitator("cachora"));
        var watershed = (await facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = "cachora", Name = "Microcuenca Cachora" })).Area;
        var district = (await facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.District, ParentId = watershed.Id, Code = "030104", Name = "Cachora" })).Area;
        await facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = district.Id, Code = "manzanares", Name = "Comunidad" });
        var round = (await facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest { WatershedId = watershed.Id, Name = "2025Q4", FcsCutoffs = FcsCutoffs.Standard2135 })).SurveyRound;

        var imported = await facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = round.Id,
            Csv = ByteString.CopyFromUtf8(WomenRepeatGroup.MainSheet(new KoboHousehold(1, "h1", "manzanares", "2025-11-03"), new KoboHousehold(2, "h2", "manzanares", "2025-11-04"))),
            WomenCsv = ByteString.CopyFromUtf8(WomenRepeatGroup.WomenSheet(true, new KoboWoman("h1", 1, "30", 6), new KoboWoman("h1", 1, "20", 2), new KoboWoman("h2", 2, "41", 5))),
        });
        Assert.Empty(imported.Result.Errors);
        Assert.Equal(2, imported.Result.StoredRows);
        await facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = watershed.Id, Code = "WATER", Name = "Minutos al agua", Unit = "minutos", Direction = Direction.LowerIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.water_minutes" },
        });

        var request = new GetAggregateRequest { IndicatorCode = "MDDW", AreaId = district.Id, Period = "2025Q4" };
        var mddw = (await facilitator.Aggregates.GetAggregateAsync(request)).Aggregate;
        // 2 of 3 women achieve (6 and 5 groups; 2 does not).
        Assert.Equal((3, 0), (mddw.N, mddw.NMissing));
        Assert.Equal(200.0 / 3, mddw.Distribution.Single(c => c.Category == "achieved").Percent, 9);
        var target = (await facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new PlanTarget
            {
                PlanId = Guid.CreateVersion7().ToString(), GoalId = Guid.CreateVersion7().ToString(), IndicatorCode = "MDDW", AreaId = district.Id,
                Metric = "percent:achieved", BaselinePeriod = "2025Q4", TargetValue = "90", TargetDate = "2028-12-31",
            },
        })).Target;
        Assert.StartsWith("66.66", target.BaselineValue, StringComparison.Ordinal);
        var water = (await facilitator.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "WATER", AreaId = district.Id, Period = "2025Q4" })).Aggregate;
        Assert.Equal((0, 2), (water.N, water.NMissing));

        await facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "h1", Reason = "duplicado" });
        var after = (await facilitator.Aggregates.GetAggregateAsync(request)).Aggregate;
        Assert.Equal((1, 100.0), (after.N, after.Distribution.Single(c => c.Category == "achieved").Percent));
    }
}
