using System.Globalization;
using Watershed.Indicators.Demo;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

public sealed class DemoSeedTests
{
    private static readonly Dictionary<string, string?> Seed = new() { ["Demo:Seed"] = "true" };

    /// <summary>
    /// One demo household as its file has it: survey weight and FCS worked out here from the nine group columns
    /// with WFP's weights (2, 3, 1, 1, 4, 4, 0.5, 0.5, 0), independently of the service's scorer.
    /// </summary>
    private sealed record DemoHousehold(decimal Weight, decimal Fcs);

    private static List<DemoHousehold> Read(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Demo", file));
        var header = lines[0].Split(';').Select(c => c.Trim('"')).ToList();
        (string Column, decimal Weight)[] groups =
            [("FCSStap", 2m), ("FCSPulse", 3m), ("FCSVeg", 1m), ("FCSFruit", 1m), ("FCSPr", 4m), ("FCSDairy", 4m), ("FCSSugar", 0.5m), ("FCSFat", 0.5m), ("FCSCond", 0m)];
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var cells = line.Split(';').Select(c => c.Trim('"')).ToList();
            decimal Cell(string column) => decimal.Parse(cells[header.IndexOf(column)], CultureInfo.InvariantCulture);
            return new DemoHousehold(Cell("weight"), groups.Sum(g => g.Weight * Cell(g.Column)));
        })];
    }

    private static decimal Mean(List<DemoHousehold> households) => households.Sum(h => h.Weight * h.Fcs) / households.Sum(h => h.Weight);

    /// <summary>Poor is FCS ≤ 21 with the standard cut-offs the demo rounds use; the share is by survey weight.</summary>
    private static decimal PercentPoor(List<DemoHousehold> households) => 100m * households.Where(h => h.Fcs <= 21m).Sum(h => h.Weight) / households.Sum(h => h.Weight);

    [Fact]
    public async Task The_seeded_service_answers_the_demo_files_figures_and_seeding_again_changes_nothing()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("indicators");
        DatabaseSnapshot seeded;
        await using (var first = IndicatorsApp.OnPostgres(database, Seed))
        {
            var viewer = first.ClientsFor(TestTokens.Create("viewer@test", ["viewer"], [DemoSeeder.WatershedCode]));
            var areas = (await viewer.Areas.ListAreasAsync(new ListAreasRequest { WatershedCode = DemoSeeder.WatershedCode })).Areas;
            Assert.Equal(["pomacanchi", "distrito-pomacanchi", "conchacalla", "manzanares", "santa-lucia", "tocorani"], areas.Select(a => a.Code).ToArray());
            var (watershed, district) = (areas[0], areas[1]);
            Task<Aggregate> FcsAsync(Area area, string period) =>
                viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = area.Id, Period = period }).ResponseAsync.ContinueWith(t => t.Result.Aggregate);

            var expected = new Dictionary<string, List<DemoHousehold>>();
            var firstFile = new Dictionary<string, List<DemoHousehold>>();
            foreach (var period in new[] { "2025Q4", "2026Q3" })
            {
                var manzanares = Read($"{period}-manzanares.csv");
                var conchacalla = Read($"{period}-conchacalla.csv");
                Assert.Equal((32, 26), (manzanares.Count, conchacalla.Count));
                expected[period] = [.. manzanares, .. conchacalla];
                firstFile[period] = conchacalla;
                foreach (var (area, households) in new[] { (areas[3], manzanares), (areas[2], conchacalla), (watershed, expected[period]) })
                {
                    var figure = await FcsAsync(area, period);
                    Assert.Equal((households.Count, 0), (figure.N, figure.NMissing));
                    Assert.Equal((double)households.Sum(h => h.Weight), figure.SumOfWeights, 9);
                    Assert.Equal((double)Mean(households), figure.Mean, 9);
                    Assert.Equal((double)PercentPoor(households), figure.Distribution.Single(c => c.Category == "poor").Percent, 9);
                }
            }

            Assert.Equal((58, 58), ((await FcsAsync(watershed, "2025Q4")).N, (await FcsAsync(watershed, "2026Q3")).N));

            // The rule (district, poor share above 20 %) is raised by the baseline and cleared by the follow-up: each
            // round's first file (Conchacalla's, in file order) changes it, and the second keeps it where it is.
            var alerts = (await viewer.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = district.Id })).Alerts;
            Assert.Equal([(AlertState.Raised, "2025Q4", 26), (AlertState.Cleared, "2026Q3", 26)], alerts.Select(a => (a.State, a.Period, a.N)).ToArray());
            Assert.Equal([PercentPoor(firstFile["2025Q4"]), PercentPoor(firstFile["2026Q3"])],
                alerts.Select(a => decimal.Parse(a.ObservedValue, CultureInfo.InvariantCulture)).ToArray(), new RoundedTo(4));
            Assert.True(PercentPoor(expected["2025Q4"]) > 20m && PercentPoor(expected["2026Q3"]) <= 20m, "Both files together should stay on the same side of 20 %.");

            seeded = await first.SnapshotAsync();
        }

        await using var second = IndicatorsApp.OnPostgres(database, Seed);
        Assert.Equal(seeded, await second.SnapshotAsync());
    }

    /// <summary>Compares figures as the API writes them: at most 4 decimals, halves away from zero.</summary>
    private sealed class RoundedTo(int decimals) : IEqualityComparer<decimal>
    {
        public bool Equals(decimal x, decimal y) => Round(x) == Round(y);

        public int GetHashCode(decimal obj) => Round(obj).GetHashCode();

        private decimal Round(decimal value) => decimal.Round(value, decimals, MidpointRounding.AwayFromZero);
    }
}
