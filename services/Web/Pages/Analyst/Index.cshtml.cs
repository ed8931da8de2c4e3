using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Indicators.V1;

namespace Watershed.Web.Pages.Analyst;

/// <summary>
/// The analyst's dashboard of a watershed: one indicator's figures per area (the watershed, its districts and
/// communities) and period, as numbers and as bars of its categories; the alerts; downloads as CSV and DHIS2.
/// </summary>
public sealed class IndexModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    [BindProperty(SupportsGet = true)]
    public string? Watershed { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Indicator { get; set; } = "FCS";

    [BindProperty(SupportsGet = true)]
    public PeriodType PeriodType { get; set; } = PeriodType.Quarter;

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<string> Watersheds { get; private set; } = [];

    public Area? WatershedArea { get; private set; }

    public IReadOnlyList<Indicators.V1.Indicator> Indicators { get; private set; } = [];

    public Indicators.V1.Indicator? Chosen { get; private set; }

    public IReadOnlyList<Aggregate> Aggregates { get; private set; } = [];

    /// <summary>Each area's depth under the watershed (0 the watershed itself), for indenting the table.</summary>
    public IReadOnlyDictionary<string, int> Depth { get; private set; } = new Dictionary<string, int>();

    public IReadOnlyList<Alert> Alerts { get; private set; } = [];

    /// <summary>
    /// A target of a land-use plan's goal, with its progress at the latest period of the chosen range that has a figure
    /// for the target's indicator and area (null when none has).
    /// </summary>
    public sealed record TargetView(PlanTarget Target, string PlanTitle, string? Goal, string AreaName, string? Period, GetPlanProgressResponse? Progress);

    public IReadOnlyList<TargetView> Targets { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Defaults();
        await LoadAsync();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        Defaults();
        await LoadAsync(figures: false);
        if (WatershedArea is null)
        {
            return Page();
        }

        var headers = await Backend.AsUserAsync();
        var csv = await TryAsync(async () => await Backend.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = WatershedArea.Id, PeriodType = PeriodType, FromPeriod = From, ToPeriod = To,
        }, headers));
        return csv is null ? Page() : File(csv.Csv.ToByteArray(), "text/csv; charset=utf-8", $"{WatershedArea.Code}-{From}-{To}.csv");
    }

    public async Task<IActionResult> OnGetDhis2Async()
    {
        Defaults();
        await LoadAsync(figures: false);
        if (WatershedArea is null)
        {
            return Page();
        }

        var headers = await Backend.AsUserAsync();
        var set = await TryAsync(async () => await Backend.Aggregates.ExportDhis2DataValueSetAsync(new ExportDhis2DataValueSetRequest
        {
            WatershedId = WatershedArea.Id, PeriodType = PeriodType, FromPeriod = From, ToPeriod = To,
        }, headers));
        return set is null ? Page() : File(System.Text.Encoding.UTF8.GetBytes(set.DataValueSetJson), "application/json", $"{WatershedArea.Code}-{From}-{To}-dhis2.json");
    }

    /// <summary>Quarters (or years) from two years back to this one, unless chosen.</summary>
    private void Defaults()
    {
        if (!Enum.IsDefined(PeriodType) || PeriodType is PeriodType.Unspecified or PeriodType.Month)
        {
            PeriodType = PeriodType.Quarter;
        }

        var year = DateTime.UtcNow.Year;
        From = string.IsNullOrWhiteSpace(From) ? (PeriodType == PeriodType.Year ? $"{year - 2}" : $"{year - 2}Q1") : From.Trim().ToUpperInvariant();
        To = string.IsNullOrWhiteSpace(To) ? (PeriodType == PeriodType.Year ? $"{year}" : $"{year}Q4") : To.Trim().ToUpperInvariant();
    }

    private async Task LoadAsync(bool figures = true)
    {
        var headers = await Backend.AsUserAsync();
        Watersheds = await WatershedCodesAsync(headers);
        if (Watershed is null || !Watersheds.Contains(Watershed))
        {
            Watershed = Watersheds.FirstOrDefault();
        }

        if (Watershed is null)
        {
            return;
        }

        var areas = await TryAsync(async () => await Backend.Areas.ListAreasAsync(new ListAreasRequest { WatershedCode = Watershed, Page = new() { PageSize = 500 } }, headers));
        var list = areas?.Areas ?? [];
        WatershedArea = list.FirstOrDefault(a => string.IsNullOrEmpty(a.ParentId));
        if (WatershedArea is null || !figures)
        {
            if (WatershedArea is null && Problem is null)
            {
                Problem = Texts["NoIndicatorAreas"];
            }

            return;
        }

        var depth = new Dictionary<string, int> { [WatershedArea.Id] = 0 };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var a in list.Where(a => !depth.ContainsKey(a.Id) && depth.ContainsKey(a.ParentId)))
            {
                depth[a.Id] = depth[a.ParentId] + 1;
                changed = true;
            }
        }

        Depth = depth;
        Indicators = (await TryAsync(async () => await Backend.IndicatorCatalog.ListIndicatorsAsync(new ListIndicatorsRequest { WatershedId = WatershedArea.Id }, headers)))?.Indicators ?? [];
        Chosen = Indicators.FirstOrDefault(i => i.Code == Indicator) ?? Indicators.FirstOrDefault();
        if (Chosen is null)
        {
            return;
        }

        Indicator = Chosen.Code;
        var aggregates = await TryAsync(async () => await Backend.Aggregates.ListAggregatesAsync(new ListAggregatesRequest
        {
            IndicatorCode = Chosen.Code, AreaId = WatershedArea.Id, IncludeDescendants = true, PeriodType = PeriodType,
            FromPeriod = From, ToPeriod = To, Page = new() { PageSize = 500 },
        }, headers));
        Aggregates = [.. (aggregates?.Aggregates ?? [])
            .OrderBy(a => a.Period, StringComparer.Ordinal)
            .ThenBy(a => Depth.GetValueOrDefault(a.AreaId, 9))
            .ThenBy(a => a.AreaName, StringComparer.CurrentCulture)];
        Alerts = (await TryAsync(async () => await Backend.Alerts.ListAlertsAsync(new ListAlertsRequest { AreaId = WatershedArea.Id, Page = new() { PageSize = 100 } }, headers)))?.Alerts ?? [];
        Targets = await TargetsAsync(list, headers);
    }

    /// <summary>
    /// The targets set on the watershed's land-use plans (land use's plans of the watershed with this code; the goals'
    /// words from the version in force, or else the open one), each with its progress from indicators.
    /// </summary>
    private async Task<IReadOnlyList<TargetView>> TargetsAsync(IReadOnlyList<Area> areas, Grpc.Core.Metadata headers)
    {
        var units = await TryAsync(async () => await Backend.Units.ListWatershedUnitsAsync(new LandUse.V1.ListWatershedUnitsRequest { Page = new() { PageSize = 100 } }, headers));
        var unit = units?.WatershedUnits.FirstOrDefault(u => u.Code == Watershed);
        if (unit is null)
        {
            return [];
        }

        var plans = await TryAsync(async () => await Backend.Plans.ListPlansAsync(new LandUse.V1.ListPlansRequest { WatershedUnitId = unit.Id, Page = new() { PageSize = 100 } }, headers));
        var views = new List<TargetView>();
        foreach (var plan in plans?.Plans ?? [])
        {
            var targets = await TryAsync(async () => await Backend.PlanTracking.ListPlanTargetsAsync(new ListPlanTargetsRequest { PlanId = plan.Id, Page = new() { PageSize = 100 } }, headers));
            if (targets is null || targets.Targets.Count == 0)
            {
                continue;
            }

            var versionId = plan.ApprovedVersionId.Length > 0 ? plan.ApprovedVersionId : plan.OpenVersionId;
            var version = versionId.Length == 0 ? null
                : (await TryAsync(async () => await Backend.Plans.GetPlanVersionAsync(new LandUse.V1.GetPlanVersionRequest { PlanVersionId = versionId }, headers)))?.PlanVersion;
            var goals = (version?.GoalItems ?? []).ToDictionary(g => g.GoalId, g => g.Text, StringComparer.Ordinal);
            foreach (var target in targets.Targets)
            {
                var figures = await TryAsync(async () => await Backend.Aggregates.ListAggregatesAsync(new ListAggregatesRequest
                {
                    IndicatorCode = target.IndicatorCode, AreaId = target.AreaId, PeriodType = PeriodType, FromPeriod = From, ToPeriod = To, Page = new() { PageSize = 500 },
                }, headers));
                var period = (figures?.Aggregates ?? []).Where(a => a.AreaId == target.AreaId).Select(a => a.Period).Max(StringComparer.Ordinal);
                var progress = period is null ? null
                    : await TryAsync(async () => await Backend.PlanTracking.GetPlanProgressAsync(new GetPlanProgressRequest { PlanTargetId = target.Id, Period = period }, headers));
                views.Add(new TargetView(
                    target, plan.Title, goals.GetValueOrDefault(target.GoalId), areas.FirstOrDefault(a => a.Id == target.AreaId)?.Name ?? string.Empty, progress is null ? null : period, progress));
            }
        }

        return views;
    }

    /// <summary>What a target measures, in words: the indicator, and the mean or the share of one of its categories.</summary>
    public string TargetMeasure(PlanTarget target)
    {
        var indicator = Indicators.FirstOrDefault(i => i.Code == target.IndicatorCode);
        var name = Labels.IndicatorName(Texts, target.IndicatorCode, indicator?.Name ?? target.IndicatorCode);
        if (target.Metric.StartsWith("percent:", StringComparison.Ordinal))
        {
            var code = target.Metric["percent:".Length..];
            var category = indicator?.Categories.FirstOrDefault(c => c.Code == code);
            return string.Format(CultureInfo.CurrentCulture, Texts["MetricPercent"], name, category is null ? code : Labels.IndicatorCategory(Texts, category));
        }

        return string.Format(CultureInfo.CurrentCulture, Texts["MetricMean"], name);
    }

    /// <summary>A decimal of the API (invariant text) in the person's culture, with the decimals it has.</summary>
    public static string Figure(string value) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d.ToString("#,##0.######", CultureInfo.CurrentCulture) : value;

    /// <summary>The query that repeats this view (for the download links).</summary>
    public string Query() => string.Create(CultureInfo.InvariantCulture,
        $"watershed={Uri.EscapeDataString(Watershed ?? "")}&indicator={Uri.EscapeDataString(Indicator)}&periodType={PeriodType}&from={Uri.EscapeDataString(From ?? "")}&to={Uri.EscapeDataString(To ?? "")}");
}
