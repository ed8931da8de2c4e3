using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Aggregation;

/// <summary>
/// Household figures to area figures (indicators.md, Aggregation): weighted mean Σwᵢxᵢ / Σwᵢ and shares per
/// category, always with n; households without a score are left out and counted in n_missing.
/// </summary>
public static class IndicatorAggregator
{
    /// <summary>
    /// Aggregates the given households of one area: those observed on <paramref name="indicator"/> with an
    /// interview date inside <paramref name="period"/>. The caller chooses which households belong to the area.
    /// Households of weighted and unweighted rounds cannot be aggregated together (<see cref="MixedSurveyWeightsException"/>).
    /// </summary>
    public static IndicatorAggregate Aggregate(IndicatorInfo indicator, string areaId, Period period, IEnumerable<HouseholdObservation> households)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(households);
        var selected = households.Where(h => h.IndicatorCode == indicator.Code && period.Contains(h.InterviewDate)).ToList();
        if (SurveyWeights.AreMixed(selected.Select(h => h.Weight)))
        {
            throw new MixedSurveyWeightsException(indicator.Code, areaId, period);
        }

        // A household stored before the ingest bounds with a weight or value outside them is left out like one without a
        // score (counted in n_missing). Within the bounds no sum can overflow: fewer than 2^31 households × 10^6 × 10^12
        // stays below 2.2 × 10^27, the decimal type holds 7.9 × 10^28.
        var scored = selected
            .Where(h => HouseholdTally.Counts(h.Weight, h.Value))
            .Select(h => (Value: h.Value!.Value, h.Category, Weight: h.Weight ?? 1m))
            .ToList();
        var sumOfWeights = scored.Sum(h => h.Weight);
        var weightedSum = scored.Count == 0 ? (decimal?)null : scored.Sum(h => h.Weight * h.Value);
        var distribution = indicator.Categories.Select(c =>
        {
            var inCategory = scored.Where(h => h.Category == c.Code).ToList();
            var weight = inCategory.Sum(h => h.Weight);
            return new CategoryShare(c.Code, inCategory.Count, weight, scored.Count == 0 ? null : 100m * weight / sumOfWeights);
        }).ToList();
        return new IndicatorAggregate(
            indicator.Code,
            areaId,
            period,
            scored.Count,
            selected.Count - scored.Count,
            sumOfWeights,
            weightedSum,
            scored.Count == 0 ? null : weightedSum / sumOfWeights,
            distribution);
    }

    /// <summary>
    /// The aggregate of each indicator, area and period asked for, each area's from the households of the area
    /// and every area inside it (<paramref name="areas"/>). With <paramref name="onlyWithHouseholds"/> an
    /// area-period without any household is left out.
    /// </summary>
    public static IReadOnlyList<IndicatorAggregate> AggregateAreas(
        IReadOnlyList<IndicatorInfo> indicators,
        AreaHierarchy areas,
        IReadOnlyList<string> areaIds,
        IReadOnlyList<Period> periods,
        IEnumerable<HouseholdObservation> households,
        bool onlyWithHouseholds)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(areaIds);
        ArgumentNullException.ThrowIfNull(periods);
        var byIndicator = households.ToLookup(h => h.IndicatorCode);
        var inside = areaIds.Distinct().ToDictionary(a => a, areas.SelfAndDescendants);
        var result = new List<IndicatorAggregate>();
        foreach (var indicator in indicators)
        {
            foreach (var area in areaIds)
            {
                var ofArea = byIndicator[indicator.Code].Where(h => inside[area].Contains(h.AreaId)).ToList();
                foreach (var period in periods)
                {
                    var inPeriod = ofArea.Where(h => period.Contains(h.InterviewDate)).ToList();
                    if (inPeriod.Count > 0 || !onlyWithHouseholds)
                    {
                        result.Add(Aggregate(indicator, area, period, inPeriod));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// As <see cref="Aggregate"/>, from households summed ahead (<see cref="HouseholdTally"/>): the same figures, as
    /// the sums are exact (decimal here, numeric in the database) and the divisions are the same ones, made here.
    /// </summary>
    public static IndicatorAggregate AggregateTallies(IndicatorInfo indicator, string areaId, Period period, IEnumerable<HouseholdTally> tallies)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(tallies);
        var selected = tallies.Where(t => t.IndicatorCode == indicator.Code && t.Count > 0 && period.Contains(t.InterviewDate)).ToList();
        if (selected.Any(t => t.Weighted) && selected.Any(t => !t.Weighted))
        {
            throw new MixedSurveyWeightsException(indicator.Code, areaId, period);
        }

        var scored = selected.Where(t => t.Scored).ToList();
        var n = scored.Sum(t => t.Count);
        var sumOfWeights = scored.Sum(t => t.SumOfWeights ?? 0m);
        var weightedSum = n == 0 ? (decimal?)null : scored.Sum(t => t.WeightedSum ?? 0m);
        var distribution = indicator.Categories.Select(c =>
        {
            var inCategory = scored.Where(t => t.Category == c.Code).ToList();
            var weight = inCategory.Sum(t => t.SumOfWeights ?? 0m);
            return new CategoryShare(c.Code, inCategory.Sum(t => t.Count), weight, n == 0 ? null : 100m * weight / sumOfWeights);
        }).ToList();
        return new IndicatorAggregate(
            indicator.Code,
            areaId,
            period,
            n,
            selected.Sum(t => t.Count) - n,
            sumOfWeights,
            weightedSum,
            n == 0 ? null : weightedSum / sumOfWeights,
            distribution);
    }

    /// <summary>As <see cref="AggregateAreas(IReadOnlyList{IndicatorInfo}, AreaHierarchy, IReadOnlyList{string}, IReadOnlyList{Period}, IEnumerable{HouseholdObservation}, bool)"/>, from households summed ahead.</summary>
    public static IReadOnlyList<IndicatorAggregate> AggregateAreas(
        IReadOnlyList<IndicatorInfo> indicators,
        AreaHierarchy areas,
        IReadOnlyList<string> areaIds,
        IReadOnlyList<Period> periods,
        IReadOnlyList<HouseholdTally> tallies,
        bool onlyWithHouseholds)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(areas);
        ArgumentNullException.ThrowIfNull(areaIds);
        ArgumentNullException.ThrowIfNull(periods);
        ArgumentNullException.ThrowIfNull(tallies);
        var byIndicator = tallies.ToLookup(t => t.IndicatorCode);
        var inside = areaIds.Distinct().ToDictionary(a => a, areas.SelfAndDescendants);
        var result = new List<IndicatorAggregate>();
        foreach (var indicator in indicators)
        {
            foreach (var area in areaIds)
            {
                var ofArea = byIndicator[indicator.Code].Where(t => inside[area].Contains(t.AreaId)).ToList();
                foreach (var period in periods)
                {
                    var inPeriod = ofArea.Where(t => t.Count > 0 && period.Contains(t.InterviewDate)).ToList();
                    if (inPeriod.Count > 0 || !onlyWithHouseholds)
                    {
                        result.Add(AggregateTallies(indicator, area, period, inPeriod));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>
    /// One aggregate per area of the hierarchy, each computed from the household records of the area and every
    /// area inside it: a district's figure is the figure of its households, never a mean of its communities' means.
    /// </summary>
    public static IReadOnlyList<IndicatorAggregate> AggregateHierarchy(IndicatorInfo indicator, AreaHierarchy areas, Period period, IEnumerable<HouseholdObservation> households)
    {
        ArgumentNullException.ThrowIfNull(areas);
        var list = households.ToList();
        return
        [
            .. areas.Areas.Select(area =>
            {
                var inside = areas.SelfAndDescendants(area);
                return Aggregate(indicator, area, period, list.Where(h => inside.Contains(h.AreaId)));
            }),
        ];
    }
}

/// <summary>
/// FAILED_PRECONDITION: the households of an area and period come from weighted and unweighted survey rounds,
/// whose figures cannot be added up; a narrower period holds one kind.
/// </summary>
public sealed class MixedSurveyWeightsException(string indicatorCode, string areaId, Period period)
    : PreconditionFailedException("MIXED_SURVEY_WEIGHTS", $"{indicatorCode}/{areaId}/{period}",
        $"The households of area {areaId} in {period} come from weighted and unweighted survey rounds, which cannot be aggregated together; ask for a period that holds one kind.");

/// <summary>Survey weights are all-or-none: an unweighted survey counts each household once.</summary>
public static class SurveyWeights
{
    /// <summary>The largest survey weight a household may carry: a weight is greater than 0 and at most 10^6.</summary>
    public const decimal MaxWeight = 1_000_000m;

    /// <summary>Greater than 0 and at most <see cref="MaxWeight"/>.</summary>
    public static bool IsValid(decimal weight) => weight is > 0m and <= MaxWeight;

    /// <summary>True when some households carry a weight and others do not: such households cannot be aggregated together.</summary>
    public static bool AreMixed(IEnumerable<decimal?> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var seen = weights.Select(w => w is null).Distinct().Count();
        return seen > 1;
    }

    /// <summary>The weight of each household: its own when all have one, 1 each when none has.</summary>
    public static IReadOnlyList<decimal> Effective(IReadOnlyList<decimal?> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.All(w => w is null))
        {
            return [.. weights.Select(_ => 1m)];
        }

        if (weights.Any(w => w is null))
        {
            throw new ArgumentException("Some households carry a survey weight and others do not: weighted and unweighted rounds cannot be aggregated together.", nameof(weights));
        }

        if (weights.Any(w => !IsValid(w!.Value)))
        {
            throw new ArgumentException("Survey weights must be greater than 0 and at most 1000000.", nameof(weights));
        }

        return [.. weights.Select(w => w!.Value)];
    }
}
