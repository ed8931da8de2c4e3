using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using EventStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.Indicators.Tests.Api;

/// <summary>
/// CSV exports neutralise what a spreadsheet would run as a formula, and every read and export answers whatever is
/// already stored, values from before the input bounds included.
/// </summary>
public sealed class StoredDataAndExportTests : PostgresApiTest
{
    [Fact]
    public async Task The_submissions_csv_neutralises_formula_cells_and_keeps_plain_numbers()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        // Kobo-style: ";" separated, every value quoted, quotes doubled inside a value.
        var csv = string.Join('\n',
            "\"_uuid\";\"community\";\"hh\";\"date\";\"stap\";\"link\";\"sum\";\"at\";\"calc\";\"dde\";\"tabbed\";\"negative\";\"plain\"",
            "\"@u-1\";\"manzanares\";\"=1+1\";\"2025-11-03\";\"7\";\"=HYPERLINK(\"\"http://x.test\"\")\";\"+SUM(1,1)\";\"@SUM(1,1)\";\"-1+1\";\"=cmd|' /C calc'!A0\";\"\t=1+1\";\"-5\";\"Papa\"",
            "");
        var imported = await S.ImportAsync(round, csv);
        Assert.Equal((1, 1), (imported.AcceptedRows, imported.StoredRows));

