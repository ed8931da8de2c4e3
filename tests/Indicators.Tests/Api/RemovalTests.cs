using Grpc.Core;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>One bad import, or one household, can be undone: removed from every figure, recorded, its alert re-evaluated.</summary>
public sealed class RemovalTests : PostgresApiTest
{
    private async Task<AlertRule> PoorShareRuleAsync(string areaId) =>
        (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "FCS", AreaId = areaId, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "30" },
            },
        })).Rule;

    private async Task<Aggregate> FcsAsync(string areaId, string period, string round = "") =>
        (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = areaId, Period = period, SurveyRoundId = round })).Aggregate;

    [Fact]
    public async Task A_bad_import_is_removed_as_a_whole_its_figures_and_its_alert_undone_and_it_may_be_imported_again()
    {
        var rule = await PoorShareRuleAsync(S.Manzanares.Id);
        var round = await S.FcsRoundAsync("2025Q4");
        var good = await S.ImportAsync(round, FcsCsv.Write(false, Households.Acceptable39("g-1", "manzanares", "2025-11-03"), Households.Acceptable52("g-2", "manzanares", "2025-11-04")));
        // The wrong community's file: two poor households land in Manzanares, 2 of 4 poor = 50 % > 30 %.
        var badFile = FcsCsv.Write(false, Households.Poor("x-1", "manzanares", "2025-11-05"), Households.Poor("x-2", "manzanares", "2025-11-05"));
        var bad = await S.ImportAsync(round, badFile);
        Assert.Equal("50", Assert.Single((await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id })).Alerts).ObservedValue);
        var batches = (await S.Facilitator.Surveys.ListImportBatchesAsync(new ListImportBatchesRequest { SurveyRoundId = round.Id })).ImportBatches;
        Assert.Equal([(good.ImportBatchId, 2, 2, ""), (bad.ImportBatchId, 2, 2, "")], batches.Select(b => (b.Id, b.StoredRows, b.RemainingRows, b.RemovalId)));
        Assert.Equal((ImportSource.File, "facilitator@test"), (batches[1].Source, batches[1].StoredBy));
        var outboxBefore = (await App.OutboxAsync()).Count;

        var removed = await S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest
        {
            SurveyRoundId = round.Id, ImportBatchId = bad.ImportBatchId, Reason = "Archivo de otra comunidad",
        });

        Assert.Equal((bad.ImportBatchId, "facilitator@test", "Archivo de otra comunidad"), (removed.Removal.ImportBatchId, removed.Removal.RemovedBy, removed.Removal.Reason));
        Assert.Equal(["x-1", "x-2"], removed.Removal.SubmissionIds);
        Assert.Equal([S.Manzanares.Id], removed.Removal.AreaIds);
        // Back to the good file alone: 39 and 52, no poor household; the alert the bad file raised is cleared.
        var figure = await FcsAsync(S.Manzanares.Id, "2025Q4");
        Assert.Equal((2, 45.5), (figure.N, figure.Mean));
        var cleared = Assert.Single(removed.Alerts);
        Assert.Equal((rule.Id, AlertState.Cleared, "0", 2), (cleared.RuleId, cleared.State, cleared.ObservedValue, cleared.N));
        var published = (await App.OutboxAsync()).Skip(outboxBefore).ToList();
        Assert.Equal(["indicators.alert_cleared.v1"], published.Select(m => m.Topic));
        Assert.Equal(cleared.Summary, AlertCleared.Parser.ParseJson(published[0].Data).Summary);
        Assert.Equal(removed.Removal, Assert.Single((await S.Facilitator.Surveys.ListRemovalsAsync(new ListRemovalsRequest { SurveyRoundId = round.Id })).Removals));
        var after = (await S.Facilitator.Surveys.ListImportBatchesAsync(new ListImportBatchesRequest { SurveyRoundId = round.Id })).ImportBatches;
        Assert.Equal((0, removed.Removal.Id), (after[1].RemainingRows, after[1].RemovalId));
        Assert.Equal(2, await App.SubmissionCountAsync(round.Id));

        // The removed households are gone: the same file is new again.
        var again = await S.ImportAsync(round, badFile);
        Assert.Equal((2, 0), (again.StoredRows, again.DuplicateRows));
        Assert.NotEqual(bad.ImportBatchId, again.ImportBatchId);
    }

    [Fact]
    public async Task Removing_the_only_households_of_the_period_that_raised_an_alert_clears_it()
    {
        await PoorShareRuleAsync(S.Manzanares.Id);
        var round = await S.FcsRoundAsync("2026Q1");
        var bad = await S.ImportAsync(round, FcsCsv.Write(false, Households.Poor("y-1", "manzanares", "2026-02-03")));

        var removed = await S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = round.Id, ImportBatchId = bad.ImportBatchId, Reason = "Prueba" });

        var cleared = Assert.Single(removed.Alerts);
        Assert.Equal((AlertState.Cleared, 0), (cleared.State, cleared.N));
        Assert.Equal("Manzanares (manzanares), 2026Q1: no household is left in the figure (its households were removed), no longer above 30 %.", cleared.Summary);
        Assert.Equal(0, (await FcsAsync(S.Manzanares.Id, "2026Q1")).N);
    }

    [Fact]
    public async Task One_submission_is_removed_on_its_own_and_its_batch_then_removes_only_the_rest()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var batch = await S.ImportAsync(round, FcsCsv.Write(false, Households.Baseline()));

        var one = await S.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "b-1", Reason = "Hogar entrevistado dos veces" });

        Assert.Equal("", one.Removal.ImportBatchId);
        Assert.Equal(["b-1"], one.Removal.SubmissionIds);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "b-1" }).ResponseAsync);
        // Manzanares keeps 39 and 27.
        var kept = await FcsAsync(S.Manzanares.Id, "2025Q4");
        Assert.Equal((2, 33.0), (kept.N, kept.Mean));
        Assert.Equal(3, (await S.Facilitator.Surveys.ListImportBatchesAsync(new ListImportBatchesRequest { SurveyRoundId = round.Id })).ImportBatches[0].RemainingRows);

        var rest = await S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = round.Id, ImportBatchId = batch.ImportBatchId, Reason = "Ronda repetida" });

        Assert.Equal(["b-2", "b-3", "b-4"], rest.Removal.SubmissionIds);
        Assert.Equal(SortedIds(S.Manzanares.Id, S.Conchacalla.Id), rest.Removal.AreaIds.Order(StringComparer.Ordinal));
        Assert.Equal(0, await App.SubmissionCountAsync(round.Id));
        Assert.Equal([one.Removal.Id, rest.Removal.Id], (await S.Facilitator.Surveys.ListRemovalsAsync(new ListRemovalsRequest { SurveyRoundId = round.Id })).Removals.Select(r => r.Id));
    }

    [Fact]
    public async Task What_cannot_be_removed_is_refused_and_changes_nothing()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var other = await S.FcsRoundAsync("2026Q3");
        var batch = await S.ImportAsync(round, FcsCsv.Write(false, Households.Baseline()));
        await S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = round.Id, ImportBatchId = batch.ImportBatchId, Reason = "x" });
        var kept = await S.ImportAsync(round, FcsCsv.Write(false, Households.Poor("k-1", "manzanares", "2025-11-03")));
        var before = await App.SnapshotAsync();

        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = round.Id, ImportBatchId = batch.ImportBatchId, Reason = "otra vez" }).ResponseAsync);
        // A batch of another round, and a submission the round does not have (any more).
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = other.Id, ImportBatchId = kept.ImportBatchId, Reason = "x" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            S.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "b-1", Reason = "x" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            S.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = other.Id, SubmissionId = "k-1", Reason = "x" }).ResponseAsync);

        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task Two_removals_of_one_batch_remove_it_once_and_a_household_removed_meanwhile_is_recorded_once()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        for (var i = 0; i < 5; i++)
        {
            var batch = await S.ImportAsync(round, FcsCsv.Write(false, [.. Enumerable.Range(0, 30).Select(n => Households.Acceptable39($"r{i}-{n}", "manzanares", "2025-11-03"))]));
            Task<RemoveImportBatchResponse> RemoveBatch() => S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = round.Id, ImportBatchId = batch.ImportBatchId, Reason = "carrera" }).ResponseAsync;
            var one = S.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = $"r{i}-7", Reason = "carrera" }).ResponseAsync;

            var outcomes = await Task.WhenAll(Outcome(RemoveBatch()), Outcome(RemoveBatch()), Outcome(one));

            // Exactly one batch removal wins; the other finds it removed. The household removed on its own is recorded by
            // whichever removal took it first, and never by both.
            Assert.Equal(1, outcomes.Take(2).Count(o => o.Code == StatusCode.OK));
            Assert.Equal(1, outcomes.Take(2).Count(o => o.Code == StatusCode.FailedPrecondition));
            var removals = (await S.Facilitator.Surveys.ListRemovalsAsync(new ListRemovalsRequest { SurveyRoundId = round.Id, Page = new Watershed.Common.V1.PageRequest { PageSize = 100 } })).Removals
                .Where(r => r.SubmissionIds.Any(id => id.StartsWith($"r{i}-", StringComparison.Ordinal))).ToList();
            Assert.Equal(30, removals.Sum(r => r.SubmissionIds.Count));
            Assert.Equal(30, removals.SelectMany(r => r.SubmissionIds).Distinct().Count());
            Assert.Equal(outcomes[2].Code == StatusCode.OK ? 2 : 1, removals.Count);
        }

        Assert.Equal(0, await App.SubmissionCountAsync(round.Id));

        static async Task<(StatusCode Code, object? Response)> Outcome<T>(Task<T> call)
        {
            try
            {
                return (StatusCode.OK, await call);
            }
            catch (RpcException ex)
            {
                return (ex.StatusCode, null);
            }
        }
    }

    [Fact]
    public async Task Aggregates_can_be_limited_to_one_survey_round()
    {
        // A baseline and a follow-up interviewed in the same quarter, in the same community.
        var baseline = await S.FcsRoundAsync("Línea de base");
        var followUp = await S.FcsRoundAsync("Seguimiento");
        await S.ImportAsync(baseline, FcsCsv.Write(false, Households.Poor("l-1", "manzanares", "2025-11-03"), Households.Borderline27("l-2", "manzanares", "2025-11-03")));
        await S.ImportAsync(followUp, FcsCsv.Write(false, Households.Acceptable52("s-1", "manzanares", "2025-12-10")));

        // Baseline (14 + 27) / 2 = 20.5; follow-up 52; both (14 + 27 + 52) / 3 = 31.
        Assert.Equal((2, 20.5, baseline.Id), await Figure(baseline.Id));
        Assert.Equal((1, 52.0, followUp.Id), await Figure(followUp.Id));
        Assert.Equal((3, 31.0, ""), await Figure(""));
        var shown = await FcsAsync(S.Manzanares.Id, "2025Q4");
        Assert.Equal(("manzanares", "Manzanares"), (shown.AreaCode, shown.AreaName));
        var listed = (await S.Viewer.Aggregates.ListAggregatesAsync(new ListAggregatesRequest
        {
            IndicatorCode = "FCS", AreaId = S.District.Id, IncludeDescendants = true, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4",
            SurveyRoundId = followUp.Id,
        })).Aggregates;
        Assert.Equal([(S.District.Id, 52.0), (S.Manzanares.Id, 52.0)], listed.Select(a => (a.AreaId, a.Mean)));
        var csv = (await S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = S.Watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4", IndicatorCodes = { "FCS" }, SurveyRoundId = baseline.Id,
        })).Csv.ToStringUtf8();
        Assert.Contains($"FCS,{S.Manzanares.Id},2025Q4,mean,20.5", csv, StringComparison.Ordinal);

        async Task<(int, double, string)> Figure(string round)
        {
            var a = await FcsAsync(S.Manzanares.Id, "2025Q4", round);
            return (a.N, a.Mean, a.SurveyRoundId);
        }
    }

    private static string[] SortedIds(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];
}
