using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class HouseholdScorerTests
{
    private static AnswerSheet Sheet(params (string Field, string? Value)[] answers) =>
        new(answers.Select(a => KeyValuePair.Create(a.Field, a.Value)));

    [Fact]
    public void Answers_as_exported_text_are_read_and_scored()
    {
        var sheet = Sheet(
            ("rcsi.less_preferred_food", "3"), ("rcsi.borrow_food", "2"), ("rcsi.limit_portions", "1"), ("rcsi.restrict_adults", "1"), ("rcsi.fewer_meals", "4"),
            ("hhs.no_food", "yes"), ("hhs.no_food_frequency", "often"), ("hhs.sleep_hungry", "1"), ("hhs.sleep_hungry_frequency", "2"),
            ("hhs.whole_day", "0"), ("hhs.whole_day_frequency", ""),
            ("mahfp.months_short", "1 2 11"));

        var scores = HouseholdScorer.Score(sheet, FcsCutoffs.Standard2135);

        // rCSI 3 + 4 + 1 + 3 + 4 = 15; HHS often 2 + sometimes 1 + never 0 = 3; MAHFP 12 − 3 = 9
        Assert.Equal(15, scores.Rcsi.Value!.Value);
        Assert.Equal(3, scores.Hhs.Value!.Value);
        Assert.Equal(9, scores.Mahfp.Value!.Months);
        Assert.True(scores.Fcs.IsMissing);
        Assert.Empty(scores.Errors);
    }

    [Fact]
    public void An_unreadable_answer_rejects_the_indicator_naming_the_field()
    {
        var sheet = Sheet(("fcs.pulses", "three"), ("hdds.cereals", "maybe"), ("rcsi.borrow_food", "2.5"));

        var scores = HouseholdScorer.Score(sheet, FcsCutoffs.Standard2135);

        Assert.True(scores.Fcs.IsRejected);
        Assert.Equal(
            ["fcs.pulses: 'three' is not a number", "hdds.cereals: 'maybe' is not yes/no", "rcsi.borrow_food: '2.5' is not a whole number"],
            scores.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_fcs_error_seen_again_by_cari_is_reported_once()
    {
        var scores = HouseholdScorer.Score(Sheet(("fcs.dairy", "8")), FcsCutoffs.Standard2135);

        Assert.True(scores.Cari.IsRejected);
        Assert.Equal("fcs.dairy: must be 0–7 days", Assert.Single(scores.Errors).ToString());
    }

    [Fact]
    public void Values_carry_category_codes_and_null_for_missing()
    {
        var sheet = Sheet(
            ("fies.worried", "yes"), ("fies.healthy", "yes"), ("fies.few_foods", "no"), ("fies.skipped", "no"),
            ("fies.ate_less", "no"), ("fies.ran_out", "no"), ("fies.hungry", "no"), ("fies.whole_day", "no"));

        var values = HouseholdScorer.Score(sheet, FcsCutoffs.Standard2135).Values;

        Assert.Equal(new IndicatorValue("FIES_RAW", 2m, "2"), values.Single(v => v.IndicatorCode == "FIES_RAW"));
        Assert.Equal(new IndicatorValue("FCS", null, null), values.Single(v => v.IndicatorCode == "FCS"));
        Assert.Equal(["FCS", "RCSI", "HDDS", "MDDW", "HHS", "FIES_RAW", "MAHFP", "CARI"], values.Select(v => v.IndicatorCode));
    }

    [Fact]
    public void Blank_answers_are_missing_not_zero()
    {
        var sheet = Sheet(("rcsi.less_preferred_food", ""), ("rcsi.borrow_food", "0"), ("rcsi.limit_portions", "0"), ("rcsi.restrict_adults", "0"), ("rcsi.fewer_meals", " "));

        var rcsi = HouseholdScorer.Score(sheet, FcsCutoffs.Standard2135).Rcsi;

        Assert.Equal(["rcsi.less_preferred_food", "rcsi.fewer_meals"], rcsi.MissingFields);
    }

    [Fact]
    public void Every_standard_indicator_is_listed_with_its_code()
    {
        Assert.Equal(["FCS", "RCSI", "HDDS", "MDDW", "HHS", "FIES_RAW", "MAHFP", "CARI"], HouseholdScorer.Indicators.Select(i => i.Code));
        Assert.Equal(Direction.LowerIsBetter, HouseholdScorer.Find("RCSI")!.Direction);
    }
}
