using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class ReducedCopingStrategiesIndexTests
{
    [Fact]
    public void Rcsi_is_the_weighted_sum_of_days()
    {
        // less preferred 3×1 + borrow 2×2 + portions 1×1 + adults 1×3 + fewer meals 4×1 = 3 + 4 + 1 + 3 + 4 = 15
        var result = ReducedCopingStrategiesIndex.Score(new RcsiAnswers(3, 2, 1, 1, 4));

        Assert.Equal(15, result.Value!.Value);
        Assert.Equal(2, result.Value.Phase);
    }

    [Fact]
    public void Rcsi_is_56_when_every_strategy_is_used_every_day()
    {
        // 7 × (1 + 2 + 1 + 3 + 1) = 7 × 8 = 56
        Assert.Equal(56, ReducedCopingStrategiesIndex.Score(new RcsiAnswers(7, 7, 7, 7, 7)).Value!.Value);
    }

    [Theory]
    // 3 = less preferred 3×1
    [InlineData(3, 0, 0, 3, 1)]
    // 4 = less preferred 4×1
    [InlineData(4, 0, 0, 4, 2)]
    // 18 = less preferred 6×1 + borrow 3×2 + adults 2×3 = 6 + 6 + 6
    [InlineData(6, 3, 2, 18, 2)]
    // 19 = less preferred 7×1 + borrow 3×2 + adults 2×3 = 7 + 6 + 6
    [InlineData(7, 3, 2, 19, 3)]
    public void Rcsi_phases_at_each_boundary(int lessPreferred, int borrow, int adults, int expected, int phase)
    {
        var result = ReducedCopingStrategiesIndex.Score(new RcsiAnswers(lessPreferred, borrow, 0, adults, 0));

        Assert.Equal(expected, result.Value!.Value);
        Assert.Equal(phase, result.Value.Phase);
    }

    [Fact]
    public void Rcsi_with_eight_days_is_rejected_naming_the_strategy()
    {
        var result = ReducedCopingStrategiesIndex.Score(new RcsiAnswers(0, 8, 0, 0, 0));

        Assert.Equal("rcsi.borrow_food: must be 0–7 days", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Rcsi_with_a_missing_strategy_is_missing()
    {
        var result = ReducedCopingStrategiesIndex.Score(new RcsiAnswers(0, 0, null, 0, 0));

        Assert.True(result.IsMissing);
        Assert.Equal(["rcsi.limit_portions"], result.MissingFields);
    }
}
