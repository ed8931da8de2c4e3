using Watershed.Indicators.Domain.Aggregation;

namespace Watershed.Indicators.Domain.Tracking;

/// <summary>Where an indicator stood before the plan: the value and the period it was measured in.</summary>
public sealed record Baseline(decimal Value, Period Period);

/// <summary>Where the plan means to bring it, and by when.</summary>
public sealed record Target(decimal Value, DateOnly Date);

/// <summary>
/// A land-use plan's goal measured by one indicator figure in one area, e.g. "share of households with
/// poor FCS in community X from 30 % to 10 % by 2028" (metric percent:poor, lower is better).
/// </summary>
public sealed record PlanTarget(
    string PlanId,
    string GoalId,
    string IndicatorCode,
    string AreaId,
    AggregateMetric Metric,
    Direction Direction,
    Baseline Baseline,
    Target Target)
{
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        foreach (var (field, value) in new[] { ("plan_id", PlanId), ("goal_id", GoalId), ("indicator_code", IndicatorCode), ("area_id", AreaId) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new FieldError(field, "is required"));
            }
        }

        if (Target.Date < Baseline.Period.End)
        {
            errors.Add(new FieldError("target.date", "must not be before the end of the baseline period"));
        }

        // A target on the worse side of the baseline is a typo, not a plan: the progress sign would invert.
        var worse = Direction == Direction.HigherIsBetter ? Target.Value < Baseline.Value : Target.Value > Baseline.Value;
        if (worse)
        {
            errors.Add(new FieldError("target.value", Direction == Direction.HigherIsBetter
                ? "must not be below the baseline: higher is better for this indicator"
                : "must not be above the baseline: lower is better for this indicator"));
        }

        return errors;
    }

    /// <summary>
    /// Progress = (current − baseline) / (target − baseline) × 100, NOT clamped: above 100 the target is
    /// exceeded, below 0 the area is worse than at baseline, and the caller sees both as they are.
    /// The formula needs no direction: a lower-is-better target has a negative denominator, so a fall
    /// counts as progress. When target equals baseline (a "hold the line" goal) the ratio is undefined:
    /// <see cref="PlanProgress.Percent"/> is null and <see cref="PlanProgress.TargetReached"/> says whether
    /// the current value is at the target or on its better side.
    /// </summary>
    public PlanProgress Progress(decimal current)
    {
        var reached = Direction == Direction.HigherIsBetter ? current >= Target.Value : current <= Target.Value;
        decimal? percent = Target.Value == Baseline.Value
            ? null
            : (current - Baseline.Value) / (Target.Value - Baseline.Value) * 100m;
        return new PlanProgress(current, percent, reached);
    }
}

public sealed record PlanProgress(decimal Current, decimal? Percent, bool TargetReached)
{
    public bool BeyondTarget => Percent > 100m;

    public bool WorseThanBaseline => Percent < 0m;
}
