using System.Diagnostics;
using System.Diagnostics.Metrics;
using Watershed.ServiceDefaults;

namespace Watershed.Indicators;

/// <summary>
/// The indicators service's spans and counters: ingests and the households in them, and alert changes. Tags are
/// ids and codes (survey round, alert rule, indicator), never household ids or names.
/// </summary>
public sealed class IndicatorsTelemetry : ServiceTelemetry
{
    private readonly Counter<long> _householdsStored;
    private readonly Counter<long> _householdsRejected;
    private readonly Counter<long> _householdsDuplicate;
    private readonly Counter<long> _ingests;
    private readonly Counter<long> _alertsRaised;
    private readonly Counter<long> _alertsCleared;

    public IndicatorsTelemetry(IMeterFactory meters, ServiceIdentity service)
        : base(meters, service)
    {
        _householdsStored = Meter.CreateCounter<long>("watershed.indicators.households.stored", "{household}", "Households stored by ingests.");
        _householdsRejected = Meter.CreateCounter<long>("watershed.indicators.households.rejected", "{household}", "Households an ingest refused for bad rows.");
        _householdsDuplicate = Meter.CreateCounter<long>("watershed.indicators.households.duplicate", "{household}", "Households sent again with the content already stored.");
        _ingests = Meter.CreateCounter<long>("watershed.indicators.ingests", "{ingest}", "Ingests (files and streams) by outcome: stored or rejected.");
        _alertsRaised = Meter.CreateCounter<long>("watershed.indicators.alerts.raised", "{alert}", "Alerts raised.");
        _alertsCleared = Meter.CreateCounter<long>("watershed.indicators.alerts.cleared", "{alert}", "Alerts cleared.");
    }

    /// <summary>Counts one finished ingest of a round: <paramref name="rejected"/> when it stored nothing because of bad rows.</summary>
    public void Ingested(Guid surveyRoundId, bool rejected, int stored, int rejectedHouseholds, int duplicates)
    {
        var round = new KeyValuePair<string, object?>("survey_round.id", surveyRoundId.ToString());
        _ingests.Add(1, round, new KeyValuePair<string, object?>("outcome", rejected ? "rejected" : "stored"));
        _householdsStored.Add(stored, round);
        _householdsRejected.Add(rejectedHouseholds, round);
        _householdsDuplicate.Add(duplicates, round);
    }

    public void AlertChanged(Guid alertRuleId, string indicatorCode, bool raised)
    {
        var counter = raised ? _alertsRaised : _alertsCleared;
        counter.Add(1, new KeyValuePair<string, object?>("alert_rule.id", alertRuleId.ToString()), new KeyValuePair<string, object?>("indicator.code", indicatorCode));
    }

    public Activity? StartIngest(Guid surveyRoundId, int households) =>
        Start("IngestSubmissions")?.SetTag("survey_round.id", surveyRoundId.ToString()).SetTag("households", households);

    public Activity? StartAlertEvaluation(Guid surveyRoundId) =>
        Start("EvaluateAlerts")?.SetTag("survey_round.id", surveyRoundId.ToString());
}
