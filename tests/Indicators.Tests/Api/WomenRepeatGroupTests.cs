using Watershed.Indicators.V1;
using static Watershed.Indicators.Tests.Api.WomenRepeatGroup;

namespace Watershed.Indicators.Tests.Api;

/// <summary>
/// MDD-W asked in a repeat group: a women sheet beside the main sheet (or women on streamed submissions), each woman scored
/// on her own and counted as one observation with her household's weight. Expected figures are worked by hand:
/// households h1 (no woman), h2 (one woman, 6 groups: achieved) and h3 (three women: 5 groups achieved, 4 and 2 not):
/// 2 of 4 women achieve (50 %), mean (6 + 5 + 4 + 2) / 4 = 4.25 groups.
/// </summary>
public sealed class WomenRepeatGroupTests : PostgresApiTest
{
    private static readonly KoboHousehold[] Main3 =
    [
        new(1, "h1", "manzanares", "2025-11-03"),
        new(2, "h2", "manzanares", "2025-11-03"),
        new(3, "h3", "manzanares", "2025-11-04"),
    ];

    private static readonly KoboWoman[] Women4 =
    [
        new("h2", 2, "31", 6),
        new("h3", 3, "24", 5),
        // ODK writes the parent's id with its "uuid:" prefix: the same household.
        new("uuid:h3", 3, "45", 4),
        new("h3", 3, "17", 2),
    ];

