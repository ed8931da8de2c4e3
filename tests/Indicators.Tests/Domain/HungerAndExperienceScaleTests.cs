using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class HungerAndExperienceScaleTests
{
    private static readonly FiesAnswers AllNo = new()
    {
        Worried = false, Healthy = false, FewFoods = false, Skipped = false, AteLess = false, RanOut = false, Hungry = false, WholeDay = false,
    };

    [Fact]
    public void Hhs_scores_rarely_and_sometimes_1_and_often_2()
    {
        // no food: sometimes → 1; sleep hungry: often → 2; whole day: never → 0. Total 3 → moderate.
        var result = HouseholdHungerScale.Score(new HhsAnswers(
            HhsQuestion.Happened(HhsFrequency.Sometimes),
            HhsQuestion.Happened(HhsFrequency.Often),
            HhsQuestion.Never));

        Assert.Equal(3, result.Value!.Value);
        Assert.Equal(HungerCategory.Moderate, result.Value.Category);
    }

    [Fact]
    public void Hhs_is_6_when_all_three_happen_often()
    {
        var often = HhsQuestion.Happened(HhsFrequency.Often);

        var result = HouseholdHungerScale.Score(new HhsAnswers(often, often, often));

        // 2 + 2 + 2 = 6 → severe
        Assert.Equal(6, result.Value!.Value);
        Assert.Equal(HungerCategory.Severe, result.Value.Category);
    }

    [Theory]
    [InlineData(0, HungerCategory.LittleToNone)]
    [InlineData(1, HungerCategory.LittleToNone)]
    [InlineData(2, HungerCategory.Moderate)]
    [InlineData(3, HungerCategory.Moderate)]
    [InlineData(4, HungerCategory.Severe)]
    [InlineData(6, HungerCategory.Severe)]
    public void Hhs_categories_at_each_boundary(int hhs, HungerCategory expected) =>
        Assert.Equal(expected, HouseholdHungerScale.Categorize(hhs));

    [Fact]
    public void Hhs_yes_without_frequency_is_rejected_naming_the_frequency_field()
    {
        var result = HouseholdHungerScale.Score(new HhsAnswers(new HhsQuestion(true, null), HhsQuestion.Never, HhsQuestion.Never));

        Assert.Equal("hhs.no_food_frequency: is required when hhs.no_food is yes", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Hhs_no_with_a_frequency_is_rejected()
    {
        var result = HouseholdHungerScale.Score(new HhsAnswers(HhsQuestion.Never, new HhsQuestion(false, HhsFrequency.Rarely), HhsQuestion.Never));

        Assert.Equal("hhs.sleep_hungry_frequency", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Hhs_with_an_unanswered_question_is_missing()
    {
        var result = HouseholdHungerScale.Score(new HhsAnswers(HhsQuestion.Never, HhsQuestion.Never, new HhsQuestion(null, null)));

        Assert.Equal(["hhs.whole_day"], result.MissingFields);
    }

    [Fact]
    public void Fies_raw_score_counts_the_yes_answers()
    {
        var result = FoodInsecurityExperienceScale.Score(AllNo with { Worried = true, FewFoods = true, AteLess = true });

        Assert.Equal(3, result.Value!.RawScore);
    }

    [Fact]
    public void Fies_with_a_missing_item_is_missing()
    {
        var result = FoodInsecurityExperienceScale.Score(AllNo with { Hungry = null });

        Assert.Equal(["fies.hungry"], result.MissingFields);
    }

    [Fact]
    public void Fies_reports_raw_scores_0_to_8_as_its_categories()
    {
        Assert.Equal("FIES_RAW", FoodInsecurityExperienceScale.Info.Code);
        Assert.Equal(9, FoodInsecurityExperienceScale.Info.Categories.Count);
    }

    [Fact]
    public void Mahfp_is_12_minus_the_months_without_enough_food()
    {
        // 12 − 3 (January, February, November) = 9
        Assert.Equal(9, MonthsOfAdequateFoodProvisioning.Score(new MahfpAnswers([1, 2, 11])).Value!.Months);
        Assert.Equal(12, MonthsOfAdequateFoodProvisioning.Score(new MahfpAnswers([])).Value!.Months);
    }

    [Fact]
    public void Mahfp_rejects_month_13_and_a_month_listed_twice()
    {
        var result = MonthsOfAdequateFoodProvisioning.Score(new MahfpAnswers([13, 2, 2]));

        Assert.Equal(
            ["mahfp.months_short: month 13 is not 1–12", "mahfp.months_short: month 2 is listed more than once"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Mahfp_unanswered_is_missing_not_twelve()
    {
        var result = MonthsOfAdequateFoodProvisioning.Score(new MahfpAnswers((IReadOnlyList<int>?)null));

        Assert.True(result.IsMissing);
    }
}
