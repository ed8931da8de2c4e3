using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The default mapping reads a real WFP export, values as exports have them (<see cref="WfpExport"/>).</summary>
public sealed class WfpExportTests : PostgresApiTest
{
    private async Task<SurveyRound> RoundAsync(string name, ColumnMapping? mapping = null, params string[] strategies)
    {
        var request = new CreateSurveyRoundRequest { WatershedId = S.Watershed.Id, Name = name, FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping };
        request.LcsStrategies.AddRange(strategies);
        return (await S.Facilitator.Surveys.CreateSurveyRoundAsync(request)).SurveyRound;
    }

    private async Task<Dictionary<string, HouseholdScore>> ScoresAsync(SurveyRound round, string id) =>
        (await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = id })).Scores.ToDictionary(s => s.IndicatorCode);

    private static void AssertTheWorkedHousehold(Dictionary<string, HouseholdScore> scores)
    {
        Assert.Equal((47.5, "acceptable"), (scores["FCS"].Value, scores["FCS"].Category));
        Assert.Equal((6.0, "phase_2"), (scores["RCSI"].Value, scores["RCSI"].Category));
        Assert.Equal(9.0, scores["HDDS"].Value);
        Assert.Equal((3.0, "moderate"), (scores["HHS"].Value, scores["HHS"].Category));
        Assert.Equal((2.0, "marginally_food_secure"), (scores["CARI"].Value, scores["CARI"].Category));
        Assert.Empty(scores["CARI"].MissingFields);
        var nutrition = scores["FCS"].FcsNutrition;
        Assert.Equal((9, NutrientFrequency.AtLeastDaily, 6, NutrientFrequency.Sometimes, 1, NutrientFrequency.Sometimes),
            (nutrition.VitaminADays, nutrition.VitaminA, nutrition.ProteinDays, nutrition.Protein, nutrition.HaemIronDays, nutrition.HaemIron));
        var parts = scores["CARI"].CariParts;
        Assert.Equal((2, 2, "0.6923", 3), (parts.CurrentStatus, parts.LivelihoodCoping, parts.FoodExpenditureShare, parts.FoodExpenditureClass));
    }

    [Fact]
    public async Task The_parts_of_cari_are_shown_when_cari_itself_is_missing()
    {
        // A form without the LCS module: CARI cannot be computed, its current status and food expenditure share can.
        var round = await RoundAsync("sin LCS");
        var lines = WfpExport.Csv("w-4").Split('\n');
        var header = lines[0].Split(';');
        var keep = header.Index().Where(c => !c.Item.Contains("Lcs_", StringComparison.Ordinal)).Select(c => c.Index).ToList();
        var csv = string.Join(';', keep.Select(i => header[i])) + "\n" + string.Join(';', keep.Select(i => lines[1].Split(';')[i])) + "\n";

        await S.ImportAsync(round, csv);

        var cari = (await ScoresAsync(round, "w-4"))["CARI"];
        Assert.False(cari.HasValue);
        Assert.Equal(10, cari.MissingFields.Count(f => f.StartsWith("lcs.", StringComparison.Ordinal)));
        Assert.Equal((2, false, "0.6923", 3), (cari.CariParts.CurrentStatus, cari.CariParts.HasLivelihoodCoping, cari.CariParts.FoodExpenditureShare, cari.CariParts.FoodExpenditureClass));
    }

    [Fact]
    public async Task A_kobo_export_of_a_wfp_form_is_scored_by_the_default_mapping()
    {
        var round = await RoundAsync("Línea de base");

        var result = await S.ImportAsync(round, WfpExport.Csv("w-1"));

        Assert.Empty(result.Errors);
        Assert.Equal((1, 1), (result.AcceptedRows, result.StoredRows));
        // Kobo's own columns are no questions; the form's free note is read by nothing, and says so.
        Assert.Equal(["observaciones", "start"], result.UnmappedColumns);
        var stored = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "w-1" });
        // "Manzanares" is the community coded "manzanares"; no weight column: an unweighted survey.
        Assert.Equal((S.Manzanares.Id, false), (stored.Submission.AreaId, stored.Submission.HasWeight));
        AssertTheWorkedHousehold(await ScoresAsync(round, "w-1"));
    }

    [Fact]
    public async Task An_export_under_the_older_codebook_names_scores_the_same()
    {
        var round = await RoundAsync("Línea de base");

        var result = await S.ImportAsync(round, WfpExport.Csv("w-2", olderNames: true));

        Assert.Empty(result.Errors);
        Assert.Equal(["observaciones", "start"], result.UnmappedColumns);
        AssertTheWorkedHousehold(await ScoresAsync(round, "w-2"));
    }

    [Fact]
    public async Task A_round_asks_its_own_coping_strategies_and_reads_them_by_their_wfp_names()
    {
        // A rural form: the round's crisis strategies include consuming seed stocks (LcsR_crisis_Seed) and selling more
        // animals than usual (LcsR_crisis_Animals); the household exhausted the seed (20).
        var round = await RoundAsync("rural", null,
            "lcs.stress.dom_asset", "lcs.stress.saving", "lcs.stress.borrow_cash", "lcs.stress.hh_separation",
            "lcs.crisis.seed", "lcs.crisis.animals", "lcs.crisis.out_school",
            "lcs.emergency.res_asset", "lcs.emergency.begged", "lcs.emergency.illegal_act");
        var csv = WfpExport.Csv("w-3")
            .Replace("\"lcs/Lcs_stress_Utilities\"", "\"lcs/Lcs_stress_HHSeparation\"", StringComparison.Ordinal)
            .Replace("\"lcs/Lcs_crisis_ProdAssets\"", "\"lcs/LcsR_crisis_Seed\"", StringComparison.Ordinal)
            .Replace("\"lcs/Lcs_crisis_Health\"", "\"lcs/LcsR_crisis_Animals\"", StringComparison.Ordinal);
        // The seed column holds the crisis answer "10" in the worked household: make it exhausted (20).
        var lines = csv.Split('\n');
        var header = lines[0].Split(';');
        var cells = lines[1].Split(';');
        cells[Array.IndexOf(header, "\"lcs/LcsR_crisis_Seed\"")] = "\"20\"";
        csv = lines[0] + "\n" + string.Join(';', cells) + "\n";

        var result = await S.ImportAsync(round, csv);

        Assert.Empty(result.Errors);
        Assert.Empty(result.MappedColumnsNotInFile);
        var shown = (await S.Viewer.Surveys.GetSurveyRoundAsync(new GetSurveyRoundRequest { SurveyRoundId = round.Id })).SurveyRound;
        Assert.Equal("lcs.crisis.seed", shown.LcsStrategies[4]);
        // LCS crisis (3) with FES 3: mean(2, mean(3, 3)) = 2.5 → 3, moderately food insecure (halves round up).
        var cari = (await ScoresAsync(round, "w-3"))["CARI"];
        Assert.Equal((3.0, "moderately_food_insecure"), (cari.Value, cari.Category));
    }

    [Fact]
    public async Task A_round_that_states_day_month_year_reads_its_dates_so_and_still_reads_iso_dates()
    {
        var mapping = new ColumnMapping { InterviewDateFormat = InterviewDateFormat.DayMonthYear };
        var round = await RoundAsync("fechas", mapping);

        var result = await S.ImportAsync(round,
            WfpExport.Csv("d-1", date: "03/11/2025")
            + WfpExport.Csv("d-2", date: "2025-11-04").Split('\n')[1] + "\n"
            + WfpExport.Csv("d-3", date: "11/25/2025").Split('\n')[1] + "\n",
            ImportMode.GoodRowsOnly);

        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "interview_date", "'11/25/2025' is not a date (dd/MM/yyyy) in the years 1900–2199"), (error.Row, error.Field, error.Reason));
        var stored = await S.Facilitator.Surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = round.Id });
        Assert.Equal([("d-1", "2025-11-03"), ("d-2", "2025-11-04")], stored.Submissions.Select(s => (s.Id, s.InterviewDate)));
        var shown = (await S.Viewer.Surveys.GetSurveyRoundAsync(new GetSurveyRoundRequest { SurveyRoundId = round.Id })).SurveyRound;
        Assert.Equal(InterviewDateFormat.DayMonthYear, shown.ColumnMapping.InterviewDateFormat);
    }

    [Fact]
    public async Task A_round_that_names_its_weight_column_requires_a_weight_on_every_row()
    {
        var round = await RoundAsync("ponderada", new ColumnMapping { WeightColumn = "peso" });

        var result = await S.ImportAsync(round, WfpExport.Csv("p-1"));

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "peso", "is required: the survey is weighted"), (error.Row, error.Field, error.Reason));
        Assert.Equal(0, result.StoredRows);
    }
}
