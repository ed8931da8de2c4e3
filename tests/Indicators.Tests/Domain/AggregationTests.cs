using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class AggregationTests
{
    private static readonly Period Q1 = Period.Parse("2026Q1");
    private static readonly DateOnly March = new(2026, 3, 10);

    // District d holds communities c1 and c2, inside watershed w.
    private static readonly AreaHierarchy Areas = new([new AreaNode("w", null), new AreaNode("d", "w"), new AreaNode("c1", "d"), new AreaNode("c2", "d")]);

    private static HouseholdObservation Fcs(string id, string area, decimal? weight, decimal? value, string? category, DateOnly? date = null) =>
        new("FCS", id, area, date ?? March, weight, value, category);

    private static List<HouseholdObservation> Households(bool weighted) =>
    [
        Fcs("h1", "c1", weighted ? 1m : null, 20m, "poor"),
        Fcs("h2", "c1", weighted ? 3m : null, 30m, "borderline"),
        Fcs("h3", "c1", weighted ? 1m : null, null, null),
        Fcs("h4", "c2", weighted ? 1m : null, 40m, "acceptable"),
        Fcs("h5", "c2", weighted ? 5m : null, 50m, "acceptable"),
        // Interviewed in April: outside Q1.
        Fcs("h6", "c2", weighted ? 1m : null, 10m, "poor", new DateOnly(2026, 4, 2)),
    ];

    [Fact]
    public void Unweighted_mean_and_distribution_with_n_and_n_missing()
    {
        var c1 = IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Q1, Households(weighted: false).Where(h => h.AreaId == "c1"));

        // (20 + 30) / 2 = 25; h3 has no score
        Assert.Equal((2, 1, 2m, 25m), (c1.N, c1.NMissing, c1.SumOfWeights, c1.Mean));
        Assert.Equal([0m, 50m, 50m], c1.Distribution.Select(c => c.Percent));
        Assert.Equal(["acceptable", "borderline", "poor"], c1.Distribution.Select(c => c.Category));
    }

    [Fact]
    public void Weighted_mean_is_sum_of_w_x_over_sum_of_w()
    {
        var c1 = IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Q1, Households(weighted: true).Where(h => h.AreaId == "c1"));

        // Σw = 1 + 3 = 4 (h3 left out); Σwx = 1×20 + 3×30 = 110; mean = 110 / 4 = 27.5
        Assert.Equal((2, 1, 4m, 110m, 27.5m), (c1.N, c1.NMissing, c1.SumOfWeights, c1.WeightedSum, c1.Mean));
        // poor 1/4 = 25 %, borderline 3/4 = 75 %
        Assert.Equal(25m, c1.Distribution.Single(c => c.Category == "poor").Percent);
        Assert.Equal(75m, c1.Distribution.Single(c => c.Category == "borderline").Percent);
        Assert.Equal(1, c1.Distribution.Single(c => c.Category == "borderline").N);
    }

    [Fact]
    public void District_aggregate_comes_from_household_records_not_a_mean_of_means()
    {
        var aggregates = IndicatorAggregator.AggregateHierarchy(FoodConsumptionScore.Info, Areas, Q1, Households(weighted: true));

        var d = aggregates.Single(a => a.AreaId == "d");
        // Σw = 1 + 3 + 1 + 5 = 10; Σwx = 20 + 90 + 40 + 250 = 400; mean 40.
        // (A mean of the community means, (27.5 + 290/6) / 2 ≈ 37.9, would be wrong.)
        Assert.Equal((4, 1, 10m, 40m), (d.N, d.NMissing, d.SumOfWeights, d.Mean));
        // poor 1/10, borderline 3/10, acceptable 6/10
        Assert.Equal([60m, 30m, 10m], d.Distribution.Select(c => c.Percent));
        var w = aggregates.Single(a => a.AreaId == "w");
        Assert.Equal((d.N, d.NMissing, d.SumOfWeights, d.Mean), (w.N, w.NMissing, w.SumOfWeights, w.Mean));
        Assert.Equal(d.Distribution, w.Distribution);
        Assert.Equal(4, aggregates.Count);
    }

    [Fact]
    public void Unweighted_district_mean_counts_each_household_once()
    {
        var d = IndicatorAggregator.AggregateHierarchy(FoodConsumptionScore.Info, Areas, Q1, Households(weighted: false)).Single(a => a.AreaId == "d");

        // (20 + 30 + 40 + 50) / 4 = 35
        Assert.Equal((4, 1, 4m, 35m), (d.N, d.NMissing, d.SumOfWeights, d.Mean));
    }

    [Fact]
    public void Area_with_only_missing_scores_has_no_mean_and_says_so()
    {
        var aggregate = IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Q1, [Fcs("h3", "c1", null, null, null)]);

        Assert.Equal((0, 1, null), (aggregate.N, aggregate.NMissing, aggregate.Mean));
        Assert.All(aggregate.Distribution, c => Assert.Null(c.Percent));
    }

    [Fact]
    public void Households_observed_on_another_indicator_are_not_counted()
    {
        var aggregate = IndicatorAggregator.Aggregate(ReducedCopingStrategiesIndex.Info, "c1", Q1, Households(weighted: false));

        Assert.Equal((0, 0), (aggregate.N, aggregate.NMissing));
    }

    [Fact]
    public void Mixing_weighted_and_unweighted_households_is_a_failed_precondition_naming_the_figure()
    {
        HouseholdObservation[] mixed = [Fcs("h1", "c1", 2m, 20m, "poor"), Fcs("h2", "c1", null, 30m, "borderline")];

        var refused = Assert.Throws<MixedSurveyWeightsException>(() => IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Q1, mixed));

        Assert.Equal(("MIXED_SURVEY_WEIGHTS", "FCS/c1/2026Q1"), (refused.Type, refused.Subject));
    }

    [Fact]
    public void Households_of_one_kind_in_the_period_asked_for_aggregate_even_when_other_periods_mix_kinds()
    {
        // h7 is unweighted but interviewed in April: Q1's households are all weighted.
        List<HouseholdObservation> households = [.. Households(weighted: true), Fcs("h7", "c1", null, 30m, "borderline", new DateOnly(2026, 4, 2))];

        Assert.Equal(2, IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Q1, households.Where(h => h.AreaId == "c1")).N);
        Assert.Throws<MixedSurveyWeightsException>(() => IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Period.Parse("2026"), households));
    }

    [Fact]
    public void Areas_asked_for_are_aggregated_from_their_own_and_their_inner_areas_households_for_every_period()
    {
        var q2 = Period.Parse("2026Q2");

        var all = IndicatorAggregator.AggregateAreas([FoodConsumptionScore.Info], Areas, ["d", "c1"], [Q1, q2], Households(weighted: false), onlyWithHouseholds: false);
        var withHouseholds = IndicatorAggregator.AggregateAreas([FoodConsumptionScore.Info], Areas, ["d", "c1"], [Q1, q2], Households(weighted: false), onlyWithHouseholds: true);

        // d holds h1–h5 in Q1 (one missing) and h6 in Q2; c1 holds h1–h3 in Q1 and nobody in Q2.
        Assert.Equal([("d", "2026Q1", 4, 1), ("d", "2026Q2", 1, 0), ("c1", "2026Q1", 2, 1), ("c1", "2026Q2", 0, 0)],
            all.Select(a => (a.AreaId, a.Period.ToString(), a.N, a.NMissing)));
        Assert.Equal([("d", "2026Q1"), ("d", "2026Q2"), ("c1", "2026Q1")], withHouseholds.Select(a => (a.AreaId, a.Period.ToString())));
    }

    [Fact]
    public void Hierarchy_with_a_cycle_or_an_unknown_parent_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new AreaHierarchy([new AreaNode("a", "b"), new AreaNode("b", "a")]));
        Assert.Throws<ArgumentException>(() => new AreaHierarchy([new AreaNode("a", "nowhere")]));
        Assert.Equal(new HashSet<string> { "d", "c1", "c2" }, Areas.SelfAndDescendants("d"));
    }

    /// <summary>
    /// Households summed ahead (what PostgreSQL's GROUP BY sends) give exactly the figures of the households themselves,
    /// scale included, over this class's fixtures and many generated sets: weighted and unweighted, missing values, values
    /// and weights outside the bounds, several areas, days, categories and periods.
    /// </summary>
    [Fact]
    public void Figures_from_summed_households_equal_figures_from_the_households()
    {
        var random = new Random(20261205);
        string[] categories = ["poor", "borderline", "acceptable"];
        decimal[] weights = [1m, 0.5m, 2.25m, 0.333m, 7m, 1_000_000m, 0m, 1_000_001m];
        decimal[] values = [0m, 14m, 27.5m, 39m, 52.25m, 112m, -3m, 1_000_000_000_000m, 1_000_000_000_001m];
        List<List<HouseholdObservation>> sets = [Households(weighted: false), Households(weighted: true)];
        for (var set = 0; set < 200; set++)
        {
            var weighted = set % 2 == 0;
            sets.Add([.. Enumerable.Range(0, random.Next(0, 40)).Select(i => new HouseholdObservation(
                random.Next(5) == 0 ? "rCSI" : "FCS",
                $"h{i}",
                new[] { "c1", "c2", "d" }[random.Next(3)],
                new DateOnly(2026, random.Next(1, 7), random.Next(1, 29)),
                weighted ? weights[random.Next(weights.Length)] : null,
                random.Next(6) == 0 ? null : values[random.Next(values.Length)],
                random.Next(8) == 0 ? null : categories[random.Next(categories.Length)]))]);
        }

        // One set of mixed kinds: both ways refuse it alike.
        sets.Add([Fcs("h1", "c1", 2m, 20m, "poor"), Fcs("h2", "c2", null, 30m, "borderline")]);
        Period[] periods = [Q1, Period.Parse("2026Q2"), Period.Parse("2026"), Period.Parse("202602")];
        var figures = 0;
        foreach (var households in sets)
        {
            foreach (var only in new[] { false, true })
            {
                var expected = Written(() => IndicatorAggregator.AggregateAreas([FoodConsumptionScore.Info, ReducedCopingStrategiesIndex.Info], Areas, ["w", "d", "c1", "c2"], periods, households, only));
                var actual = Written(() => IndicatorAggregator.AggregateAreas([FoodConsumptionScore.Info, ReducedCopingStrategiesIndex.Info], Areas, ["w", "d", "c1", "c2"], periods, HouseholdTally.Of(households), only));
                Assert.Equal(expected, actual);
                figures += expected.Count(c => c == '\n');
            }
        }

        Assert.True(figures > 1000, $"{figures} figures compared");
    }

    private static string Written(Func<IReadOnlyList<IndicatorAggregate>> compute)
    {
        try
        {
            return string.Concat(compute().Select(a =>
                $"{a.IndicatorCode} {a.AreaId} {a.Period} {a.N} {a.NMissing} {a.SumOfWeights} {a.WeightedSum} {a.Mean} "
                + string.Join(" ", a.Distribution.Select(c => $"[{c.Category} {c.N} {c.SumOfWeights} {c.Percent}]")) + "\n"));
        }
        catch (MixedSurveyWeightsException ex)
        {
            return "refused " + ex.Subject;
        }
    }
}
