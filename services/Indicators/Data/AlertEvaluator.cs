using Microsoft.EntityFrameworkCore;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Tracking;
using DomainAlertRule = Watershed.Indicators.Domain.Tracking.AlertRule;

namespace Watershed.Indicators.Data;

/// <summary>
/// Re-evaluates the alert rules an ingest touched, inside the ingest's transaction, and records a raise or a clear
/// as an alert row: the alert is stored exactly when the households that caused it are.
/// </summary>
public sealed class AlertEvaluator(IndicatorsDbContext db, AreaFigures figures, TimeProvider clock)
{
    public async Task EvaluateAsync(AreaRow watershed, IReadOnlyList<PlannedRow> stored, CancellationToken ct)
    {
        if (stored.Count == 0)
        {
            return;
        }

        var hierarchy = Lookups.Hierarchy(await db.AreasOfAsync(watershed.WatershedCode, ct));
        var affected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in stored)
        {
            for (var area = (string?)row.AreaId.ToString(); area is not null; area = hierarchy.ParentOf(area))
            {
                affected.Add(area);
            }
        }

        var affectedIds = affected.Select(Guid.Parse).ToList();
        var rules = await db.AlertRules.AsNoTracking()
            .Where(r => r.DeletedAt == null && affectedIds.Contains(r.AreaId))
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .ToListAsync(ct);
        var indicators = await db.IndicatorsAsync(watershed.Id, ct);
        foreach (var rule in rules)
        {
            var indicator = indicators.FirstOrDefault(i => i.Code == rule.IndicatorCode);
            if (indicator is null)
            {
                continue;
            }

            var inside = hierarchy.SelfAndDescendants(rule.AreaId.ToString());
            var periods = stored.Where(r => inside.Contains(r.AreaId.ToString()))
                .Select(r => Period.Containing(r.Submission.InterviewDate, rule.PeriodType))
                .Distinct()
                .OrderBy(p => p.Start)
                .ToList();
            var last = await db.Alerts.AsNoTracking().Where(a => a.RuleId == rule.Id)
                .OrderByDescending(a => a.PeriodStart).ThenByDescending(a => a.ChangedAt).FirstOrDefaultAsync(ct);
            var raised = last?.State == AlertState.Raised;
            var lastChange = last is null ? null : Period.Parse(last.Period);
            var domainRule = new DomainAlertRule(rule.Id.ToString(), rule.IndicatorCode, rule.AreaId.ToString(),
                AggregateMetric.Parse(rule.Metric), new Condition(rule.Operator, rule.Threshold));
            foreach (var period in periods.Where(p => ThresholdAlerts.ShouldEvaluate(p, lastChange)))
            {
                var aggregate = await figures.ComputeOneAsync(watershed.WatershedCode, indicator, rule.AreaId, period, ct);
                var evaluation = ThresholdAlerts.Evaluate(domainRule, aggregate, raised);
                if (!evaluation.ShouldPublish)
                {
                    continue;
                }

                db.Alerts.Add(new AlertRow
                {
                    Id = Guid.CreateVersion7(),
                    RuleId = rule.Id,
                    State = evaluation.Transition == AlertTransition.Raised ? AlertState.Raised : AlertState.Cleared,
                    Period = period.ToString(),
                    PeriodStart = period.Start,
                    ObservedValue = evaluation.Observed!.Value,
                    N = aggregate.N,
                    ChangedAt = clock.GetUtcNow(),
                });
                raised = evaluation.Raised;
                lastChange = period;
            }
        }
    }
}
