using Watershed.Indicators.Domain.Aggregation;

namespace Watershed.Indicators.Tests.Domain;

public sealed class PeriodTests
{
    [Theory]
    [InlineData("2026", PeriodType.Year, 0)]
    [InlineData("2026Q1", PeriodType.Quarter, 1)]
    [InlineData("2026Q4", PeriodType.Quarter, 4)]
    [InlineData("202603", PeriodType.Month, 3)]
    [InlineData("202612", PeriodType.Month, 12)]
    public void Dhis2_periods_parse_and_format_back_the_same(string text, PeriodType type, int number)
    {
        var period = Period.Parse(text);

        Assert.Equal((type, 2026, number), (period.Type, period.Year, period.Number));
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2026Q5")]
    [InlineData("2026Q0")]
    [InlineData("202613")]
    [InlineData("202600")]
    [InlineData("2026-03")]
    [InlineData("26")]
    [InlineData("2026W10")]
    [InlineData("")]
    public void Malformed_periods_are_refused(string text)
    {
        Assert.False(Period.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Period.Parse(text));
    }

    [Fact]
    public void Periods_know_their_first_and_last_day()
    {
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31)), (Period.Parse("2026Q1").Start, Period.Parse("2026Q1").End));
        Assert.Equal(new DateOnly(2024, 2, 29), Period.Parse("202402").End);
        Assert.Equal(new DateOnly(2026, 12, 31), Period.Parse("2026").End);
    }

    [Fact]
    public void The_period_containing_a_date_is_found_by_type()
    {
        var date = new DateOnly(2026, 5, 31);

        Assert.Equal("2026Q2", Period.Containing(date, PeriodType.Quarter).ToString());
        Assert.Equal("202605", Period.Containing(date, PeriodType.Month).ToString());
        Assert.True(Period.Parse("2026Q2").Contains(date));
        Assert.False(Period.Parse("2026Q2").Contains(new DateOnly(2026, 7, 1)));
    }

    [Fact]
    public void Periods_with_the_same_text_are_equal() =>
        Assert.Equal(Period.ForQuarter(2026, 1), Period.Parse("2026Q1"));
}
