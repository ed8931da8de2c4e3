using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.LandUse.V1;

namespace Watershed.Web.Pages.Planner;

/// <summary>The planner chooses the watershed and sees its land-use plans with their versions.</summary>
public sealed class IndexModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    public IReadOnlyList<WatershedUnit> Units { get; private set; } = [];

    public IReadOnlyList<(Plan Plan, IReadOnlyList<PlanVersion> Versions)> Plans { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var headers = await Backend.AsUserAsync();
        var units = await TryAsync(async () => await Backend.Units.ListWatershedUnitsAsync(new ListWatershedUnitsRequest { Page = new() { PageSize = 100 } }, headers));
        Units = units?.WatershedUnits ?? [];
        if (Unit is null && Units.Count == 1)
        {
            Unit = Units[0].Id;
        }

        if (Units.All(u => u.Id != Unit))
        {
            Unit = null;
            return;
        }

        var plans = await TryAsync(async () => await Backend.Plans.ListPlansAsync(new ListPlansRequest { WatershedUnitId = Unit, Page = new() { PageSize = 100 } }, headers));
        var list = new List<(Plan, IReadOnlyList<PlanVersion>)>();
        foreach (var plan in plans?.Plans ?? [])
        {
            var versions = await TryAsync(async () => await Backend.Plans.ListPlanVersionsAsync(new ListPlanVersionsRequest { PlanId = plan.Id, Page = new() { PageSize = 100 } }, headers));
            list.Add((plan, [.. (versions?.PlanVersions ?? []).OrderByDescending(v => v.Number)]));
        }

        Plans = list;
    }
}
