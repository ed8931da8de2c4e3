using System.Text;
using Watershed.Indicators.V1;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The invariants two concurrent calls could break, raced for real on PostgreSQL.</summary>
public sealed class RaceTests : PostgresApiTest
{
    private const int Rounds = 5;

    private async Task<(Area Community, AlertRule Rule)> CommunityWithPoorShareRuleAsync(string code, string threshold)
    {
        var community = (await S.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = S.District.Id, Code = code, Name = code })).Area;
        var rule = (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "FCS", AreaId = community.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = threshold },
            },
        })).Rule;
        return (community, rule);
    }

    private static string File(int households, Func<int, FcsHousehold> household) =>
        FcsCsv.Write(false, [.. Enumerable.Range(0, households).Select(household)]);

    /// <summary>
    /// The same file sent three times at once: the unique key (round, submission id) lets one ingest store each household
    /// (on PostgreSQL by binary COPY), the others lose on the key, retry, and find every household stored as a duplicate.
    /// </summary>
    [Fact]
    public async Task The_same_file_imported_three_times_at_once_stores_each_household_once()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        for (var i = 0; i < Rounds; i++)
        {
            var file = File(200, n => Households.Acceptable39($"same{i}-{n}", "manzanares", "2025-11-03"));

            var results = await Task.WhenAll(S.ImportAsync(round, file), S.ImportAsync(round, file), S.ImportAsync(round, file));

            Assert.Equal([(200, 0), (0, 200), (0, 200)], results.Select(r => (r.StoredRows, r.DuplicateRows)).OrderByDescending(r => r.StoredRows));
            Assert.All(results, r => Assert.Empty(r.Errors));
        }

        Assert.Equal(Rounds * 200, await App.SubmissionCountAsync(round.Id));
    }

    /// <summary>
    /// A batch removed while another batch of the same community, days and categories is imported: both succeed (the
    /// summed table's rows are locked in one order by both), and the figures are exactly those of what remains.
    /// </summary>
    [Fact]
    public async Task A_batch_removed_while_another_is_imported_leaves_exactly_the_remaining_households_in_the_figures()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        for (var i = 0; i < Rounds; i++)
        {
            var days = new[] { "2025-11-03", "2025-11-04", "2025-11-05" };
            var old = await S.ImportAsync(round, File(60, n => n % 2 == 0
                ? Households.Poor($"old{i}-{n}", "manzanares", days[n % 3]) : Households.Acceptable39($"old{i}-{n}", "manzanares", days[n % 3])));
            var fresh = File(60, n => n % 2 == 0
                ? Households.Acceptable39($"new{i}-{n}", "manzanares", days[n % 3]) : Households.Poor($"new{i}-{n}", "manzanares", days[n % 3]));

            var remove = S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = round.Id, ImportBatchId = old.ImportBatchId, Reason = "race" }).ResponseAsync;
            await Task.WhenAll(remove, S.ImportAsync(round, fresh));

            var figure = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Period = "2025Q4" })).Aggregate;
            // 60 × (i + 1) fresh households stay: half poor (14), half acceptable (39).
            Assert.Equal((60 * (i + 1), 0, (14.0 + 39.0) / 2), (figure.N, figure.NMissing, figure.Mean));
            Assert.Equal(50.0, figure.Distribution.Single(c => c.Category == "poor").Percent);
        }
    }

    [Fact]
    public async Task Two_ingests_that_each_push_the_figure_over_its_threshold_record_exactly_one_raise()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        for (var i = 0; i < Rounds; i++)
        {
            var (community, rule) = await CommunityWithPoorShareRuleAsync($"carrera-{i}", "30");
            var first = File(40, n => Households.Poor($"a{i}-{n}", community.Code, "2025-11-03"));
            var second = File(40, n => Households.Poor($"b{i}-{n}", community.Code, "2025-11-04"));

            var results = await Task.WhenAll(S.ImportAsync(round, first), S.ImportAsync(round, second));

            Assert.Equal([40, 40], results.Select(r => r.StoredRows));
            var alerts = (await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = community.Id })).Alerts;
            // The first ingest to evaluate the rule sees its own 40 households, all poor; the second finds it raised.
            var raised = Assert.Single(alerts);
            Assert.Equal((rule.Id, AlertState.Raised, "2025Q4", "100", 40), (raised.RuleId, raised.State, raised.Period, raised.ObservedValue, raised.N));
        }
    }

    [Fact]
    public async Task Two_ingests_that_together_keep_the_figure_under_its_threshold_leave_the_rule_clear()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        for (var i = 0; i < Rounds; i++)
        {
            // Alone the poor file raises (100 % > 40); with the acceptable one the share is 20 / 60 = 33 %.
            var (community, _) = await CommunityWithPoorShareRuleAsync($"vaiven-{i}", "40");
            var poor = File(20, n => Households.Poor($"p{i}-{n}", community.Code, "2025-11-03"));
            var acceptable = File(40, n => Households.Acceptable52($"q{i}-{n}", community.Code, "2025-11-04"));

            await Task.WhenAll(S.ImportAsync(round, poor), S.ImportAsync(round, acceptable));

            var alerts = (await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = community.Id })).Alerts;
            // Either the poor file came first (raised, then cleared at 33.3333 over 60) or last (no change at all).
            var history = alerts.Select(a => (a.State, a.ObservedValue, a.N)).ToArray();
            Assert.True(history.Length == 0 || history.SequenceEqual([(AlertState.Raised, "100", 20), (AlertState.Cleared, "33.3333", 60)]),
                $"The rule's history should end clear; it is [{string.Join(", ", history)}].");
        }
    }

    [Fact]
    public async Task A_custom_indicator_defined_while_households_arrive_scores_every_household()
    {
        var mapping = FcsCsv.Mapping(false);
        mapping.AnswerColumns["custom.water_minutes"] = "water_min";
        var round = (await S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = S.Watershed.Id, Name = "agua", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping,
        })).SurveyRound;
        static string Water(string prefix, int households)
        {
            var text = new StringBuilder("\"_uuid\";\"community\";\"hh\";\"date\";\"water_min\"\n");
            for (var n = 0; n < households; n++)
            {
                // Every fifth household skipped the question: a missing value, still scored as missing.
                text.Append($"\"{prefix}-{n}\";\"manzanares\";\"h{prefix}-{n}\";\"2025-11-03\";\"{(n % 5 == 0 ? "" : (n % 60).ToString(System.Globalization.CultureInfo.InvariantCulture))}\"\n");
            }

            return text.ToString();
        }

        await S.ImportAsync(round, Water("before", 30));
        var households = 30;
        for (var i = 0; i < Rounds; i++)
        {
            var code = $"WATER_{i}";
            var define = S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
            {
                WatershedId = S.Watershed.Id, Code = code, Name = "Minutos al agua", Unit = "minutos", Direction = Direction.LowerIsBetter,
                Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.water_minutes" },
            }).ResponseAsync;

            await Task.WhenAll(define, S.ImportAsync(round, Water($"during{i}", 100)));
            households += 100;

            // Every stored household has a score, or a recorded missing, on the indicator defined meanwhile.
            var figure = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = code, AreaId = S.Watershed.Id, Period = "2025" })).Aggregate;
            Assert.Equal(households, figure.N + figure.NMissing);
            Assert.Equal((households / 5, households - (households / 5)), (figure.NMissing, figure.N));
        }
    }
}
