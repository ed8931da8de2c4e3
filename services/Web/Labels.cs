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
}
