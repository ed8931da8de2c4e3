using System.Globalization;
using Microsoft.Playwright;
using Watershed.Indicators.V1;

namespace Watershed.Web.Tests;

/// <summary>The analyst's dashboard shows the targets set on the watershed's land-use plan with indicators' own progress.</summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task An_analyst_sees_a_plan_target_with_its_progress_bar_as_indicators_computes_it()
    {
        var (areas, aggregates) = await system.IndicatorsAsAsync("analyst.pomacanchi");
        var watershed = (await areas.ListAreasAsync(new ListAreasRequest { WatershedCode = "pomacanchi", Page = new() { PageSize = 500 } })).Areas.Single(a => a.ParentId == string.Empty);
        var year = DateTime.UtcNow.Year;
        var figures = (await aggregates.ListAggregatesAsync(new ListAggregatesRequest
        {
            IndicatorCode = "RCSI", AreaId = watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = $"{year - 2}Q1", ToPeriod = $"{year}Q4", Page = new() { PageSize = 500 },
        })).Aggregates.Where(a => a.AreaId == watershed.Id).OrderBy(a => a.Period, StringComparer.Ordinal).ToList();
        Assert.True(figures.Count >= 2, "the demo has a baseline and a follow-up round");

        // The survey team sets a target on the plan's goal: rCSI (lower is better) down by 8 from the baseline round,
        // which the follow-up round has come part of the way to.
        var tracking = await system.PlanTrackingAsAsync("analyst.pomacanchi");
        var baseline = figures[0];
        var target = (await tracking.CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new PlanTarget
            {
                PlanId = system.PlanId, GoalId = system.PlanGoalId, IndicatorCode = "RCSI", AreaId = watershed.Id, Metric = "mean",
                BaselinePeriod = baseline.Period, TargetValue = (Math.Round((decimal)baseline.Mean, 1) - 8m).ToString(CultureInfo.InvariantCulture), TargetDate = "2030-12-31",
            },
        })).Target;
        var latest = figures[^1].Period;
        var progress = await tracking.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = target.Id, Period = latest });

        Assert.False(progress.TargetReached);
        Assert.InRange(progress.Percent, 0, 100);

        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "analyst.pomacanchi");
        await page.GotoAsync("/Analyst?indicator=RCSI");
        var item = page.Locator($"li[data-target='{target.Id}']");
        await Assertions.Expect(item.Locator("h3")).ToHaveTextAsync("Proteger las cabeceras de cuenca");
        await Assertions.Expect(item).ToContainTextAsync(WebSystem.PlanTitle);
        string Figure(string v) => decimal.Parse(v, CultureInfo.InvariantCulture).ToString("#,##0.######", Spanish);
        await Assertions.Expect(item.Locator(".progress-text")).ToHaveTextAsync(
            $"Línea de base {Figure(target.BaselineValue)} ({baseline.Period}) → ahora {Figure(progress.CurrentValue)} ({latest}) → meta {Figure(target.TargetValue)} al 2030-12-31");
        var expected = progress.TargetReached ? "Meta alcanzada"
            : progress.Percent < 0 ? $"Peor que en la línea de base ({progress.Percent.ToString("N0", Spanish)} %)"
            : $"{progress.Percent.ToString("N0", Spanish)} % del camino hacia la meta";
        await Assertions.Expect(item.Locator(".progress-percent")).ToHaveTextAsync(expected);
        var width = progress.HasPercent ? Math.Clamp(progress.Percent, 0, 100) : 0;
        Assert.Equal($"width:{width.ToString("0.#", CultureInfo.InvariantCulture)}%", await item.Locator(".meter span").GetAttributeAsync("style"));
        await AssertAccessibleAsync(page);
        await ShotAsync(page, "analyst-plan-target");
    }
}
