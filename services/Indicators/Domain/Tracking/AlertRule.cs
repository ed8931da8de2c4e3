using Watershed.Indicators.Domain.Aggregation;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Tracking;

/// <summary>
/// Raise an alert when an area's figure crosses a level, e.g. "percent:poor of FCS in district D &gt; 20", per
/// period. Its raises and clears are its <see cref="Alert"/>s, numbered in the order they happened.
/// </summary>
public sealed class AlertRule
{
    // The condition is stored as columns; these fields are what EF reads and writes.
    private ComparisonOperator _operator;
    private decimal _threshold;

    private AlertRule(Guid id, string indicatorCode, Guid areaId, AggregateMetric metric, PeriodType periodType, DateTimeOffset createdAt)
    {
        Id = id;
        IndicatorCode = indicatorCode;
        AreaId = areaId;
        Metric = metric;
        PeriodType = periodType;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string IndicatorCode { get; private set; }

    public Guid AreaId { get; private set; }

    public AggregateMetric Metric { get; private set; }

    public Condition Condition => new(_operator, _threshold);

    /// <summary>The periods the figure is computed for, e.g. quarters.</summary>
    public PeriodType PeriodType { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Deleted rules stop being evaluated; their alerts stay as history.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>Every problem with a rule on <paramref name="indicator"/>, named by the contract's attribute.</summary>
    public static IReadOnlyList<FieldViolation> Validate(IndicatorInfo indicator, AggregateMetric metric)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(metric);
        return metric.IsPerCategory && !indicator.HasCategory(metric.Category!)
            ? [new FieldViolation("metric", $"{indicator.Code} has no category '{metric.Category}'")]
            : [];
    }

    public static AlertRule Create(IndicatorInfo indicator, Guid areaId, AggregateMetric metric, Condition condition, PeriodType periodType, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (Validate(indicator, metric) is { Count: > 0 } violations)
        {
            throw new InvalidArgumentException(violations);
        }

        return new AlertRule(Guid.CreateVersion7(), indicator.Code, areaId, metric, periodType, now)
        {
            _operator = condition.Operator,
            _threshold = condition.Threshold,
        };
    }

    public void Delete(DateTimeOffset now)
    {
        if (IsDeleted)
        {
            throw new NotFoundException("alert_rule", Id.ToString());
        }

        DeletedAt = now;
    }

    /// <summary>
    /// The periods an ingest asks this rule to look at again: those of the new households inside the rule's area
    /// (<paramref name="inside"/>: the area and every area in it), oldest first, except periods older than the
    /// rule's last change (<see cref="ThresholdAlerts.ShouldEvaluate"/>).
    /// </summary>
    public IReadOnlyList<Period> PeriodsToEvaluate(IReadOnlySet<Guid> inside, IEnumerable<(Guid AreaId, DateOnly InterviewDate)> households, Alert? last)
    {
        ArgumentNullException.ThrowIfNull(inside);
        ArgumentNullException.ThrowIfNull(households);
        return [.. households.Where(h => inside.Contains(h.AreaId))
            .Select(h => Period.Containing(h.InterviewDate, PeriodType))
            .Distinct()
            .Where(p => ThresholdAlerts.ShouldEvaluate(p, last?.Period))
            .OrderBy(p => p.Start)];
    }

    /// <summary>
    /// The alerts the rule's figures of some periods record, oldest period first, from the state its
    /// <paramref name="last"/> alert left: a raise when a clear rule's condition is met, a clear when a raised
    /// rule's is no longer met. A deleted rule records nothing. A period without households keeps the state, except
    /// after households were removed (<paramref name="afterRemoval"/>): when the period that raised the rule has no
    /// household left, the alert it raised is cleared (observed 0 over 0 households), so undoing a bad import undoes
    /// its alert.
    /// </summary>
    public IReadOnlyList<Alert> Evaluate(Alert? last, IEnumerable<IndicatorAggregate> figures, DateTimeOffset now, bool afterRemoval = false)
    {
        ArgumentNullException.ThrowIfNull(figures);
        if (last is not null && last.RuleId != Id)
        {
            throw new ArgumentException($"Alert {last.Id} is of rule {last.RuleId}, not {Id}.", nameof(last));
        }

        var alerts = new List<Alert>();
        if (IsDeleted)
        {
            return alerts;
        }

        var raised = last?.State == AlertState.Raised;
        var sequence = last?.Sequence ?? 0;
        var lastChange = last?.Period;
        foreach (var figure in figures.OrderBy(f => f.Period.Start))
        {
            if (!ThresholdAlerts.ShouldEvaluate(figure.Period, lastChange))
            {
                continue;
            }

            var evaluation = ThresholdAlerts.Evaluate(this, figure, raised);
            if (afterRemoval && evaluation.Transition == AlertTransition.NoData && raised && figure.Period == lastChange)
            {
                evaluation = new AlertEvaluation(false, AlertTransition.Cleared, 0m);
            }

            if (!evaluation.ShouldPublish)
            {
                continue;
            }

            sequence++;
            var state = evaluation.Transition == AlertTransition.Raised ? AlertState.Raised : AlertState.Cleared;
            alerts.Add(new Alert(this, sequence, state, figure.Period, evaluation.Observed!.Value, figure.N, now));
            raised = evaluation.Raised;
            lastChange = figure.Period;
        }

        return alerts;
    }
}

/// <summary>The proto enum's twin (same names and numbers, no zero).</summary>
public enum AlertState
{
    Raised = 1,
    Cleared = 2,
}

/// <summary>
/// One raise or clear of a rule: the n-th change of the rule's state (<see cref="Sequence"/>, unique per rule, so
/// two evaluations that raced cannot both record the same change), the period whose figure caused it and that figure.
/// </summary>
public sealed class Alert
{
    internal Alert(AlertRule rule, int sequence, AlertState state, Period period, decimal observedValue, int n, DateTimeOffset changedAt)
    {
        Id = Guid.CreateVersion7();
        RuleId = rule.Id;
        AreaId = rule.AreaId;
        Sequence = sequence;
        State = state;
        Period = period;
        PeriodStart = period.Start;
        ObservedValue = observedValue;
        N = n;
        ChangedAt = changedAt;
    }

    private Alert()
    {
        Period = null!;
    }

    public Guid Id { get; private set; }

    public Guid RuleId { get; private set; }

    /// <summary>The rule's area, kept on the alert so an area's alerts list in period order from one index.</summary>
    public Guid AreaId { get; private set; }

    public int Sequence { get; private set; }

    public AlertState State { get; private set; }

    public Period Period { get; private set; }

    /// <summary>The period's first day, stored for ordering.</summary>
    public DateOnly PeriodStart { get; private set; }

    public decimal ObservedValue { get; private set; }

    /// <summary>Households behind the figure.</summary>
    public int N { get; private set; }

    public DateTimeOffset ChangedAt { get; private set; }
}
