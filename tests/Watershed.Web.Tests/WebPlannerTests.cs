using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.Web.Tests;

/// <summary>
/// The planner's journey in the browser against land use on PostgreSQL: the plans, a version's map coloured by category
/// with its hectares per category, the changes between two versions, a layer refused with its faults (nothing stored)
/// and one loaded, and the exports.
/// </summary>
public sealed partial class WebJourneyTests
{
    private static readonly CultureInfo Spanish = CultureInfo.GetCultureInfo("es");

    [Fact]
    public async Task A_planner_sees_the_versions_the_map_with_hectares_per_category_and_what_changed()
    {
        var plans = await system.PlansAsAsync("admin");
        var draft = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = system.DraftVersionId })).PlanVersion;
        var diff = await plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = system.FirstVersionId, ToPlanVersionId = system.DraftVersionId });

        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "facilitator.pomacanchi");
        await page.GetByRole(AriaRole.Link, new() { Name = "Planes de uso del suelo" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = WebSystem.PlanTitle })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Versión 1 Retirada" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Versión 2 Borrador" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // The draft: one shape per zone, the legend, and hectares per category exactly as the service counts them.
        await page.GetByRole(AriaRole.Link, new() { Name = "Versión 2", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("svg.zone-map path")).ToHaveCountAsync(draft.Zones.Count + 1);
        await Assertions.Expect(page.Locator("svg.zone-map path.boundary")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".legend li")).ToHaveCountAsync(6);
        foreach (var category in draft.Zones.GroupBy(z => z.Content.Category))
        {
            var row = page.Locator($"tr[data-category='{ZoneMap.CategoryClass(category.Key)}']");
            await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(category.Count().ToString(Spanish));
            await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(category.Sum(z => z.AreaHa).ToString("N1", Spanish));
        }

        await Assertions.Expect(page.Locator("tr[data-category]")).ToHaveCountAsync(draft.Zones.Select(z => z.Content.Category).Distinct().Count());
        await AssertAccessibleAsync(page);
        await ShotAsync(page, "planner-version");

        // The GeoJSON export holds every zone of the version.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "GeoJSON" }).ClickAsync());
        using (var exported = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync())))
        {
            Assert.Equal(draft.Zones.Count, exported.RootElement.GetProperty("features").GetArrayLength());
        }

        Assert.EndsWith(".geojson", download.SuggestedFilename, StringComparison.Ordinal);

        // What changed from version 1: the service's diff, in words and on the map.
        await page.GetByRole(AriaRole.Link, new() { Name = "Todos los planes" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ver qué cambió de la versión 1 a la 2" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"{diff.Added.Count} zonas nuevas, {diff.Removed.Count} quitadas, {diff.Changed.Count} cambiadas.")).ToBeVisibleAsync();
        Assert.Equal((1, 0, 1), (diff.Added.Count, diff.Removed.Count, diff.Changed.Count));
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { NameRegex = new Regex("^REC-01 .* la categoría, la subcategoría") })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg.zone-map path.diff-added")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("svg.zone-map path.diff-changed")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(page);
        await ShotAsync(page, "planner-diff");
    }

    [Fact]
    public async Task A_layer_with_faults_is_refused_with_each_fault_listed_and_nothing_stored_then_a_clean_one_is_loaded()
    {
        var plans = await system.PlansAsAsync("admin");
        var draft = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = system.DraftVersionId })).PlanVersion;
        var unitId = (await plans.GetPlanAsync(new GetPlanRequest { PlanId = draft.PlanId })).Plan.WatershedUnitId;
        var created = await plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = unitId, Title = "Plan de la microcuenca Sanka", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2031 },
        });
        var folder = Directory.CreateTempSubdirectory("watershed-layer-").FullName;
        try
        {
            // A bow-tie (a ring crossing itself) and a zone without a category: two faults, named by feature.
            var faulty = Path.Combine(folder, "zonas-con-fallas.geojson");
            await File.WriteAllTextAsync(faulty, """
                {"type":"FeatureCollection","features":[
                  {"type":"Feature","properties":{"codigo":"A-1","nombre":"Moño","categoria":"productiva","subcategoria":"pastos"},
                   "geometry":{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.06],[-71.60,-14.07],[-71.61,-14.06],[-71.61,-14.07]]]}},
                  {"type":"Feature","properties":{"codigo":"A-2","nombre":"Sin categoría"},"geometry":{"type":"Polygon","coordinates":[[[-71.59,-14.07],[-71.58,-14.07],[-71.58,-14.06],[-71.59,-14.06],[-71.59,-14.07]]]}}
                ]}
                """, Encoding.UTF8);

            await using var context = await system.NewContextAsync();
            var page = await context.NewPageAsync();
            await WebSystem.SignInAsync(page, "facilitator.pomacanchi");
            await page.GotoAsync($"/Planner/Version/{created.FirstVersion.Id}");
            await page.GetByLabel(new Regex("^Capa de QGIS")).SetInputFilesAsync(faulty);
            await page.GetByRole(AriaRole.Button, new() { Name = "Revisar y cargar" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No se cargó nada");
            await Assertions.Expect(page.Locator(".faults li").Filter(new() { HasText = "features[0]" }).First).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".faults li").Filter(new() { HasText = "features[1]" }).First).ToBeVisibleAsync();
            Assert.Equal(0, (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = created.FirstVersion.Id })).PlanVersion.ZoneCount);
            // Both faulty features are drawn on the map where they are, the bow-tie too, each named with its faults.
            await Assertions.Expect(page.Locator("#layer-map path.layer-fault")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#layer-map path.layer-fault title").Filter(new() { HasText = "Objeto 0 (A-1)" })).ToContainTextAsync("Self-intersection");
            await Assertions.Expect(page.Locator("#layer-map path.layer-fault title").Filter(new() { HasText = "Objeto 1 (A-2)" })).ToHaveCountAsync(1);
            await AssertAccessibleAsync(page);
            await ShotAsync(page, "planner-layer-refused");

            // The sample layer, as QGIS exports it: stored, drawn, counted.
            await page.GetByLabel(new Regex("^Capa de QGIS")).SetInputFilesAsync(Path.Combine(ServiceProcess.RepositoryRoot(), "services", "LandUse", "Samples", "pomacanchi_zones.geojson"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Revisar y cargar" }).ClickAsync();
            var stored = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = created.FirstVersion.Id })).PlanVersion;
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Capa cargada: {stored.ZoneCount} zonas.");
            Assert.Equal(4, stored.ZoneCount);
            await Assertions.Expect(page.Locator("svg.zone-map path:not(.boundary)")).ToHaveCountAsync(4);

            // Sent to consultation: the draft is frozen, and the page no longer offers a load.
            await page.GetByRole(AriaRole.Button, new() { Name = "Enviar a consulta" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("La versión está en consulta.");
            Assert.Equal(PlanVersionState.InConsultation, (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = created.FirstVersion.Id })).PlanVersion.State);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Revisar y cargar" })).ToHaveCountAsync(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
