using Watershed.Indicators.Domain.Aggregation;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Tracking;

/// <summary>Where an indicator stood before the plan: the value and the period it was measured in.</summary>
public sealed record Baseline(decimal Value, Period Period)
{
    /// <summary>
    /// The baseline a target starts from: the value the planner gives, or else the figure the baseline survey
    /// produced for the area (<paramref name="figure"/>, the aggregate of <paramref name="period"/>). A period
    /// without a scored household has no figure to start from.
    /// </summary>
    public static Baseline Of(decimal? given, Period period, AggregateMetric metric, IndicatorAggregate? figure)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(metric);
        if (given is { } value)
        {
            return new Baseline(value, period);
        }

        ArgumentNullException.ThrowIfNull(figure);
        return figure.Value(metric) is { } measured
            ? new Baseline(measured, period)
            : throw new PreconditionFailedException("BASELINE_DATA", $"{figure.IndicatorCode}/{figure.AreaId}/{period}",
                $"No household of the area has a {figure.IndicatorCode} score in {period}: give target.baseline_value or import the baseline survey first.");
    }
}

/// <summary>Where the plan means to bring it, and by when.</summary>
public sealed record Target(decimal Value, DateOnly Date);

/// <summary>
/// A land-use plan's goal measured by one indicator figure in one area, e.g. "share of households with
/// poor FCS in community X from 30 % to 10 % by 2028" (metric percent:poor, lower is better).
/// </summary>
public sealed class PlanTarget
{
    // Baseline and target are stored as columns; these fields are what EF reads and writes.
    private decimal _baselineValue;
    private Period _baselinePeriod;
    private decimal _targetValue;
    private DateOnly _targetDate;

    private PlanTarget(Guid id, Guid planId, Guid goalId, string indicatorCode, Guid areaId, AggregateMetric metric, Direction direction, DateTimeOffset createdAt)
    {
        Id = id;
        PlanId = planId;
        GoalId = goalId;
        IndicatorCode = indicatorCode;
        AreaId = areaId;
        Metric = metric;
        Direction = direction;
        CreatedAt = createdAt;
        _baselinePeriod = null!;
    }

    public Guid Id { get; private set; }

    /// <summary>The land-use service's plan and goal.</summary>
    public Guid PlanId { get; private set; }

    public Guid GoalId { get; private set; }

    public string IndicatorCode { get; private set; }

    public Guid AreaId { get; private set; }

    public AggregateMetric Metric { get; private set; }

    public Direction Direction { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public Baseline Baseline => new(_baselineValue, _baselinePeriod);

    public Target Target => new(_targetValue, _targetDate);

    /// <summary>The approved version of the plan that no longer has the target's goal; null while the goal is in force (or the plan unknown).</summary>
    public Guid? GoalDroppedInVersionId { get; private set; }

    public bool GoalDropped => GoalDroppedInVersionId is not null;

    /// <summary>
    /// Follows the plan's approved version in force: flagged when it dropped the target's goal, unflagged when a later
    /// version brings the goal back. A target already flagged keeps the version that first dropped its goal.
    /// </summary>
    public void FollowApproval(ApprovedPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.PlanId != PlanId)
        {
            throw new ArgumentException($"Plan {plan.PlanId} is not the plan {PlanId} of target {Id}.", nameof(plan));
        }

        if (plan.HasGoal(GoalId))
        {
            GoalDroppedInVersionId = null;
        }
        else
        {
            GoalDroppedInVersionId ??= plan.VersionId;
        }
    }

    /// <summary>
    /// Every problem with a target, named by the contract's attribute: a category the indicator lacks, a target
    /// date before the baseline was measured, a target on the worse side of the baseline.
    /// </summary>
    public static IReadOnlyList<FieldViolation> Validate(IndicatorInfo indicator, AggregateMetric metric, Direction direction, Baseline baseline, Target target)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(target);
        var errors = new List<FieldViolation>();
        if (metric.IsPerCategory && !indicator.HasCategory(metric.Category!))
        {
            errors.Add(new FieldViolation("metric", $"{indicator.Code} has no category '{metric.Category}'"));
        }

