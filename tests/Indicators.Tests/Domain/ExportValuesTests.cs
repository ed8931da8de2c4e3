using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Tests.Domain;

/// <summary>Values as survey exports write them: skipped questions, dates in a round's format, coping strategies by name.</summary>
public sealed class ExportValuesTests
{
    private static AnswerSheet Sheet(params (string Field, string Value)[] values) =>
        new(values.Select(v => KeyValuePair.Create(v.Field, (string?)v.Value)));

    [Fact]
    public void A_skipped_question_is_unanswered_for_every_kind_of_answer_never_an_unreadable_value()
    {
        var reader = Sheet(("hdds.cereals", "n/a"), ("fcs.pulses", "N/A"), ("hhs.no_food_frequency", " n/a "), ("mahfp.months_short", "n/a"), ("custom.x", "n/a")).Read();

        Assert.Null(reader.YesNo("hdds.cereals"));
        Assert.Null(reader.WholeNumber("fcs.pulses"));
        Assert.Null(reader.Text("hhs.no_food_frequency"));
        Assert.Null(reader.Number("custom.x"));
        Assert.Empty(reader.Errors);
        Assert.True(reader.IsSkipped("hdds.cereals"));
        Assert.False(Sheet(("hdds.cereals", "")).Read().IsSkipped("hdds.cereals"));
    }

    [Fact]
    public void A_frequency_skipped_after_a_no_is_no_error()
    {
        var sheet = Sheet(("hhs.no_food", "0"), ("hhs.no_food_frequency", "n/a"), ("hhs.sleep_hungry", "0"), ("hhs.sleep_hungry_frequency", "n/a"),
            ("hhs.whole_day", "1"), ("hhs.whole_day_frequency", "2"));

        var hhs = HouseholdScorer.Score(sheet, FcsCutoffs.Standard2135).Hhs;

        Assert.Equal(1, hhs.Value!.Value);
    }

    [Fact]
    public void Spanish_yes_and_no_are_read()
    {
        var reader = Sheet(("hdds.cereals", "Sí"), ("hdds.fruits", "si"), ("hdds.meat", "No")).Read();

        Assert.Equal((true, true, false), (reader.YesNo("hdds.cereals"), reader.YesNo("hdds.fruits"), reader.YesNo("hdds.meat")));
    }

    [Fact]
    public void Fcs_n_counts_sub_groups_skipped_under_a_main_group_of_0_days_as_0()
    {
        // Meat, fish and eggs eaten on 0 days: the form skipped their sub-groups. Vegetables on 3 days with a skipped
        // green-leaves sub-group: that sum cannot be known.
        var sheet = Sheet(("fcs.staples", "7"), ("fcs.pulses", "2"), ("fcs.vegetables", "3"), ("fcs.fruit", "0"), ("fcs.meat_fish_eggs", "0"),
            ("fcs.dairy", "1"), ("fcs.sugar", "7"), ("fcs.oil", "7"), ("fcs.condiments", "7"),
            ("fcs.flesh_meat", "n/a"), ("fcs.organ_meat", "n/a"), ("fcs.fish", "n/a"), ("fcs.eggs", "n/a"),
            ("fcs.orange_vegetables", "1"), ("fcs.green_leafy", "n/a"), ("fcs.orange_fruit", "n/a"));

        var fcs = HouseholdScorer.Score(sheet, FcsCutoffs.Standard2135).Fcs.Value!;

        // 14 + 6 + 3 + 0 + 0 + 4 + 3.5 + 3.5 = 34
        Assert.Equal(34m, fcs.Value);
        // Protein = pulses 2 + dairy 1 + 0 + 0 + 0 + 0 = 3; haem iron 0; vitamin A needs the green leaves: unknown.
        Assert.Equal(((int?)null, (int?)3, (int?)0), (fcs.Nutrients.VitaminA, fcs.Nutrients.Protein, fcs.Nutrients.HaemIron));
        Assert.Equal((NutrientFrequency?)NutrientFrequency.Never, fcs.Nutrients.HaemIronFrequency);
    }

