using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// The indicators service as its own process on PostgreSQL, seeded with the Pomacanchi demo surveys as
/// the run command seeds it, read with buf curl: figures by community and quarter, and the alert history.
/// </summary>
public sealed class IndicatorsWalkthroughTests
{
    [Fact]
    public async Task The_seeded_demo_answers_food_consumption_by_community_and_quarter_with_its_alerts()
    {
        var settings = await Walkthrough.PostgresSettingsAsync("e2e_indicators");
        settings["Demo:Seed"] = "true";
        await using var indicators = await ServiceProcess.StartAsync("Indicators", settings);

        var text = await Walkthrough.RunAsync("walkthrough-indicators.sh", indicators.Address);

        Assert.Contains("AREA_LEVEL_COMMUNITY   manzanares", text, StringComparison.Ordinal);
        Assert.Matches(@"Distrito de Pomacanchi\s+2025Q4  n=58 ", text);
        Assert.Matches(@"Distrito de Pomacanchi\s+2026Q3  n=58 ", text);
        Assert.Matches(@"Comunidad Campesina Conchacalla\s+2025Q4  n=26 ", text);
        Assert.Matches(@"Comunidad Campesina Manzanares\s+2026Q3  n=32 ", text);
        Assert.Contains("2025Q4 ALERT_STATE_RAISED percent:poor", text, StringComparison.Ordinal);
        Assert.Contains("2026Q3 ALERT_STATE_CLEARED percent:poor", text, StringComparison.Ordinal);
    }
}
