using Watershed.Indicators.Domain.Aggregation;

namespace Watershed.Indicators.Domain.Tracking;

public enum AlertTransition
{
    /// <summary>Was clear, now meets the condition: publish "raised".</summary>
    Raised,

    /// <summary>Was raised and still meets the condition: publish nothing.</summary>
    StillRaised,

    /// <summary>Was raised, no longer meets the condition: publish "cleared".</summary>
    Cleared,

    /// <summary>Was clear and still is.</summary>
    StillClear,

    /// <summary>No household had a score this period: the state is kept, nothing is published.</summary>
    NoData,
}

public sealed record AlertEvaluation(bool Raised, AlertTransition Transition, decimal? Observed)
{
    public bool ShouldPublish => Transition is AlertTransition.Raised or AlertTransition.Cleared;
}

/// <summary>The alert state machine: pure, given the previous state, so the service decides what to store and publish.</summary>
public static class ThresholdAlerts
{
    /// <summary>
    /// A rule has one state, which follows the newest period evaluated: households arriving late for a period older
    /// than the rule's last change do not flip it back (they still count in that period's aggregates).
    /// </summary>
    public static bool ShouldEvaluate(Period period, Period? lastChange)
    {
        ArgumentNullException.ThrowIfNull(period);
        return lastChange is null || period.Start >= lastChange.Start;
    }

    public static AlertEvaluation Evaluate(AlertRule rule, IndicatorAggregate aggregate, bool previouslyRaised)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(aggregate);
        if (aggregate.IndicatorCode != rule.IndicatorCode || aggregate.AreaId != rule.AreaId.ToString())
        {
            throw new ArgumentException($"Rule {rule.Id} is about {rule.IndicatorCode} in {rule.AreaId}, not {aggregate.IndicatorCode} in {aggregate.AreaId}.", nameof(aggregate));
        }

        var observed = aggregate.N == 0 ? null : aggregate.Value(rule.Metric);
        if (observed is null)
        {
            return new AlertEvaluation(previouslyRaised, AlertTransition.NoData, null);
        }

        var met = rule.Condition.IsMetBy(observed.Value);
        var transition = (previouslyRaised, met) switch
        {
            (false, true) => AlertTransition.Raised,
            (true, true) => AlertTransition.StillRaised,
            (true, false) => AlertTransition.Cleared,
            _ => AlertTransition.StillClear,
        };
        return new AlertEvaluation(met, transition, observed);
    }
}
