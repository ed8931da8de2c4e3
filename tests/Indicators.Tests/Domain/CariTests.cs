using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class CariTests
{
    private static readonly FcsAnswers Fcs46 = new()
    {
        // 7×2 + 3×3 + 4×1 + 1×1 + 2×4 + 1×4 + 7×0.5 + 5×0.5 + 0 = 46 → acceptable
        Staples = 7, Pulses = 3, Vegetables = 4, Fruit = 1, MeatFishEggs = 2, Dairy = 1, Sugar = 7, Oil = 5, Condiments = 7,
    };

    private static readonly LcsAnswers NoCoping = new(
        Stress(CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded),
        Crisis(CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded),
        Emergency(CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded));

    // Food 70 a week → 70 × 30/7 = 300 a month; non-food 200 a month + 600 / 6 = 300 a month → FES = 300 / 600 = 0.5
    private static readonly FesAnswers HalfOnFood = new(
        [new ExpenseItem("fes.food_7d.cereals_purchased", 50m), new ExpenseItem("fes.food_7d.cereals_own_production", 20m)],
        [],
        [new ExpenseItem("fes.nonfood_30d.transport_purchased", 200m)],
        [new ExpenseItem("fes.nonfood_6m.education_fees_purchased", 600m)]);

    /// <summary>Answers to WFP's standard strategies of one severity, in the order <see cref="LcsStrategies.Default"/> lists them.</summary>
    private static CopingChoice[] Stress(params CopingAnswer?[] answers) => [.. LcsStrategies.Default.Stress.Zip(answers, (f, a) => new CopingChoice(f, a))];

    private static CopingChoice[] Crisis(params CopingAnswer?[] answers) => [.. LcsStrategies.Default.Crisis.Zip(answers, (f, a) => new CopingChoice(f, a))];

    private static CopingChoice[] Emergency(params CopingAnswer?[] answers) => [.. LcsStrategies.Default.Emergency.Zip(answers, (f, a) => new CopingChoice(f, a))];

    [Theory]
    // mean(2, mean(3, 3)) = 2.5 → 3, half up (banker's rounding would give 2)
    [InlineData(2, 3, 3, 3)]
    // mean(1, mean(2, 2)) = 1.5 → 2, half up
    [InlineData(1, 2, 2, 2)]
    // mean(3, mean(4, 4)) = 3.5 → 4 (banker's would also give 4)
    [InlineData(3, 4, 4, 4)]
    // mean(2, mean(2, 1)) = 1.75 → 2
    [InlineData(2, 2, 1, 2)]
    // mean(1, mean(1, 2)) = 1.25 → 1
    [InlineData(1, 1, 2, 1)]
    [InlineData(1, 1, 1, 1)]
    [InlineData(4, 4, 4, 4)]
    public void Cari_rounds_the_mean_half_up(int currentStatus, int livelihoodCoping, int fesClass, int expected) =>
        Assert.Equal(expected, Cari.Combine(currentStatus, livelihoodCoping, fesClass));

    [Theory]
    [InlineData("0.4999", 1)]
    [InlineData("0.50", 2)]
    [InlineData("0.6499", 2)]
    [InlineData("0.65", 3)]
    [InlineData("0.7499", 3)]
    [InlineData("0.75", 4)]
    [InlineData("1", 4)]
    public void Fes_classes_at_each_boundary(string share, int expected) =>
        Assert.Equal(expected, Cari.FesClass(decimal.Parse(share, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Fes_converts_7_day_food_and_6_month_non_food_to_a_month()
    {
        var result = Cari.FoodExpenditureShare(HalfOnFood);

        Assert.Equal(0.5m, result.Value!.Share);
        Assert.Equal(2, result.Value.Class);
    }

    [Fact]
    public void Fes_of_exactly_three_quarters_is_class_4()
    {
        // food 140 a week → 600 a month; non-food 200 a month → 600 / 800 = 0.75
        var answers = new FesAnswers([new ExpenseItem("fes.food_7d.cereals_purchased", 140m)], [], [new ExpenseItem("fes.nonfood_30d.transport_purchased", 200m)], []);

        var result = Cari.FoodExpenditureShare(answers);

        Assert.Equal(0.75m, result.Value!.Share);
        Assert.Equal(4, result.Value.Class);
    }

    [Fact]
    public void Fes_adds_30_day_food_values_as_they_are()
    {
        // 7-day 70 → 300 a month, plus 300 over the month = 600 food; non-food 200 → 600 / 800 = 0.75
        var answers = new FesAnswers([new ExpenseItem("fes.food_7d.cereals_purchased", 70m)], [new ExpenseItem("fes.food_30d.meat_purchased", 300m)],
            [new ExpenseItem("fes.nonfood_30d.transport_purchased", 200m)], []);

        Assert.Equal(0.75m, Cari.FoodExpenditureShare(answers).Value!.Share);
    }

    [Fact]
    public void Fes_is_missing_when_the_form_asks_no_food_or_no_non_food_or_every_item_is_0()
    {
        Assert.Equal(["fes.food_7d.*"], Cari.FoodExpenditureShare(HalfOnFood with { Food7Days = [] }).MissingFields);
        Assert.Equal(["fes.nonfood_30d.*"], Cari.FoodExpenditureShare(HalfOnFood with { NonFood30Days = [], NonFood6Months = [] }).MissingFields);
        var nothing = new FesAnswers([new ExpenseItem("fes.food_7d.cereals_purchased", 0m)], [], [new ExpenseItem("fes.nonfood_30d.transport_purchased", 0m)], []);
        Assert.Equal([Cari.AllExpenditure], Cari.FoodExpenditureShare(nothing).MissingFields);
    }

    [Fact]
    public void Fes_reads_a_blank_or_skipped_item_as_0_as_wfp_does()
    {
        var sheet = new AnswerSheet([
            KeyValuePair.Create("fes.food_7d.cereals_purchased", (string?)"140"), KeyValuePair.Create("fes.food_7d.meat_purchased", (string?)""),
            KeyValuePair.Create("fes.nonfood_30d.transport_purchased", (string?)"200"), KeyValuePair.Create("fes.nonfood_6m.rent_purchased", (string?)"n/a")]);

        var answers = FesAnswers.Read(sheet.Read());

        Assert.Equal([140m, 0m], answers.Food7Days.Select(i => i.Amount));
        Assert.Equal(0m, Assert.Single(answers.NonFood6Months).Amount);
        Assert.Equal(0.75m, Cari.FoodExpenditureShare(answers).Value!.Share);
    }

    [Fact]
    public void Fes_with_a_negative_amount_is_rejected_naming_the_item()
    {
        var answers = HalfOnFood with { Food7Days = [new ExpenseItem("fes.food_7d.cereals_purchased", -5m)] };

        Assert.Equal("fes.food_7d.cereals_purchased", Assert.Single(Cari.FoodExpenditureShare(answers).Errors).Field);
    }

    [Theory]
    [InlineData(FcsCategory.Acceptable, 3, 1)]
    [InlineData(FcsCategory.Acceptable, 4, 2)]
    [InlineData(FcsCategory.Borderline, 0, 3)]
    [InlineData(FcsCategory.Poor, 0, 4)]
    public void Current_status_comes_from_fcs_and_rcsi(FcsCategory category, int rcsi, int expected) =>
        Assert.Equal(expected, Cari.CurrentStatus(category, rcsi));

    [Fact]
    public void Livelihood_coping_takes_the_most_severe_strategy_used_or_exhausted()
    {
        Assert.Equal(1, Cari.LivelihoodCoping(NoCoping).Value!.Class);
        Assert.Equal(2, Cari.LivelihoodCoping(NoCoping with { Stress = Stress(CopingAnswer.Yes, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded) }).Value!.Class);
        Assert.Equal(3, Cari.LivelihoodCoping(NoCoping with { Crisis = Crisis(CopingAnswer.NoNotNeeded, CopingAnswer.NoExhausted, CopingAnswer.NoNotNeeded) }).Value!.Class);
        Assert.Equal(4, Cari.LivelihoodCoping(NoCoping with
        {
            Stress = Stress(CopingAnswer.Yes, CopingAnswer.Yes, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded),
            Emergency = Emergency(CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded, CopingAnswer.Yes),
        }).Value!.Class);
    }

    [Fact]
    public void Livelihood_coping_not_applicable_counts_as_not_used()
    {
        var answers = NoCoping with { Emergency = Emergency(CopingAnswer.NotApplicable, CopingAnswer.NotApplicable, CopingAnswer.NotApplicable) };

        Assert.Equal(1, Cari.LivelihoodCoping(answers).Value!.Class);
    }

    [Fact]
    public void Cari_of_a_household_combines_its_three_parts()
    {
        // FCS 46 acceptable with rCSI 15 ≥ 4 → CS 2; a crisis strategy exhausted → LCS 3; FES 0.5 → 2.
        // CARI = mean(2, mean(3, 2)) = mean(2, 2.5) = 2.25 → 2 (marginally food secure).
        var answers = new CariAnswers(
            Fcs46,
            new RcsiAnswers(3, 2, 1, 1, 4),
            NoCoping with { Crisis = Crisis(CopingAnswer.NoExhausted, CopingAnswer.NoNotNeeded, CopingAnswer.NoNotNeeded) },
            HalfOnFood);

        var result = Cari.Score(answers).Value!;

        Assert.Equal((2, 3, 2), (result.CurrentStatus, result.LivelihoodCoping, result.FoodExpenditure.Class));
        Assert.Equal(2.25m, result.Unrounded);
        Assert.Equal(2, result.Class);
        Assert.Equal("marginally_food_secure", Cari.CategoryCode(result.Class));
    }

    [Fact]
    public void Cari_uses_the_21_35_fcs_cutoffs_whatever_the_survey_uses()
    {
        // FCS 25 = staples 7×2 + pulses 1×3 + meat 2×4 = 14 + 3 + 8: poor with 28/42 but borderline with 21/35.
        var fcs25 = new FcsAnswers { Staples = 7, Pulses = 1, Vegetables = 0, Fruit = 0, MeatFishEggs = 2, Dairy = 0, Sugar = 0, Oil = 0, Condiments = 0 };
        Assert.Equal(FcsCategory.Poor, FoodConsumptionScore.Score(fcs25, FcsCutoffs.Alternative2842).Value!.Category);

        var result = Cari.Score(new CariAnswers(fcs25, new RcsiAnswers(0, 0, 0, 0, 0), NoCoping, HalfOnFood)).Value!;

        // CS 3 (borderline), LCS 1, FES 2: mean(3, mean(1, 2)) = mean(3, 1.5) = 2.25 → 2
        Assert.Equal(3, result.CurrentStatus);
        Assert.Equal(2, result.Class);
    }

    [Fact]
    public void Cari_is_missing_when_a_coping_answer_is_missing()
    {
        var answers = new CariAnswers(Fcs46, new RcsiAnswers(0, 0, 0, 0, 0), NoCoping with { Crisis = Crisis(CopingAnswer.Yes, null, CopingAnswer.Yes) }, HalfOnFood);

        var result = Cari.Score(answers);

        Assert.True(result.IsMissing);
        Assert.Equal(["lcs.crisis.health"], result.MissingFields);
    }

    [Theory]
    [InlineData("30", CopingAnswer.Yes)]
    [InlineData("yes", CopingAnswer.Yes)]
    [InlineData("20", CopingAnswer.NoExhausted)]
    [InlineData("10", CopingAnswer.NoNotNeeded)]
    [InlineData("9999", CopingAnswer.NotApplicable)]
    // A non-standard code some forms use for "not applicable", and a question the form skipped: WFP counts only 20 and 30.
    [InlineData("999", CopingAnswer.NotApplicable)]
    [InlineData("n/a", CopingAnswer.NotApplicable)]
    [InlineData("N/A", CopingAnswer.NotApplicable)]
    [InlineData("", null)]
    public void A_coping_answer_is_read_as_wfp_codes_it(string text, CopingAnswer? expected)
    {
        var strategies = LcsStrategies.Default;
        var reader = new AnswerSheet(strategies.All.Select(f => KeyValuePair.Create(f, (string?)(f == "lcs.crisis.health" ? text : "10")))).Read();

        var answers = LcsAnswers.Read(reader, strategies);

        Assert.Empty(reader.Errors);
        Assert.Equal(expected, answers.Crisis[1].Answer);
    }

    [Fact]
    public void A_coping_answer_that_is_no_code_is_rejected_naming_its_strategy()
    {
        var reader = new AnswerSheet(LcsStrategies.Default.All.Select(f => KeyValuePair.Create(f, (string?)(f == "lcs.stress.saving" ? "99" : "10")))).Read();

        LcsAnswers.Read(reader, LcsStrategies.Default);

        Assert.Equal("lcs.stress.saving", Assert.Single(reader.Errors).Field);
    }
}
