using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Events;
using ConsultationV1 = Watershed.Consultation.V1;
using IndicatorsV1 = Watershed.Indicators.V1;
using LandUseV1 = Watershed.LandUse.V1;

namespace Watershed.Notifications.Events;

/// <summary>
/// Events as notices: the names, titles and figures they carry. An event missing what it must carry, or carrying a text
/// no message may hold, is poison (dropped to the dead-letter topic, never retried): every text a notice uses is one
/// line without control characters, the watershed code at most 40 characters (its column), a survey round's name at
/// most 200 (its column in digests), every other text at most <see cref="MaxText"/> (what the publishers accept is
/// shorter still: 200 for titles, names and places, 500 for an agenda item), and an agenda at most 50 items.
/// </summary>
internal static class EventNotices
{
    /// <summary>The longest text other than a code or a round name a notice takes from an event.</summary>
    public const int MaxText = 500;

    public const int MaxAgendaItems = 50;

    public static (AssemblyConvenedNotice Notice, Guid SpaceId) ToNotice(this ConsultationV1.AssemblyConvened e)
    {
        var (watershed, space) = Scope(e.Scope);
        if (e.Agenda.Count > MaxAgendaItems)
        {
            throw new PoisonEventException($"agenda has {e.Agenda.Count} items; at most {MaxAgendaItems} are sent");
        }

        return (new AssemblyConvenedNotice(watershed, Text(e.Title, "title"), Text(e.Place, "place"), e.ScheduledAt?.ToDateTimeOffset(),
            [.. e.Agenda.Select((item, i) => Text(item, $"agenda[{i}]"))]), space);
    }

    public static (BallotClosedNotice Notice, Guid SpaceId) ToNotice(this ConsultationV1.BallotClosed e)
    {
        var (watershed, space) = Scope(e.Scope);
        var tally = e.Tally ?? new ConsultationV1.Tally();
        return (new BallotClosedNotice(watershed, Text(e.ProposalTitle, "proposal_title"), e.Result?.Approved ?? false, tally.Yes, tally.No, tally.Abstain,
            tally.Block, tally.Cast), space);
    }

    public static ProposalDecidedNotice ToNotice(this ConsultationV1.ProposalDecided e)
    {
        var (watershed, _) = Scope(e.Scope);
        var type = e.Type == ConsultationV1.ProposalType.Unspecified ? ProposalKind.General : (ProposalKind)(int)e.Type;
        return new ProposalDecidedNotice(watershed, Text(e.Title, "title"), type, e.State == ConsultationV1.ProposalState.Approved);
    }

    public static PlanVersionNotice ToNotice(this LandUseV1.PlanVersionSubmitted e) =>
        new(Watershed(e.Version?.WatershedCode), Text(e.Version!.PlanTitle, "version.plan_title"), e.Version.Number, e.ZoneCount, e.AreaHa, Approved: false);

    public static PlanVersionNotice ToNotice(this LandUseV1.PlanVersionApproved e) =>
        new(Watershed(e.Version?.WatershedCode), Text(e.Version!.PlanTitle, "version.plan_title"), e.Version.Number, e.ZoneCount, e.AreaHa, Approved: true);

    public static AlertNotice ToNotice(this IndicatorsV1.AlertRaised e) =>
        new(Watershed(e.WatershedCode), AreaName(e.AreaName, e.AreaCode), Text(e.Condition, "condition"), Text(e.ObservedValue, "observed_value"),
            IsPercent(e.Metric), Text(e.Period, "period"), e.N, Raised: true);

    public static AlertNotice ToNotice(this IndicatorsV1.AlertCleared e) =>
        new(Watershed(e.WatershedCode), AreaName(e.AreaName, e.AreaCode), Text(e.Condition, "condition"), Text(e.ObservedValue, "observed_value"),
            IsPercent(e.Metric), Text(e.Period, "period"), e.N, Raised: false);

    public static ImportNotice ToNotice(this IndicatorsV1.SubmissionsImported e) =>
        new(Watershed(e.WatershedCode), Text(e.SurveyRoundName, "survey_round_name", 200), e.StoredRows, e.AreaIds.Count);

    /// <summary>A text of the event as a message may carry it, or the event is poison (the field named, the value not repeated).</summary>
    private static string Text(string value, string field, int max = MaxText) =>
        value.Length > max ? throw new PoisonEventException($"{field} has {value.Length} characters; at most {max} are sent")
        : Validation.HasControlCharacter(value) ? throw new PoisonEventException($"{field} holds control characters")
        : value;

    private static (string Watershed, Guid Space) Scope(ConsultationV1.ConsultationScope? scope)
    {
        var watershed = Watershed(scope?.WatershedCode);
        return Guid.TryParse(scope!.SpaceId, out var space)
            ? (watershed, space)
            : throw new PoisonEventException("the event's scope names no space");
    }

    private static string Watershed(string? code) =>
        string.IsNullOrWhiteSpace(code) ? throw new InvalidArgumentException("watershed_code", "the event names no watershed") : Text(code, "watershed_code", 40);

    // An area without a name is still better named by its code than not at all.
    private static string AreaName(string name, string code) => string.IsNullOrWhiteSpace(name) ? Text(code, "area_code") : Text(name, "area_name");

    private static bool IsPercent(string metric) => metric.StartsWith("percent:", StringComparison.Ordinal);
}
