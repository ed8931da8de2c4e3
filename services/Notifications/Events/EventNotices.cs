using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Events;
using ConsultationV1 = Watershed.Consultation.V1;
using IndicatorsV1 = Watershed.Indicators.V1;
using LandUseV1 = Watershed.LandUse.V1;

namespace Watershed.Notifications.Events;

/// <summary>Events as notices: the names, titles and figures they carry. An event missing what it must carry is poison.</summary>
internal static class EventNotices
{
    public static (AssemblyConvenedNotice Notice, Guid SpaceId) ToNotice(this ConsultationV1.AssemblyConvened e)
    {
        var (watershed, space) = Scope(e.Scope);
        return (new AssemblyConvenedNotice(watershed, e.Title, e.Place, e.ScheduledAt?.ToDateTimeOffset(), [.. e.Agenda]), space);
    }

    public static (BallotClosedNotice Notice, Guid SpaceId) ToNotice(this ConsultationV1.BallotClosed e)
    {
        var (watershed, space) = Scope(e.Scope);
        var tally = e.Tally ?? new ConsultationV1.Tally();
        return (new BallotClosedNotice(watershed, e.ProposalTitle, e.Result?.Approved ?? false, tally.Yes, tally.No, tally.Abstain, tally.Block, tally.Cast), space);
    }

    public static ProposalDecidedNotice ToNotice(this ConsultationV1.ProposalDecided e)
    {
        var (watershed, _) = Scope(e.Scope);
        var type = e.Type == ConsultationV1.ProposalType.Unspecified ? ProposalKind.General : (ProposalKind)(int)e.Type;
        return new ProposalDecidedNotice(watershed, e.Title, type, e.State == ConsultationV1.ProposalState.Approved);
    }

    public static PlanVersionNotice ToNotice(this LandUseV1.PlanVersionSubmitted e) =>
        new(Watershed(e.Version?.WatershedCode), e.Version!.PlanTitle, e.Version.Number, e.ZoneCount, e.AreaHa, Approved: false);

    public static PlanVersionNotice ToNotice(this LandUseV1.PlanVersionApproved e) =>
        new(Watershed(e.Version?.WatershedCode), e.Version!.PlanTitle, e.Version.Number, e.ZoneCount, e.AreaHa, Approved: true);

    public static AlertNotice ToNotice(this IndicatorsV1.AlertRaised e) =>
        new(Watershed(e.WatershedCode), AreaName(e.AreaName, e.AreaCode), e.Condition, e.ObservedValue, IsPercent(e.Metric), e.Period, e.N, Raised: true);

    public static AlertNotice ToNotice(this IndicatorsV1.AlertCleared e) =>
        new(Watershed(e.WatershedCode), AreaName(e.AreaName, e.AreaCode), e.Condition, e.ObservedValue, IsPercent(e.Metric), e.Period, e.N, Raised: false);

    public static ImportNotice ToNotice(this IndicatorsV1.SubmissionsImported e) =>
        new(Watershed(e.WatershedCode), e.SurveyRoundName, e.StoredRows, e.AreaIds.Count);

    private static (string Watershed, Guid Space) Scope(ConsultationV1.ConsultationScope? scope)
    {
        var watershed = Watershed(scope?.WatershedCode);
        return Guid.TryParse(scope!.SpaceId, out var space)
            ? (watershed, space)
            : throw new PoisonEventException("the event's scope names no space");
    }

    private static string Watershed(string? code) =>
        string.IsNullOrWhiteSpace(code) ? throw new InvalidArgumentException("watershed_code", "the event names no watershed") : code;

    // An area without a name is still better named by its code than not at all.
    private static string AreaName(string name, string code) => string.IsNullOrWhiteSpace(name) ? code : name;

    private static bool IsPercent(string metric) => metric.StartsWith("percent:", StringComparison.Ordinal);
}
