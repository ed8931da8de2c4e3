using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// Two services as their own processes on PostgreSQL: a plan goes from boundary to approval, and the
/// approval is granted only because the consultation service answers that the assembly approved it.
/// </summary>
public sealed class LandUseWalkthroughTests
{
    [Fact]
    public async Task A_plan_is_approved_by_the_assemblys_decision_across_both_services()
    {
        await using var consultation = await ServiceProcess.StartAsync("Consultation", await Walkthrough.PostgresSettingsAsync("e2e_lu_consultation"));
        var landUseSettings = await Walkthrough.PostgresSettingsAsync("e2e_landuse");
        landUseSettings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var landUse = await ServiceProcess.StartAsync("LandUse", landUseSettings);

        var text = await Walkthrough.RunAsync("walkthrough-landuse.sh", landUse.Address, consultation.Address);

        Assert.Contains("total 894.79 ha", text, StringComparison.Ordinal);
        Assert.Contains("PLAN_VERSION_STATE_IN_CONSULTATION\nPROPOSAL_STATE_APPROVED\nPLAN_VERSION_STATE_APPROVED\n", text, StringComparison.Ordinal);
        Assert.Matches("-plan-v1.kml [0-9]+ bytes application/vnd.google-earth.kml\\+xml", text);
    }
}
