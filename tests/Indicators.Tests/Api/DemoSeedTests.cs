using Watershed.Indicators.Demo;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

public sealed class DemoSeedTests
{
    private static readonly Dictionary<string, string?> Seed = new() { ["Demo:Seed"] = "true" };

    [Fact]
    public async Task The_seeded_service_answers_both_rounds_and_seeding_again_changes_nothing()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("indicators");
        DatabaseSnapshot counts;
        await using (var first = IndicatorsApp.OnPostgres(database, Seed))
        {
            var viewer = first.ClientsFor(TestTokens.Create("viewer@test", ["viewer"], [DemoSeeder.WatershedCode]));
            var areas = (await viewer.Areas.ListAreasAsync(new ListAreasRequest { WatershedCode = DemoSeeder.WatershedCode })).Areas;
            Assert.Equal(["pomacanchi", "distrito-pomacanchi", "conchacalla", "manzanares"], areas.Select(a => a.Code).ToArray());
            var watershed = areas[0];
            var district = areas[1];

            var baseline = (await viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = watershed.Id, Period = "2025Q4" })).Aggregate;
            var followUp = (await viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = watershed.Id, Period = "2026Q3" })).Aggregate;
            Assert.Equal((58, 58), (baseline.N, followUp.N));
            Assert.True(followUp.Mean > baseline.Mean, $"follow-up mean {followUp.Mean} should exceed baseline {baseline.Mean}");
            var poor = (Aggregate a) => a.Distribution.Single(c => c.Category == "poor").Percent;
            Assert.True(poor(followUp) < poor(baseline));
            foreach (var community in areas.Skip(2))
            {
                var own = (await viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = community.Id, Period = "2026Q3" })).Aggregate;
                Assert.InRange(own.N, 20, 40);
            }

            var alerts = await viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = district.Id });
            Assert.Equal([(AlertState.Raised, "2025Q4"), (AlertState.Cleared, "2026Q3")], alerts.Alerts.Select(a => (a.State, a.Period)).ToArray());
            var target = Assert.Single((await viewer.Plans.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = DemoSeeder.PlanId.ToString() })).Targets);
            var progress = await viewer.Plans.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = target.Id, Period = "2026Q3" });
            Assert.True(progress.Percent > 0);
            counts = await first.SnapshotAsync();
        }

        await using var second = IndicatorsApp.OnPostgres(database, Seed);
        Assert.Equal(counts, await second.SnapshotAsync());
    }
}
