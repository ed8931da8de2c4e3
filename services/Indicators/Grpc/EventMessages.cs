using Google.Protobuf.WellKnownTypes;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Tracking;
using Watershed.Indicators.V1;
using Alert = Watershed.Indicators.Domain.Tracking.Alert;
using AlertRule = Watershed.Indicators.Domain.Tracking.AlertRule;
using AlertState = Watershed.Indicators.Domain.Tracking.AlertState;
using Area = Watershed.Indicators.Domain.Areas.Area;
using SurveyRound = Watershed.Indicators.Domain.Ingest.SurveyRound;

namespace Watershed.Indicators.Grpc;

/// <summary>The events indicators publishes, filled from what the ingest stored (see events.proto for the subjects).</summary>
internal static class EventMessages
{
    public static string SubjectOf(SurveyRound round) => $"survey_rounds/{round.Id}";

    public static string SubjectOf(AlertRule rule) => $"alert_rules/{rule.Id}/areas/{rule.AreaId}";

    public static SubmissionsImported Imported(SurveyRound round, Area watershed, IReadOnlyList<PlannedRow> stored, DateTimeOffset now) =>
        Imported(round, watershed, stored.Count, stored.Select(r => r.AreaId), now);

    /// <summary>The event of an ingest that stored <paramref name="storedRows"/> households in <paramref name="areaIds"/>.</summary>
    public static SubmissionsImported Imported(SurveyRound round, Area watershed, int storedRows, IEnumerable<Guid> areaIds, DateTimeOffset now)
    {
        var message = new SubmissionsImported
        {
            SurveyRoundId = round.Id.ToString(),
            StoredRows = storedRows,
            OccurredAt = Timestamp.FromDateTimeOffset(now),
            WatershedCode = watershed.WatershedCode,
            SurveyRoundName = round.Name,
        };
        message.AreaIds.AddRange(areaIds.Distinct().Order().Select(id => id.ToString()));
        return message;
    }

    /// <summary>AlertRaised or AlertCleared, as the alert's state says.</summary>
    public static Google.Protobuf.IMessage Changed(AlertRule rule, Alert alert, Area area)
    {
        var condition = AlertWording.Describe(rule.IndicatorCode, rule.Metric, rule.Condition);
        var summary = AlertWording.Summarise(rule, alert, area);
        var observed = Dhis2Export.FormatValue(alert.ObservedValue);
        var occurredAt = Timestamp.FromDateTimeOffset(alert.ChangedAt);
        return alert.State == AlertState.Raised
            ? new AlertRaised
            {
                RuleId = rule.Id.ToString(), IndicatorCode = rule.IndicatorCode, AreaId = area.Id.ToString(), Metric = rule.Metric.ToString(),
                Period = alert.Period.ToString(), ObservedValue = observed, N = alert.N, OccurredAt = occurredAt,
                WatershedCode = area.WatershedCode, AreaCode = area.Code, AreaName = area.Name, Condition = condition, Summary = summary,
            }
            : new AlertCleared
            {
                RuleId = rule.Id.ToString(), IndicatorCode = rule.IndicatorCode, AreaId = area.Id.ToString(), Metric = rule.Metric.ToString(),
                Period = alert.Period.ToString(), ObservedValue = observed, N = alert.N, OccurredAt = occurredAt,
                WatershedCode = area.WatershedCode, AreaCode = area.Code, AreaName = area.Name, Condition = condition, Summary = summary,
            };
    }
}