    [Theory]
    [InlineData("2025-11-03", InterviewDateFormat.Iso, "2025-11-03")]
    [InlineData("2025-11-03T09:12:00.000-05:00", InterviewDateFormat.Iso, "2025-11-03")]
    [InlineData("2025-11-03 15:10:02", InterviewDateFormat.Iso, "2025-11-03")]
    [InlineData("03/11/2025", InterviewDateFormat.DayMonthYear, "2025-11-03")]
    [InlineData("3.11.2025", InterviewDateFormat.DayMonthYear, "2025-11-03")]
    [InlineData("03-11-2025 08:00", InterviewDateFormat.DayMonthYear, "2025-11-03")]
    [InlineData("11/3/2025", InterviewDateFormat.MonthDayYear, "2025-11-03")]
    // ISO is never mistaken for another format, so it is read whatever the round states.
    [InlineData("2025-11-03", InterviewDateFormat.DayMonthYear, "2025-11-03")]
    [InlineData("03/11/2025", InterviewDateFormat.Iso, null)]
    [InlineData("11/25/2025", InterviewDateFormat.DayMonthYear, null)]
    [InlineData("31/02/2025", InterviewDateFormat.DayMonthYear, null)]
    [InlineData("03/11-2025", InterviewDateFormat.DayMonthYear, null)]
    [InlineData("03/11/25", InterviewDateFormat.DayMonthYear, null)]
    [InlineData("03/11/0000", InterviewDateFormat.DayMonthYear, null)]
    [InlineData("01/01/1899", InterviewDateFormat.DayMonthYear, null)]
    [InlineData("2025-13-01", InterviewDateFormat.Iso, null)]
    public void Interview_dates_are_read_in_the_rounds_format(string text, InterviewDateFormat format, string? expected) =>
        Assert.Equal(expected, InterviewDates.Parse(text, format)?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_round_names_exactly_four_stress_three_crisis_and_three_emergency_strategies()
    {
        var violations = new List<FieldViolation>();
        Assert.Same(LcsStrategies.Default, LcsStrategies.From([], "lcs_strategies", violations));

        var rural = LcsStrategies.From(["lcs.stress.animals", "lcs.stress.saving", "lcs.stress.borrow_cash", "lcs.stress.dom_asset",
            "lcs.crisis.seed", "lcs.crisis.health", "lcs.crisis.out_school", "lcs.emergency.fem_animal", "lcs.emergency.begged", "lcs.emergency.res_asset"], "lcs_strategies", violations);
        Assert.Empty(violations);
        Assert.Equal(["lcs.crisis.seed", "lcs.crisis.health", "lcs.crisis.out_school"], rural!.Crisis);

        Assert.Null(LcsStrategies.From(["lcs.stress.saving", "lcs.crisis.seed"], "lcs_strategies", violations));
        Assert.Equal("lcs_strategies", Assert.Single(violations).Field);
        violations.Clear();
        Assert.Null(LcsStrategies.From(["lcs.stress.saving", "lcs.stress.saving", "lcs.stress.DomAsset", "lcs.panic.x", new string('a', 101)], "lcs_strategies", violations));
        Assert.Equal(["lcs_strategies[1]", "lcs_strategies[2]", "lcs_strategies[3]", "lcs_strategies[4]"], violations.Select(v => v.Field));
    }

    [Fact]
    public void A_strategy_is_read_from_its_wfp_name_its_rural_name_and_its_place_in_earlier_versions()
    {
        var strategies = LcsStrategies.From(["lcs.stress.hh_separation", "lcs.stress.saving", "lcs.stress.borrow_cash", "lcs.stress.dom_asset",
            "lcs.crisis.prod_assets", "lcs.crisis.edu_health", "lcs.crisis.out_school", "lcs.emergency.res_asset", "lcs.emergency.begged", "lcs.emergency.illegal_act"],
            "lcs_strategies", [])!;

        Assert.Equal(["Lcs_stress_HhSeparation", "Lcs_stress_Hh_Separation", "LcsR_stress_HhSeparation", "LcsStress1"], strategies.DefaultColumns("lcs.stress.hh_separation"));
        Assert.Equal(["Lcs_crisis_EduHealth", "Lcs_crisis_Edu_Health", "LcsR_crisis_EduHealth", "LcsCrisis2"], strategies.DefaultColumns("lcs.crisis.edu_health"));
        Assert.Equal(["Lcs_em_Begged", "LcsR_em_Begged", "LcsEm2"], strategies.DefaultColumns("lcs.emergency.begged"));

        // WFP writes HHSeparation and Edu_Health: names match ignoring case.
        var form = FormColumns.Of(null, strategies);
        var columns = form.Resolve(["_uuid", "community_id", "household_id", "interview_date", "Lcs_stress_HHSeparation", "lcs/Lcs_crisis_Edu_Health"]);
        Assert.Equal("Lcs_stress_HHSeparation", columns.Mapping.ColumnOf("lcs.stress.hh_separation"));
        Assert.Equal("lcs/Lcs_crisis_Edu_Health", columns.Mapping.ColumnOf("lcs.crisis.edu_health"));

        // A round's own mapping may still name a strategy by its place, as earlier versions did.
        var legacy = FormColumns.Of(ColumnMapping.Empty with { AnswerColumns = new Dictionary<string, string> { ["lcs.crisis_2"] = "salud_educacion" } }, strategies);
        Assert.Equal("salud_educacion", legacy.Resolve(["salud_educacion"]).Mapping.ColumnOf("lcs.crisis.edu_health"));
    }

    [Fact]
    public void The_default_reads_wfps_current_names_first_and_its_older_ones_after()
    {
        var fields = DefaultColumns.Fields.ToDictionary(f => f.Field, f => f.Columns);

        Assert.Equal(["FCSNPrEggs", "FCSPrEgg"], fields["fcs.eggs"]);
        Assert.Equal(["FCSNFruiOrg", "FCSFruitOrg"], fields["fcs.orange_fruit"]);
        Assert.Equal(["HDDSPrEggs", "HDDSPrEgg"], fields["hdds.eggs"]);
        Assert.Equal(["HHSNoFood", "HHhSNoFood"], fields["hhs.no_food"]);
        Assert.Equal(["HHSNotEat_FR", "HHhSNotEat_FR"], fields["hhs.whole_day_frequency"]);
        Assert.Equal(["Lcs_crisis_ProdAssets", "Lcs_crisis_Prod_Assets", "LcsR_crisis_ProdAssets", "LcsCrisis1"], fields["lcs.crisis.prod_assets"]);
        Assert.Equal(["HHExpFAnimMeat_Purch_MN_7D", "HHExpFMeat_MN_7D"], fields["fes.food_7d.meat_purchased"]);
        Assert.Equal(["HHExpFFrt_GiftAid_MN_7D", "HHExpFFruit_GiftAid_7D"], fields["fes.food_7d.fruit_gift_aid"]);
        Assert.Equal(["HHExpFEgg_Own_MN_7D", "HHExpFEggs_Own_7D"], fields["fes.food_7d.eggs_own_production"]);
        Assert.Equal(["HHExpFCer_CRD_7D"], fields["fes.food_7d.cereals_credit"]);
        Assert.Equal(["HHExpFCer_Purch_MN_1M"], fields["fes.food_30d.cereals_purchased"]);
        Assert.Equal(["HHExpNFDwelSer_GiftAid_MN_1M"], fields["fes.nonfood_30d.dwelling_services_gift_aid"]);
        Assert.Equal(["HHExpNFHHMaint_Purch_MN_6M", "HHExpNFHHMaint_MN_6M"], fields["fes.nonfood_6m.household_maintenance_purchased"]);
        Assert.Equal(["HHExpNFBuild_MN_6M"], fields["fes.nonfood_6m.building_purchased"]);
        // 14 food items × (3 sources over 7 days + the older credit + 3 over 30 days), 10 + 8 non-food items × 2 sources, older rent and building.
        Assert.Equal(14 * 7 + 10 * 2 + 8 * 2 + 2, fields.Keys.Count(k => k.StartsWith("fes.", StringComparison.Ordinal)));
    }
}