    [Fact]
    public async Task Two_sheets_count_women_not_households_and_show_each_woman()
    {
        var round = await RoundAsync(S, "2025Q4");
        var result = await ImportAsync(S, round, MainSheet(Main3), WomenSheet(true, Women4));
        Assert.Empty(result.Errors);
        Assert.Equal((3, 3, 0), (result.AcceptedRows, result.StoredRows, result.DuplicateRows));
        // The women sheet has every MDD-W column; the main sheet asks one FCS group of nine.
        Assert.DoesNotContain(result.MappedColumnsNotInFile, c => c.StartsWith("women", StringComparison.Ordinal));

        var mddw = await MddwAsync(S, S.Manzanares, "2025Q4");
        Assert.Equal((4, 0, 4.0, 4.25), (mddw.N, mddw.NMissing, mddw.SumOfWeights, mddw.Mean));
        Assert.Equal(50.0, mddw.Distribution.Single(c => c.Category == "achieved").Percent);
        Assert.Equal(2, mddw.Distribution.Single(c => c.Category == "achieved").N);
        // The other indicators still count households.
        Assert.Equal(3, (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Period = "2025Q4" })).Aggregate.NMissing);

        var h3 = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "h3" });
        Assert.Equal([(1, 5.0, "achieved"), (2, 4.0, "not_achieved"), (3, 2.0, "not_achieved")], h3.WomenScores.Select(w => (w.Woman, w.Value, w.Category)));
        Assert.Equal((3, 1), (h3.WomenAssessed, h3.WomenAchieving));
        Assert.DoesNotContain(h3.Scores, s => s.IndicatorCode == "MDDW");
        Assert.Equal(["24", "45", "17"], h3.Submission.Women.Select(w => w.Answers["women/MDDWAge"]));
        Assert.False(h3.Submission.Women[0].Answers.ContainsKey("_submission__uuid"));
        Assert.Equal("2", h3.Submission.Women[0].Answers["_index"]);

        // No woman in h1: no MDD-W figure at all, not a missing one.
        var h1 = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "h1" });
        Assert.Empty(h1.WomenScores);
        Assert.Empty(h1.Submission.Women);
        Assert.Equal((0, 0), (h1.WomenAssessed, h1.WomenAchieving));
        Assert.DoesNotContain(h1.Scores, s => s.IndicatorCode == "MDDW");
    }

    [Fact]
    public async Task Each_woman_carries_her_households_weight()
    {
        var round = await RoundAsync(S, "2025Q4", weighted: true);
        // h1 weighs 3 but has no woman; h2's woman weighs 2; h3's three women weigh 1 each.
        var result = await ImportAsync(S, round, MainSheet(Main3[0] with { Weight = "3" }, Main3[1] with { Weight = "2" }, Main3[2] with { Weight = "1" }), WomenSheet(true, Women4));
        Assert.Empty(result.Errors);

        var mddw = await MddwAsync(S, S.District, "2025Q4");
        // Σw = 2 + 1 + 1 + 1 = 5; achieving 2 + 1 = 3 → 60 %; mean (2×6 + 5 + 4 + 2) / 5 = 4.6.
        Assert.Equal((4, 0, 5.0), (mddw.N, mddw.NMissing, mddw.SumOfWeights));
        Assert.Equal(23.0, mddw.WeightedSum, 9);
        Assert.Equal(4.6, mddw.Mean, 9);
        var achieved = mddw.Distribution.Single(c => c.Category == "achieved");
        Assert.Equal((2, 3.0), (achieved.N, achieved.SumOfWeights));
        Assert.Equal(60.0, achieved.Percent, 9);
    }

    [Fact]
    public async Task Women_are_joined_by_parent_index_when_the_sheet_has_no_submission_uuid()
    {
        var round = await RoundAsync(S, "2025Q4");
        var result = await ImportAsync(S, round, MainSheet(Main3), WomenSheet(false, Women4));
        Assert.Empty(result.Errors);
        var byIndex = await MddwAsync(S, S.Manzanares, "2025Q4");
        Assert.DoesNotContain(result.MappedColumnsNotInFile, c => c.StartsWith("women", StringComparison.Ordinal));
        Assert.Equal("n=4 missing=0 Σw=4 mean=4.25 [achieved 2 2 50] [not_achieved 2 2 50]", Figures(byIndex));
        var h2 = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "h2" });
        Assert.Equal((1, 1), (h2.WomenAssessed, h2.WomenAchieving));
    }

    [Fact]
    public async Task A_round_may_name_its_own_join_columns()
    {
        var round = await RoundAsync(S, "2025Q4", mapping: new ColumnMapping { WomenSubmissionIdColumn = "hogar_uuid" });
        var women = WomenSheet(true, Women4).Replace("\"_submission__uuid\"", "\"hogar_uuid\"", StringComparison.Ordinal);
        var result = await ImportAsync(S, round, MainSheet(Main3), women);
        Assert.Empty(result.Errors);
        Assert.Equal(4, (await MddwAsync(S, S.Manzanares, "2025Q4")).N);
        var shown = (await S.Viewer.Surveys.GetSurveyRoundAsync(new GetSurveyRoundRequest { SurveyRoundId = round.Id })).SurveyRound.ColumnMapping;
        Assert.Equal(("hogar_uuid", "_parent_index", "_index"), (shown.WomenSubmissionIdColumn, shown.WomenParentIndexColumn, shown.ParentIndexColumn));
    }

    [Fact]
    public async Task An_orphan_woman_is_an_error_of_her_row_in_the_women_sheet_and_nothing_is_stored()
    {
        var round = await RoundAsync(S, "2025Q4");
        var before = await App.SnapshotAsync();
        var women = WomenSheet(true, [.. Women4, new KoboWoman("h9", 9, "30", 7)]);

        var refused = await ImportAsync(S, round, MainSheet(Main3), women);
        var error = Assert.Single(refused.Errors);
        Assert.Equal((5, "women_csv:_submission__uuid"), (error.Row, error.Field));
        Assert.Contains("'h9'", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, refused.StoredRows);
        Assert.Equal(before, await App.SnapshotAsync());

        // Asked to store the good rows, the households and their women are stored; the orphan is not.
        var good = await ImportAsync(S, round, MainSheet(Main3), women, ImportMode.GoodRowsOnly);
        Assert.Equal((3, 1), (good.StoredRows, good.Errors.Count));
        Assert.Equal(4, (await MddwAsync(S, S.Manzanares, "2025Q4")).N);
    }

    [Fact]
    public async Task A_refused_woman_refuses_her_household_and_names_her_row()
    {
        var round = await RoundAsync(S, "2025Q4");
        var women = WomenSheet(true, Women4[0], Women4[1] with { Age = "60" }, Women4[2], Women4[3]);

        var result = await ImportAsync(S, round, MainSheet(Main3), women, ImportMode.GoodRowsOnly);
        Assert.Equal([(2, "women_csv:women/MDDWAge"), (3, "*")], result.Errors.Select(e => (e.Row, e.Field)));
        Assert.Contains("women_csv row 2", result.Errors.Single(e => e.Field == "*").Reason, StringComparison.Ordinal);
        // h1 and h2 are stored; h3 is not, nor any of its women.
        Assert.Equal(2, result.StoredRows);
        Assert.Equal("n=1 missing=0 Σw=1 mean=6 [achieved 1 1 100] [not_achieved 0 0 0]", Figures(await MddwAsync(S, S.Manzanares, "2025Q4")));
    }

    [Fact]
    public async Task A_women_sheet_without_a_groups_column_says_so_and_its_women_are_missing()
    {
        var round = await RoundAsync(S, "2025Q4");
        var women = WomenSheet(true, Women4).Replace("\"women/mddw/MDDWEgg\"", "\"women/mddw/huevos\"", StringComparison.Ordinal);
        var result = await ImportAsync(S, round, MainSheet(Main3), women);
        Assert.Empty(result.Errors);
        Assert.Contains("women_csv:MDDWEgg", result.MappedColumnsNotInFile);
        var mddw = await MddwAsync(S, S.Manzanares, "2025Q4");
        Assert.Equal((0, 4), (mddw.N, mddw.NMissing));
    }

    [Fact]
    public async Task A_woman_with_an_unanswered_group_is_missing_not_refused()
    {
        var round = await RoundAsync(S, "2025Q4");
        var result = await ImportAsync(S, round, MainSheet(Main3), WomenSheet(true, Women4[0], Women4[1] with { EggsBlank = true }, Women4[2], Women4[3]));
        Assert.Empty(result.Errors);
        var mddw = await MddwAsync(S, S.Manzanares, "2025Q4");
        Assert.Equal((3, 1), (mddw.N, mddw.NMissing));
        var h3 = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "h3" });
        Assert.Equal(["mddw.eggs"], h3.WomenScores[0].MissingFields);
        Assert.False(h3.WomenScores[0].HasValue);
        Assert.Equal(2, h3.WomenAssessed);
    }

    [Fact]
    public async Task Women_and_MDDW_on_the_households_own_row_is_a_row_error()
    {
        var round = await RoundAsync(S, "2025Q4");
        var before = await App.SnapshotAsync();
        var result = await ImportAsync(S, round, MainSheet(Main3[0], Main3[1] with { OwnMddwAge = "30" }, Main3[2]), WomenSheet(true, Women4));
        var error = Assert.Single(result.Errors);
        Assert.Equal((2, "mddw/MDDWAge"), (error.Row, error.Field));
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task A_household_without_women_that_answers_MDDW_itself_is_one_woman()
    {
        var round = await RoundAsync(S, "2025Q4");
        // h1 answers MDD-W on its own row (6 groups: achieved) and has no woman in the sheet.
        var result = await ImportAsync(S, round, MainSheet(Main3[0] with { OwnMddwAge = "28" }, Main3[1], Main3[2]), WomenSheet(true, Women4));
        Assert.Empty(result.Errors);
        Assert.Equal("n=5 missing=0 Σw=5 mean=4.6 [achieved 3 3 60] [not_achieved 2 2 40]", Figures(await MddwAsync(S, S.Manzanares, "2025Q4")));
        var h1 = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "h1" });
        Assert.Equal((1, 1), (h1.WomenAssessed, h1.WomenAchieving));
        Assert.Contains(h1.Scores, s => s.IndicatorCode == "MDDW" && s.Value == 6);
    }

    [Fact]
    public async Task The_one_row_MDDW_without_a_women_sheet_is_unchanged()
    {
        var round = await RoundAsync(S, "2025Q4");
        var result = await ImportAsync(S, round, MainSheet(Main3[0] with { OwnMddwAge = "28" }, Main3[1], Main3[2]), women: null);
        Assert.Empty(result.Errors);
        // Without a women sheet a household row without MDD-W answers is a household whose MDD-W is missing, as always.
        Assert.Equal("n=1 missing=2 Σw=1 mean=6 [achieved 1 1 100] [not_achieved 0 0 0]", Figures(await MddwAsync(S, S.Manzanares, "2025Q4")));
    }

    [Fact]
    public async Task The_same_two_sheets_again_are_duplicates_and_other_women_are_a_row_error()
    {
        var round = await RoundAsync(S, "2025Q4");
        await ImportAsync(S, round, MainSheet(Main3), WomenSheet(true, Women4));
        var before = await App.SnapshotAsync();

        var again = await ImportAsync(S, round, MainSheet(Main3), WomenSheet(true, Women4));
        Assert.Equal((3, 0, 3), (again.AcceptedRows, again.StoredRows, again.DuplicateRows));
        Assert.Empty(again.Errors);
        Assert.Equal(before, await App.SnapshotAsync());

        // h3 with one woman fewer, h2 with another answer: other content, each a row error; h1 is still a duplicate.
        var changed = await ImportAsync(S, round, MainSheet(Main3), WomenSheet(true, Women4[0] with { Groups = 3 }, Women4[1], Women4[2]), ImportMode.GoodRowsOnly);
        Assert.Equal([(2, "*"), (3, "*")], changed.Errors.Select(e => (e.Row, e.Field)));
        Assert.All(changed.Errors, e => Assert.Contains("other content", e.Reason, StringComparison.Ordinal));
        Assert.Equal((0, 1), (changed.StoredRows, changed.DuplicateRows));
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task A_removed_household_takes_its_women_out_of_every_figure()
    {
        var round = await RoundAsync(S, "2025Q4");
        var stored = await ImportAsync(S, round, MainSheet(Main3), WomenSheet(true, Women4));
        await S.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "h3", Reason = "entrevista repetida" });
        Assert.Equal("n=1 missing=0 Σw=1 mean=6 [achieved 1 1 100] [not_achieved 0 0 0]", Figures(await MddwAsync(S, S.Manzanares, "2025Q4")));

        await S.Facilitator.Surveys.RemoveImportBatchAsync(new RemoveImportBatchRequest { SurveyRoundId = round.Id, ImportBatchId = stored.ImportBatchId, Reason = "otra comunidad" });
        var none = await MddwAsync(S, S.Manzanares, "2025Q4");
        Assert.Equal((0, 0), (none.N, none.NMissing));
    }

    [Fact]
    public async Task Streamed_women_give_the_figures_of_the_two_sheets()
    {
        var fileRound = await RoundAsync(S, "file", weighted: true);
        var weighted = new[] { Main3[0] with { Weight = "3" }, Main3[1] with { Weight = "2" }, Main3[2] with { Weight = "1" } };
        await ImportAsync(S, fileRound, MainSheet(weighted), WomenSheet(true, Women4));
        var streamRound = await RoundAsync(S, "stream", weighted: true);
        var messages = new List<UploadSubmissionsRequest> { new() { Header = new UploadHeader { SurveyRoundId = streamRound.Id } } };
        foreach (var h in weighted)
        {
            var upload = new SubmissionUpload { Id = h.Uuid, Area = h.Community, HouseholdId = $"HH-{h.Uuid}", Weight = h.Weight, InterviewDate = h.Date, Answers = { ["fcs/FCSStap"] = "7" } };
            upload.Women.AddRange(Women4.Index().Where(w => w.Item.ParentIndex == h.Index).Select(w => Upload(w.Item, w.Index + 1)));
            messages.Add(new UploadSubmissionsRequest { Submission = upload });
        }

        var result = (await IngestTests.StreamAsync(S.Facilitator, messages)).Result;
        Assert.Empty(result.Errors);
        Assert.Equal(3, result.StoredRows);

        var fromFile = Figures(await MddwAsync(S, S.Manzanares, "2025Q4", fileRound));
        Assert.Equal("n=4 missing=0 Σw=5 mean=4.6 [achieved 2 3 60] [not_achieved 2 2 40]", fromFile);
        Assert.Equal(fromFile, Figures(await MddwAsync(S, S.Manzanares, "2025Q4", streamRound)));
    }

    [Fact]
    public async Task A_streamed_womans_bad_answer_is_a_row_error_under_women_i()
    {
        var round = await RoundAsync(S, "2025Q4");
        var before = await App.SnapshotAsync();
        var upload = new SubmissionUpload { Id = "s-1", Area = "manzanares", HouseholdId = "h", InterviewDate = "2025-11-03", Answers = { ["fcs/FCSStap"] = "7" } };
        upload.Women.Add(Upload(Women4[0], 1));
        upload.Women.Add(Upload(Women4[1] with { Age = "abc" }, 2));
        var result = (await IngestTests.StreamAsync(S.Facilitator, [new() { Header = new UploadHeader { SurveyRoundId = round.Id } }, new() { Submission = upload }])).Result;
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "women[1]:women/MDDWAge"), (error.Row, error.Field));
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task A_household_of_more_than_50_women_is_a_row_error()
    {
        var round = await RoundAsync(S, "2025Q4");
        var before = await App.SnapshotAsync();
        var upload = new SubmissionUpload { Id = "s-1", Area = "manzanares", HouseholdId = "h", InterviewDate = "2025-11-03", Answers = { ["fcs/FCSStap"] = "7" } };
        upload.Women.AddRange(Enumerable.Range(1, 60).Select(i => Upload(Women4[0], i)));
        var result = (await IngestTests.StreamAsync(S.Facilitator, [new() { Header = new UploadHeader { SurveyRoundId = round.Id } }, new() { Submission = upload }])).Result;
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "*", "has more than 50 women in the repeat group; a household has at most 50"), (error.Row, error.Field, error.Reason));
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task The_export_gives_the_women_sheet_back_and_imports_again_to_the_same_figures()
    {
        var round = await RoundAsync(S, "2025Q4", weighted: true);
        await ImportAsync(S, round, MainSheet(Main3[0] with { Weight = "3" }, Main3[1] with { Weight = "2" }, Main3[2] with { Weight = "1" }), WomenSheet(true, Women4));
        var export = await S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = round.Id });
        var women = export.WomenCsv.ToStringUtf8();
        Assert.StartsWith("\"_submission__uuid\";\"_index\";\"women/MDDWAge\"", women, StringComparison.Ordinal);
        Assert.Equal(5, women.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var copy = await RoundAsync(S, "copia", weighted: true);
        var again = await ImportAsync(S, copy, export.Csv.ToStringUtf8(), women);
        Assert.Empty(again.Errors);
        Assert.Equal(Figures(await MddwAsync(S, S.Manzanares, "2025Q4", round)), Figures(await MddwAsync(S, S.Manzanares, "2025Q4", copy)));
        var h3 = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = copy.Id, SubmissionId = "h3" });
        Assert.Equal([5.0, 4.0, 2.0], h3.WomenScores.Select(w => w.Value));
    }

    [Fact]
    public async Task A_women_sheet_row_that_is_not_csv_refuses_every_household_whatever_the_mode()
    {
        var round = await RoundAsync(S, "2025Q4");
        var before = await App.SnapshotAsync();
        // The third woman's row has one value too few: whose woman she is cannot be known.
        var lines = WomenSheet(true, Women4).Split('\n');
        lines[3] = lines[3][..lines[3].LastIndexOf(';')];
        var result = await ImportAsync(S, round, MainSheet(Main3), string.Join('\n', lines), ImportMode.GoodRowsOnly);
        Assert.Equal((0, 0), (result.AcceptedRows, result.StoredRows));
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "women_csv:*"), (error.Row, error.Field));
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task The_women_sheet_export_keeps_formulas_from_running()
    {
        var round = await RoundAsync(S, "2025Q4");
        var upload = new SubmissionUpload { Id = "s-1", Area = "manzanares", HouseholdId = "h", InterviewDate = "2025-11-03", Answers = { ["fcs/FCSStap"] = "7" } };
        var woman = Upload(Women4[0], 1);
        woman.Answers["women/nota"] = "=HYPERLINK(\"http://x\")";
        upload.Women.Add(woman);
        Assert.Empty((await IngestTests.StreamAsync(S.Facilitator, [new() { Header = new UploadHeader { SurveyRoundId = round.Id } }, new() { Submission = upload }])).Result.Errors);
        var women = (await S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = round.Id })).WomenCsv.ToStringUtf8();
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", women, StringComparison.Ordinal);
        Assert.DoesNotContain(";\"=HYPERLINK", women, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alert_on_MDDW_fires_on_the_share_of_women_and_says_so()
    {
        var rule = (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "MDDW", AreaId = S.Manzanares.Id, Metric = "percent:achieved", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = ComparisonOperator.LessThan, Threshold = "60" },
            },
        })).Rule;

        await ImportAsync(S, await RoundAsync(S, "2025Q4"), MainSheet(Main3), WomenSheet(true, Women4));

        var raised = Assert.Single((await S.Viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = S.Manzanares.Id })).Alerts);
        // 2 of 4 women achieve: 50 %, over 4 women (not the 3 households).
        Assert.Equal((rule.Id, AlertState.Raised, "50", 4), (raised.RuleId, raised.State, raised.ObservedValue, raised.N));
        Assert.Equal("Manzanares (manzanares), 2025Q4: share of women with achieved MDDW was 50 % over 4 women, below 60 %.", raised.Summary);
    }

    [Fact]
    public async Task A_round_without_women_exports_no_women_sheet()
    {
        var round = await RoundAsync(S, "2025Q4");
        await ImportAsync(S, round, MainSheet(Main3), women: null);
        var export = await S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = round.Id });
        Assert.True(export.WomenCsv.IsEmpty);
    }
}
