using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;

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
}
