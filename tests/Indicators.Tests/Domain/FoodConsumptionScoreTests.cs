using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class FoodConsumptionScoreTests
{
    // Every main group answered 0 days: a base that tests change one group at a time.
    private static readonly FcsAnswers Nothing = new()
    {
        Staples = 0, Pulses = 0, Vegetables = 0, Fruit = 0, MeatFishEggs = 0, Dairy = 0, Sugar = 0, Oil = 0, Condiments = 0,
    };

    [Fact]
    public void Fcs_of_a_typical_andean_household_is_the_weighted_sum_of_days()
    {
        var answers = Nothing with { Staples = 7, Pulses = 3, Vegetables = 4, Fruit = 1, MeatFishEggs = 2, Dairy = 1, Sugar = 7, Oil = 5, Condiments = 7 };

        var result = FoodConsumptionScore.Score(answers, FcsCutoffs.Standard2135);

        // 7×2 + 3×3 + 4×1 + 1×1 + 2×4 + 1×4 + 7×0.5 + 5×0.5 + 7×0 = 14 + 9 + 4 + 1 + 8 + 4 + 3.5 + 2.5 + 0 = 46
        Assert.Equal(46m, result.Value!.Value);
        Assert.Equal(FcsCategory.Acceptable, result.Value.Category);
        Assert.False(result.Value.QualityFlag);
    }

    [Fact]
    public void Fcs_with_halves_is_exact()
    {
        // 1×0.5 (sugar) + 0 = 0.5 exactly, not 0.49999…
        var result = FoodConsumptionScore.Score(Nothing with { Sugar = 1 }, FcsCutoffs.Standard2135);

        Assert.Equal(0.5m, result.Value!.Value);
    }

    [Fact]
    public void Fcs_with_eight_days_is_rejected_naming_the_group()
    {
        var result = FoodConsumptionScore.Score(Nothing with { MeatFishEggs = 8 }, FcsCutoffs.Standard2135);

        Assert.True(result.IsRejected);
        Assert.Null(result.Value);
        Assert.Equal("fcs.meat_fish_eggs: must be 0–7 days", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Fcs_with_negative_days_is_rejected_and_every_bad_group_is_named()
    {
        var result = FoodConsumptionScore.Score(Nothing with { Pulses = -1, Oil = 9 }, FcsCutoffs.Standard2135);

        Assert.Equal(["fcs.pulses", "fcs.oil"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Fcs_with_one_group_missing_is_missing_not_zero()
    {
        var result = FoodConsumptionScore.Score(Nothing with { Staples = 7, Condiments = null }, FcsCutoffs.Standard2135);

        Assert.True(result.IsMissing);
        Assert.Null(result.Value);
        Assert.Equal(["fcs.condiments"], result.MissingFields);
    }

    [Fact]
    public void Fcs_sums_sub_groups_and_caps_the_group_at_seven_days()
    {
        // Staples from cereals 6 + tubers 5 = 11 → capped at 7 → 7×2 = 14.
        // Meat from flesh 2 + organ 0 + fish 1 + eggs 3 = 6 → 6×4 = 24.
        // Vegetables from orange 1 + green leafy 2 + other 1 = 4 → 4×1 = 4. Fruit from orange 0 + other 2 = 2 → 2.
        // Total 14 + 24 + 4 + 2 = 44.
        var answers = Nothing with
        {
            Staples = null, Cereals = 6, Tubers = 5,
            MeatFishEggs = null, FleshMeat = 2, OrganMeat = 0, Fish = 1, Eggs = 3,
            Vegetables = null, OrangeVegetables = 1, GreenLeafy = 2, OtherVegetables = 1,
            Fruit = null, OrangeFruit = 0, OtherFruit = 2,
        };

        var result = FoodConsumptionScore.Score(answers, FcsCutoffs.Standard2135);

        Assert.Equal(44m, result.Value!.Value);
    }

    [Fact]
    public void Fcs_from_sub_groups_is_missing_when_one_sub_group_is_unanswered()
    {
        var result = FoodConsumptionScore.Score(Nothing with { Staples = null, Cereals = 7 }, FcsCutoffs.Standard2135);

        Assert.True(result.IsMissing);
        Assert.Equal(["fcs.tubers"], result.MissingFields);
    }

    [Fact]
    public void Fcs_sub_group_above_its_main_group_is_rejected()
    {
        var result = FoodConsumptionScore.Score(Nothing with { MeatFishEggs = 2, OrganMeat = 3 }, FcsCutoffs.Standard2135);

        Assert.Equal("fcs.organ_meat: must not exceed fcs.meat_fish_eggs (2 days)", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Fcs_sub_group_with_eight_days_is_rejected_even_when_the_cap_would_hide_it()
    {
        var result = FoodConsumptionScore.Score(Nothing with { Staples = null, Cereals = 8, Tubers = 0 }, FcsCutoffs.Standard2135);

        Assert.Equal("fcs.cereals: must be 0–7 days", Assert.Single(result.Errors).ToString());
    }

    [Theory]
    // 21 = staples 7×2 + pulses 2×3 + vegetables 1×1 = 14 + 6 + 1
    [InlineData(7, 2, 1, 0, 0, 0, "21", FcsCategory.Poor)]
    // 21.5 = 21 + sugar 1×0.5
    [InlineData(7, 2, 1, 1, 0, 0, "21.5", FcsCategory.Borderline)]
    // 35 = staples 7×2 + pulses 7×3 = 14 + 21
    [InlineData(7, 7, 0, 0, 0, 0, "35", FcsCategory.Borderline)]
    // 35.5 = 35 + oil 1×0.5
    [InlineData(7, 7, 0, 0, 1, 0, "35.5", FcsCategory.Acceptable)]
    public void Fcs_categories_with_the_21_35_cutoffs_at_each_boundary(int staples, int pulses, int vegetables, int sugar, int oil, int meat, string expected, FcsCategory category)
    {
        var result = FoodConsumptionScore.Score(
            Nothing with { Staples = staples, Pulses = pulses, Vegetables = vegetables, Sugar = sugar, Oil = oil, MeatFishEggs = meat },
            FcsCutoffs.Standard2135);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Value!.Value);
        Assert.Equal(category, result.Value.Category);
    }

    [Theory]
    // 28 = staples 7×2 + meat 3×4 + vegetables 2×1 = 14 + 12 + 2
    [InlineData(7, 3, 2, 0, 0, "28", FcsCategory.Poor)]
    // 28.5 = 28 + sugar 1×0.5
    [InlineData(7, 3, 2, 1, 0, "28.5", FcsCategory.Borderline)]
    // 42 = staples 7×2 + meat 7×4 = 14 + 28
    [InlineData(7, 7, 0, 0, 0, "42", FcsCategory.Borderline)]
    // 42.5 = 42 + oil 1×0.5
    [InlineData(7, 7, 0, 0, 1, "42.5", FcsCategory.Acceptable)]
    public void Fcs_categories_with_the_28_42_cutoffs_at_each_boundary(int staples, int meat, int vegetables, int sugar, int oil, string expected, FcsCategory category)
    {
        var result = FoodConsumptionScore.Score(
            Nothing with { Staples = staples, MeatFishEggs = meat, Vegetables = vegetables, Sugar = sugar, Oil = oil },
            FcsCutoffs.Alternative2842);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Value!.Value);
        Assert.Equal(category, result.Value.Category);
    }

    [Fact]
    public void Fcs_of_25_is_borderline_with_21_35_but_poor_with_28_42()
    {
        Assert.Equal(FcsCategory.Borderline, FoodConsumptionScore.Categorize(25m, FcsCutoffs.Standard2135));
        Assert.Equal(FcsCategory.Poor, FoodConsumptionScore.Categorize(25m, FcsCutoffs.Alternative2842));
    }

    [Fact]
    public void Fcs_of_38_is_acceptable_with_21_35_but_borderline_with_28_42()
    {
        Assert.Equal(FcsCategory.Acceptable, FoodConsumptionScore.Categorize(38m, FcsCutoffs.Standard2135));
        Assert.Equal(FcsCategory.Borderline, FoodConsumptionScore.Categorize(38m, FcsCutoffs.Alternative2842));
    }

    [Theory]
    // 13.5 = staples 6×2 + sugar 3×0.5 = 12 + 1.5 → flagged (< 14)
    [InlineData(6, 3, 0, 0, true)]
    // 14 = staples 7×2 → not flagged
    [InlineData(7, 0, 0, 0, false)]
    // 100.5 = staples 7×2 + pulses 7×3 + meat 7×4 + dairy 7×4 + vegetables 7×1 + fruit 2×1 + sugar 1×0.5 = 14+21+28+28+7+2+0.5 → flagged (> 100)
    [InlineData(7, 1, 2, 7, true)]
    public void Fcs_below_14_or_above_100_carries_the_data_quality_flag(int staples, int sugar, int fruit, int rich, bool flagged)
    {
        var answers = Nothing with { Staples = staples, Sugar = sugar, Fruit = fruit, Pulses = rich, MeatFishEggs = rich, Dairy = rich, Vegetables = rich };

        var result = FoodConsumptionScore.Score(answers, FcsCutoffs.Standard2135);

        Assert.Equal(flagged, result.Value!.QualityFlag);
    }

    [Fact]
    public void Fcs_n_sums_the_nutrient_rich_sub_groups_and_classes_them()
    {
        var answers = Nothing with
        {
            Staples = 7, Pulses = 2, Dairy = 3,
            MeatFishEggs = 5, FleshMeat = 1, OrganMeat = 0, Fish = 0, Eggs = 4,
            Vegetables = 5, OrangeVegetables = 2, GreenLeafy = 3,
            Fruit = 1, OrangeFruit = 1,
        };

        var nutrients = FoodConsumptionScore.Score(answers, FcsCutoffs.Standard2135).Value!.Nutrients;

        // VitA = dairy 3 + organ 0 + eggs 4 + orange veg 2 + green leafy 3 + orange fruit 1 = 13 → at least daily
        Assert.Equal(13, nutrients.VitaminA);
        Assert.Equal(NutrientFrequency.AtLeastDaily, nutrients.VitaminAFrequency);
        // Protein = pulses 2 + dairy 3 + flesh 1 + organ 0 + fish 0 + eggs 4 = 10 → at least daily
        Assert.Equal(10, nutrients.Protein);
        // HaemIron = flesh 1 + organ 0 + fish 0 = 1 → sometimes
        Assert.Equal(1, nutrients.HaemIron);
        Assert.Equal(NutrientFrequency.Sometimes, nutrients.HaemIronFrequency);
    }

    [Fact]
    public void Fcs_n_is_missing_where_its_sub_groups_were_not_asked()
    {
        var nutrients = FoodConsumptionScore.Score(Nothing with { Staples = 7, Vegetables = 2, MeatFishEggs = 1 }, FcsCutoffs.Standard2135).Value!.Nutrients;

        Assert.Null(nutrients.VitaminA);
        Assert.Null(nutrients.HaemIronFrequency);
    }

    [Fact]
    public void Fcs_n_sub_groups_of_a_main_group_eaten_on_no_day_are_0_as_in_wfps_script()
    {
        var nutrients = FoodConsumptionScore.Score(Nothing with { Staples = 7, Pulses = 2 }, FcsCutoffs.Standard2135).Value!.Nutrients;

        Assert.Equal((0, 2, 0), (nutrients.VitaminA, nutrients.Protein, nutrients.HaemIron));
        Assert.Equal(NutrientFrequency.Never, nutrients.VitaminAFrequency);
    }

    [Theory]
    [InlineData(0, NutrientFrequency.Never)]
    [InlineData(1, NutrientFrequency.Sometimes)]
    [InlineData(6, NutrientFrequency.Sometimes)]
    [InlineData(7, NutrientFrequency.AtLeastDaily)]
    public void Fcs_n_classes_are_0_never_1_to_6_sometimes_7_and_more_daily(int days, NutrientFrequency expected) =>
        Assert.Equal(expected, FcsNutrients.Classify(days));

    [Fact]
    public void Fcs_indicator_describes_itself()
    {
        Assert.Equal("FCS", FoodConsumptionScore.Info.Code);
        Assert.Equal(Direction.HigherIsBetter, FoodConsumptionScore.Info.Direction);
        Assert.Equal(["acceptable", "borderline", "poor"], FoodConsumptionScore.Info.Categories.Select(c => c.Code));
    }
}
