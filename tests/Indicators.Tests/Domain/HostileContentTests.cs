using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;

namespace Watershed.Indicators.Tests.Domain;

/// <summary>The domain's rules on hostile content: bounds that keep arithmetic inside the decimal type, periods at the edge of time, spreadsheet cells.</summary>
public sealed class HostileContentTests
{
    [Theory]
    [InlineData("9999", "9999-01-01", "9999-12-31")]
    [InlineData("9999Q4", "9999-10-01", "9999-12-31")]
    [InlineData("999912", "9999-12-01", "9999-12-31")]
    [InlineData("2028Q1", "2028-01-01", "2028-03-31")]
    [InlineData("202802", "2028-02-01", "2028-02-29")]
    public void A_period_ends_on_its_last_day_even_at_the_end_of_time(string text, string start, string end)
    {
        var period = Period.Parse(text);
        Assert.Equal((DateOnly.Parse(start), DateOnly.Parse(end)), (period.Start, period.End));
    }

    [Fact]
    public void A_range_is_counted_before_it_is_listed_and_never_steps_past_its_end()
    {
        Assert.Equal(9999, Period.Count(Period.Parse("0001"), Period.Parse("9999")));
        Assert.Equal(3600, Period.Count(Period.Parse("190001"), Period.Parse("219912")));
        Assert.Equal(-2, Period.Count(Period.Parse("2026Q4"), Period.Parse("2026Q1")));
        Assert.Equal(["9999Q3", "9999Q4"], Period.Range(Period.Parse("9999Q3"), Period.Parse("9999Q4")).Select(p => p.ToString()));
        Assert.Empty(Period.Range(Period.Parse("2026Q4"), Period.Parse("2026Q1")));
        Assert.Equal((false, true, true, false), (Period.Parse("1899").IsInReportingYears, Period.Parse("1900Q1").IsInReportingYears,
            Period.Parse("219912").IsInReportingYears, Period.Parse("2200").IsInReportingYears));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x.test\")", "'=HYPERLINK(\"http://x.test\")")]
    [InlineData("+SUM(1,1)", "'+SUM(1,1)")]
    [InlineData("@SUM(1,1)", "'@SUM(1,1)")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "'\r=1+1")]
    [InlineData("\n=1+1", "'\n=1+1")]
    [InlineData("-1e5", "'-1e5")]
    [InlineData("-", "'-")]
    [InlineData("-5", "-5")]
    [InlineData("+2.25", "+2.25")]
    [InlineData("Papa = 3", "Papa = 3")]
    [InlineData("", "")]
    public void A_text_cell_a_spreadsheet_would_evaluate_gets_a_quote_in_front(string cell, string written) =>
        Assert.Equal(written, SpreadsheetCells.Text(cell));

    [Theory]
    [InlineData("1000000000000", true)]
    [InlineData("-1000000000000", true)]
    [InlineData("1000000000000.5", false)]
    [InlineData("79228162514264337593543950335", false)]
    public void A_numeric_answer_lies_within_ten_to_the_twelfth(string answer, bool read)
    {
        var reader = new AnswerSheet([KeyValuePair.Create("custom.x", (string?)answer)]).Read();
        Assert.Equal(read, reader.Number("custom.x") is not null);
        Assert.Equal(read ? 0 : 1, reader.Errors.Count);
    }

    [Fact]
    public void An_expenditure_beyond_the_bound_is_an_error_of_its_answer_not_an_overflow()
    {
        var reader = new AnswerSheet([KeyValuePair.Create("fes.food_7d.cereals_purchased", (string?)"79228162514264337593543950335"), KeyValuePair.Create("fes.nonfood_30d.soap", (string?)"1")]).Read();
        FesAnswers.Read(reader);
        // The reader rejects the value; the household's CARI is rejected with it (HouseholdScorer refuses a sheet with reader errors).
        Assert.Equal(["fes.food_7d.cereals_purchased"], reader.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Households_stored_beyond_the_bounds_count_as_missing_and_the_sums_cannot_overflow()
    {
        var march = new DateOnly(2026, 3, 10);
        HouseholdObservation[] households =
        [
            new("FCS", "h1", "c1", march, decimal.MaxValue, 20m, "poor"),
            new("FCS", "h2", "c1", march, SurveyWeights.MaxWeight, 50m, "acceptable"),
            new("FCS", "h3", "c1", march, 1m, decimal.MaxValue, "acceptable"),
            new("FCS", "h4", "c1", march, 0m, 30m, "borderline"),
        ];

        var figure = IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Period.Parse("2026Q1"), households);

        Assert.Equal((1, 3, SurveyWeights.MaxWeight, 50m), (figure.N, figure.NMissing, figure.SumOfWeights, figure.Mean));
    }

    [Fact]
    public void Progress_towards_a_target_a_hair_above_its_baseline_is_finite()
    {
        var target = PlanTarget.Create(Guid.NewGuid(), Guid.NewGuid(), FoodConsumptionScore.Info, Guid.NewGuid(), AggregateMetric.Mean, null,
            new Baseline(0m, Period.Parse("2025Q4")), new Target(0.0000000000000000000000000001m, new DateOnly(2028, 12, 31)), DateTimeOffset.UnixEpoch);

        var progress = target.Progress(decimal.MaxValue);

        Assert.Equal((double)decimal.MaxValue * 1e30, progress.Percent!.Value, 1e45);
        var opposite = PlanTarget.Create(Guid.NewGuid(), Guid.NewGuid(), FoodConsumptionScore.Info, Guid.NewGuid(), AggregateMetric.Mean, Direction.LowerIsBetter,
            new Baseline(decimal.MaxValue, Period.Parse("2025Q4")), new Target(decimal.MinValue, new DateOnly(2028, 12, 31)), DateTimeOffset.UnixEpoch);
        Assert.Equal(50.0, opposite.Progress(0m).Percent!.Value, 9);
    }

    [Fact]
    public void A_mapping_names_a_column_that_is_not_one_short_line_and_a_key_it_cannot_quote_as_a_whole()
    {
        var mapping = FormColumns.Default.Primary with
        {
            AreaColumn = "community\0",
            HouseholdColumn = new string('h', 201),
            AnswerColumns = new Dictionary<string, string> { ["fcs.staples"] = "st\vap", [new string('k', 101)] = "x", ["fcs.bogus"] = "y" },
        };

        Assert.Equal(["area_column", "household_column", "answer_columns[fcs.bogus]", "answer_columns[fcs.staples]", "answer_columns"],
            mapping.Validate().Select(v => v.Field));
    }

    [Fact]
    public void A_dhis2_mapping_names_a_key_it_cannot_quote_as_a_whole_and_quotes_at_most_forty_characters()
    {
        var mapping = new Dhis2Mapping(
            [new Dhis2ElementMapping("FCS\0", "percent:" + new string('p', 100), new string('d', 5000))],
            new Dictionary<string, string> { [new string('a', 5000)] = "OuManzana01" });

        var violations = mapping.Validate();

        Assert.Equal(["elements[0].indicator_code", "elements[0].metric", "elements[0].data_element", "org_units"], violations.Select(v => v.Field));
        Assert.All(violations, v => Assert.True(v.Description.Length < 200, v.Description));
    }
}