        if (target.Date < baseline.Period.End)
        {
            errors.Add(new FieldViolation("target_date", "must not be before the end of the baseline period"));
        }

        // A target on the worse side of the baseline is a typo, not a plan: the progress sign would invert.
        var worse = direction == Direction.HigherIsBetter ? target.Value < baseline.Value : target.Value > baseline.Value;
        if (worse)
        {
            errors.Add(new FieldViolation("target_value", direction == Direction.HigherIsBetter
                ? "must not be below the baseline: higher is better for this indicator"
                : "must not be above the baseline: lower is better for this indicator"));
        }

        return errors;
    }

    /// <summary>
    /// A plan goal's target on an indicator figure of an area. Without a direction of its own it takes the
    /// indicator's (a percentage of a bad category sets lower-is-better explicitly).
    /// </summary>
    public static PlanTarget Create(
        Guid planId, Guid goalId, IndicatorInfo indicator, Guid areaId, AggregateMetric metric, Direction? direction, Baseline baseline, Target target, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        var effective = direction ?? indicator.Direction;
        if (Validate(indicator, metric, effective, baseline, target) is { Count: > 0 } violations)
        {
            throw new InvalidArgumentException(violations);
        }

        return new PlanTarget(Guid.CreateVersion7(), planId, goalId, indicator.Code, areaId, metric, effective, now)
        {
            _baselineValue = baseline.Value,
            _baselinePeriod = baseline.Period,
            _targetValue = target.Value,
            _targetDate = target.Date,
        };
    }

    /// <summary>
    /// Progress = (current − baseline) / (target − baseline) × 100, NOT clamped: above 100 the target is
    /// exceeded, below 0 the area is worse than at baseline, and the caller sees both as they are.
    /// The formula needs no direction: a lower-is-better target has a negative denominator, so a fall
    /// counts as progress. When target equals baseline (a "hold the line" goal) the ratio is undefined:
    /// <see cref="PlanProgress.Percent"/> is null and <see cref="PlanProgress.TargetReached"/> says whether
    /// the current value is at the target or on its better side.
    /// </summary>
    /// <remarks>
    /// The two differences are taken exactly in decimal and the ratio in double, which cannot overflow: a target a
    /// hair above its baseline (10^-28, stored before requests were bounded) gives a huge but finite percentage, never
    /// an exception.
    /// </remarks>
    public PlanProgress Progress(decimal current)
    {
        var target = Target;
        var baseline = Baseline;
        var reached = Direction == Direction.HigherIsBetter ? current >= target.Value : current <= target.Value;
        double? percent = target.Value == baseline.Value
            ? null
            : Difference(current, baseline.Value) / Difference(target.Value, baseline.Value) * 100;
        return new PlanProgress(current, percent, reached);
    }

    /// <summary>a − b, exact in decimal when it fits the type (always, for values within the request bounds), else in double.</summary>
    private static double Difference(decimal a, decimal b) =>
        Math.Sign(a) == Math.Sign(b) || Math.Abs(a) <= decimal.MaxValue - Math.Abs(b)
            ? (double)(a - b)
            : (double)a - (double)b;

    /// <summary>Progress at the period of <paramref name="figure"/>; a period without a scored household has no figure to measure.</summary>
    public PlanProgress ProgressAt(IndicatorAggregate figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return figure.Value(Metric) is { } current
            ? Progress(current)
            : throw new PreconditionFailedException("PERIOD_DATA", $"{IndicatorCode}/{AreaId}/{figure.Period}",
                $"No household of the area has a {IndicatorCode} score in {figure.Period}.");
    }
}

/// <param name="Percent">Of the way from baseline to target; null when they are equal. A double, as the contract carries it.</param>
public sealed record PlanProgress(decimal Current, double? Percent, bool TargetReached)
{
    public bool BeyondTarget => Percent > 100;

    public bool WorseThanBaseline => Percent < 0;
}
