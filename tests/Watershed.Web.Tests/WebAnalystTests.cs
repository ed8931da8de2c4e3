using System.Globalization;
using Microsoft.Playwright;
using Watershed.Indicators.V1;

namespace Watershed.Web.Tests;

/// <summary>
/// The analyst's dashboard in the browser against indicators on PostgreSQL (its Pomacanchi demo): every figure on the
/// page is indicators' own, for the watershed and every area inside it, for each indicator chosen; the CSV download is
/// the service's export.
/// </summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task An_analyst_reads_the_figures_per_area_and_period_exactly_as_indicators_computes_them()
    {
        var (areas, aggregates) = await system.IndicatorsAsAsync("analyst.pomacanchi");
        var watershed = (await areas.ListAreasAsync(new ListAreasRequest { WatershedCode = "pomacanchi", Page = new() { PageSize = 500 } })).Areas.Single(a => a.ParentId == string.Empty);
        var year = DateTime.UtcNow.Year;

        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "analyst.pomacanchi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Seguridad alimentaria: indicadores y alertas" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }).First).ToHaveTextAsync("Puntaje de consumo de alimentos (FCS)");

        foreach (var (code, heading) in new[] { ("FCS", "Puntaje de consumo de alimentos (FCS)"), ("CARI", "Seguridad alimentaria (CARI)"), ("RCSI", "Índice reducido de estrategias de afrontamiento (rCSI)") })
        {
            if (code != "FCS")
            {
                await page.GetByLabel("Indicador").SelectOptionAsync(code);
                await page.GetByRole(AriaRole.Button, new() { Name = "Ver" }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2 }).First).ToHaveTextAsync(heading);
            }

            var expected = (await aggregates.ListAggregatesAsync(new ListAggregatesRequest
            {
                IndicatorCode = code, AreaId = watershed.Id, IncludeDescendants = true, PeriodType = PeriodType.Quarter,
                FromPeriod = $"{year - 2}Q1", ToPeriod = $"{year}Q4", Page = new() { PageSize = 500 },
            })).Aggregates;
            Assert.NotEmpty(expected);
            await Assertions.Expect(page.Locator("table.figures tbody tr")).ToHaveCountAsync(expected.Count);
            foreach (var a in expected)
            {
                var row = page.Locator($"table.figures tr[data-area='{a.AreaCode}'][data-period='{a.Period}']");
                await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(a.N.ToString("N0", Spanish));
                await Assertions.Expect(row.Locator("td.mean")).ToHaveTextAsync(a.HasMean ? a.Mean.ToString("N1", Spanish) : "—");
                foreach (var share in a.Distribution)
                {
                    await Assertions.Expect(row.Locator($"li[data-category='{share.Category}']")).ToContainTextAsync(share.Percent.ToString("N1", Spanish) + " %");
                }
            }
        }

        await AssertAccessibleAsync(page);
        await ShotAsync(page, "analyst-dashboard");

        // The CSV is indicators' export of the same range.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Cifras en CSV (Excel)" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        var export = await aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = $"{year - 2}Q1", ToPeriod = $"{year}Q4",
        });
        Assert.Equal(export.Csv.ToStringUtf8(), csv);
        Assert.StartsWith("indicator_code,area_id,period,metric,value", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
    }
}
