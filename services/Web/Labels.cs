using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;
using Watershed.LandUse.V1;

namespace Watershed.Web;

/// <summary>Words for the services' codes: people read these, never the codes.</summary>
public static class Labels
{
    public static string State(IStringLocalizer<Texts> t, AssemblyState state) => state switch
    {
        AssemblyState.Convened => t["StateConvened"],
        AssemblyState.Open => t["StateOpen"],
        AssemblyState.Closed => t["StateClosed"],
        _ => string.Empty,
    };

    public static string Call(IStringLocalizer<Texts> t, AssemblyCall call) => call switch
    {
        AssemblyCall.First => t["FirstCall"],
        AssemblyCall.Second => t["SecondCall"],
        _ => string.Empty,
    };

    public static string Category(IStringLocalizer<Texts> t, ZeeCategory category) => category switch
    {
        ZeeCategory.Productive => t["ZeeProductive"],
        ZeeCategory.ProtectionAndConservation => t["ZeeProtection"],
        ZeeCategory.SpecialTreatment => t["ZeeSpecial"],
        ZeeCategory.Recovery => t["ZeeRecovery"],
        ZeeCategory.UrbanIndustrial => t["ZeeUrban"],
        _ => string.Empty,
    };

    public static string VersionState(IStringLocalizer<Texts> t, PlanVersionState state) => state switch
    {
        PlanVersionState.Draft => t["VersionDraft"],
        PlanVersionState.InConsultation => t["VersionInConsultation"],
        PlanVersionState.Approved => t["VersionApproved"],
        PlanVersionState.Superseded => t["VersionSuperseded"],
        PlanVersionState.Withdrawn => t["VersionWithdrawn"],
        _ => string.Empty,
    };

    /// <summary>The categories in the order the legend and the tables list them.</summary>
    public static readonly ZeeCategory[] Categories =
        [ZeeCategory.Productive, ZeeCategory.ProtectionAndConservation, ZeeCategory.SpecialTreatment, ZeeCategory.Recovery, ZeeCategory.UrbanIndustrial];

    public static string Channel(IStringLocalizer<Texts> t, Notifications.V1.Channel channel) => channel switch
    {
        Notifications.V1.Channel.Sms => t["ChannelSms"],
        Notifications.V1.Channel.Email => t["ChannelEmail"],
        Notifications.V1.Channel.Webhook => t["ChannelWebhook"],
        _ => string.Empty,
    };

    public static string Kind(IStringLocalizer<Texts> t, Notifications.V1.EventKind kind) => kind switch
    {
        Notifications.V1.EventKind.Assemblies => t["KindAssemblies"],
        Notifications.V1.EventKind.Decisions => t["KindDecisions"],
        Notifications.V1.EventKind.PlanChanges => t["KindPlanChanges"],
        Notifications.V1.EventKind.Alerts => t["KindAlerts"],
        Notifications.V1.EventKind.Imports => t["KindImports"],
        _ => string.Empty,
    };

    public static string Delivery(IStringLocalizer<Texts> t, Notifications.V1.DeliveryState state) => state switch
    {
        Notifications.V1.DeliveryState.Queued => t["DeliveryQueued"],
        Notifications.V1.DeliveryState.Deferred => t["DeliveryDeferred"],
        Notifications.V1.DeliveryState.Sending => t["DeliverySending"],
        Notifications.V1.DeliveryState.Sent => t["DeliverySent"],
        Notifications.V1.DeliveryState.Failed => t["DeliveryFailed"],
        _ => string.Empty,
    };

    /// <summary>A standard indicator's name in the reader's language; a custom one's as its creator wrote it.</summary>
    public static string IndicatorName(IStringLocalizer<Texts> t, Indicators.V1.Indicator indicator) => IndicatorName(t, indicator.Code, indicator.Name);

    public static string IndicatorName(IStringLocalizer<Texts> t, string code, string fallback) => Known(t, "Ind_" + code) ?? fallback;

    public static string IndicatorCategory(IStringLocalizer<Texts> t, Indicators.V1.IndicatorCategory category) => Known(t, "Cat_" + category.Code) ?? category.Label;

    public static string AlertState(IStringLocalizer<Texts> t, Indicators.V1.AlertState state) => state switch
    {
        Indicators.V1.AlertState.Raised => t["AlertRaised"],
        Indicators.V1.AlertState.Cleared => t["AlertCleared"],
        _ => string.Empty,
    };

    private static string? Known(IStringLocalizer<Texts> t, string key)
    {
        var text = t[key];
        return text.ResourceNotFound ? null : text.Value;
    }

    public static string ProposalState(IStringLocalizer<Texts> t, Consultation.V1.ProposalState state) => state switch
    {
        Consultation.V1.ProposalState.Draft => t["ProposalDraft"],
        Consultation.V1.ProposalState.Submitted => t["ProposalSubmitted"],
        Consultation.V1.ProposalState.OnAgenda => t["ProposalOnAgenda"],
        Consultation.V1.ProposalState.Voting => t["ProposalVoting"],
        Consultation.V1.ProposalState.Approved => t["ProposalApproved"],
        Consultation.V1.ProposalState.Rejected => t["ProposalRejected"],
        Consultation.V1.ProposalState.Withdrawn => t["ProposalWithdrawn"],
        _ => string.Empty,
    };

    public static string Rule(IStringLocalizer<Texts> t, Consultation.V1.DecisionRule rule) => rule switch
    {
        Consultation.V1.DecisionRule.SimpleMajority => t["RuleSimpleMajority"],
        Consultation.V1.DecisionRule.AbsoluteMajorityOfPresent => t["RuleAbsoluteMajority"],
        Consultation.V1.DecisionRule.TwoThirdsOfRoll => t["RuleTwoThirds"],
        Consultation.V1.DecisionRule.Consensus => t["RuleConsensus"],
        _ => string.Empty,
    };
}