        var exported = (await S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = round.Id })).Csv.ToStringUtf8();

        var table = KoboCsv.Read(new StringReader(exported));
        Assert.Empty(table.Errors);
        var row = Assert.Single(table.Rows).Values;
        Assert.Equal(new Dictionary<string, string>
        {
            ["_uuid"] = "'@u-1",
            ["community"] = "manzanares",
            ["hh"] = "'=1+1",
            ["date"] = "2025-11-03",
            ["stap"] = "7",
            ["link"] = "'=HYPERLINK(\"http://x.test\")",
            ["sum"] = "'+SUM(1,1)",
            ["at"] = "'@SUM(1,1)",
            ["calc"] = "'-1+1",
            ["dde"] = "'=cmd|' /C calc'!A0",
            ["tabbed"] = "'\t=1+1",
            ["negative"] = "-5",
            ["plain"] = "Papa",
        }, row);
        // Still RFC 4180: every value quoted, a quote inside a value doubled.
        Assert.Contains("\"'=HYPERLINK(\"\"http://x.test\"\")\"", exported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_aggregates_csv_keeps_negative_figures_as_numbers()
    {
        await S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = S.Watershed.Id, Code = "BALANCE", Name = "Saldo", Unit = "PEN", Direction = V1.Direction.HigherIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.balance" },
        });
        var mapping = FcsCsv.Mapping(false);
        mapping.AnswerColumns["custom.balance"] = "balance";
        var round = (await S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = S.Watershed.Id, Name = "Saldo", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping,
        })).SurveyRound;
        await S.ImportAsync(round, "\"_uuid\";\"community\";\"hh\";\"date\";\"balance\"\n\"b-1\";\"manzanares\";\"h1\";\"2025-11-03\";\"-2\"\n\"b-2\";\"manzanares\";\"h2\";\"2025-11-04\";\"-3\"\n");

        var csv = (await S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = S.Watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4", IndicatorCodes = { "BALANCE" },
        })).Csv.ToStringUtf8();

        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).Where(f => f[1] == S.Manzanares.Id).ToList();
        var figures = rows.ToDictionary(f => f[3], f => f[4]);
        Assert.Equal(("-2.5", "-5", "2"), (figures["mean"], figures["sum"], figures["n"]));
        // Each row names its area as people know it too.
        Assert.All(rows, f => Assert.Equal(("manzanares", "Manzanares"), (f[5], f[6])));
    }

    [Fact]
    public async Task Aggregates_and_exports_answer_when_a_stored_weight_lies_beyond_the_bound()
    {
        var round = await S.FcsRoundAsync("2026Q1", weighted: true);
        await S.ImportAsync(round, FcsCsv.Write(true,
            Households.Poor("w-1", "manzanares", "2026-02-03", "2"),
            Households.Acceptable52("w-2", "manzanares", "2026-02-04", "1")));
        // Stored before weights were bounded: the largest decimal there is.
        await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE household_scores SET \"Weight\" = {decimal.MaxValue} WHERE \"SubmissionRowId\" IN (SELECT \"Id\" FROM submissions WHERE \"SubmissionId\" = 'w-1')"));

        var aggregate = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Period = "2026Q1" })).Aggregate;
        // The household out of bounds is left out and counted as missing; the other one makes the figures.
        Assert.Equal((1, 1, 1.0, 52.0), (aggregate.N, aggregate.NMissing, aggregate.SumOfWeights, aggregate.Mean));

        var csv = (await S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = S.Watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2026Q1", ToPeriod = "2026Q1", IndicatorCodes = { "FCS" },
        })).Csv.ToStringUtf8();
        Assert.Contains($"FCS,{S.Manzanares.Id},2026Q1,n_missing,1", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_answers_for_a_stored_target_a_hair_above_its_baseline()
    {
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        var target = (await S.Facilitator.Plans.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new V1.PlanTarget
            {
                PlanId = Guid.CreateVersion7().ToString(), GoalId = Guid.CreateVersion7().ToString(), IndicatorCode = "FCS", AreaId = S.Manzanares.Id,
                Metric = "mean", BaselineValue = "0", BaselinePeriod = "2025Q3", TargetValue = "1", TargetDate = "2028-12-31",
            },
        })).Target;
        // Stored before decimals in requests were bounded: 10^-28 above the baseline.
        await ExecuteAsync(db => db.Database.ExecuteSqlAsync($"UPDATE plan_targets SET \"TargetValue\" = {0.0000000000000000000000000001m} WHERE \"Id\" = {Guid.Parse(target.Id)}"));

        var progress = await S.Viewer.Plans.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = target.Id, Period = "2025Q4" });

        // (80/3 − 0) / 10^-28 × 100, computed without overflow.
        Assert.Equal(80.0 / 3 * 1e30, progress.Percent, 1e18);
        Assert.True(progress.TargetReached);
    }

    [Fact]
    public async Task A_plan_approval_whose_text_cannot_be_stored_is_dropped_not_retried()
    {
        var (id, message) = Approval("approval-nul", "Agua\0limpia", Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero)));

        // Retried, PostgreSQL would refuse the NUL forever; dropped, it goes to the dead-letter topic once.
        Assert.Equal(EventStatus.Drop, await DeliverAsync(message, id));

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        Assert.Empty(await db.ApprovedPlans.ToListAsync());
    }

    private static (string Id, PlanVersionApproved Message) Approval(string id, string goalText, Timestamp occurredAt) => (id, new PlanVersionApproved
    {
        Version = new PlanVersionRef
        {
            PlanId = Guid.CreateVersion7().ToString(), PlanVersionId = Guid.CreateVersion7().ToString(), Number = 1, PlanTitle = "Plan",
            WatershedUnitId = Guid.CreateVersion7().ToString(), WatershedCode = "pomacanchi",
        },
        ProposalId = Guid.CreateVersion7().ToString(),
        OccurredAt = occurredAt,
        Goals = { new PlanGoalRef { GoalId = Guid.CreateVersion7().ToString(), Text = goalText } },
    });

    private Task<EventStatus> DeliverAsync(PlanVersionApproved message, string eventId) =>
        DaprCallback.DeliverAsync(App.Channel(), EventTopics.For(PlanVersionApproved.Descriptor), message, eventId, $"plans/{message.Version.PlanId}",
            data: OutboxMessage.Json.Format(message), source: "landuse");

    private async Task ExecuteAsync(Func<IndicatorsDbContext, Task<int>> statement)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        Assert.True(await statement(db) > 0, "The statement changed no row.");
    }
}
