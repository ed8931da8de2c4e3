using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.LandUse.V1;

namespace Watershed.Web.Pages.Planner;

/// <summary>What changed between two versions of a plan: on the map (added, removed, changed) and as tables.</summary>
public sealed class DiffModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    [BindProperty(SupportsGet = true)]
    public string From { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string To { get; set; } = "";

    public PlanVersion? FromVersion { get; private set; }

    public PlanVersion? ToVersion { get; private set; }

    public DiffPlanVersionsResponse? Diff { get; private set; }

    public async Task OnGetAsync()
    {
        var headers = await Backend.AsUserAsync();
        Diff = await TryAsync(async () => await Backend.Plans.DiffPlanVersionsAsync(new DiffPlanVersionsRequest { FromPlanVersionId = From, ToPlanVersionId = To }, headers));
        if (Diff is null)
        {
            return;
        }

        FromVersion = (await TryAsync(async () => await Backend.Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = From }, headers)))?.PlanVersion;
        ToVersion = (await TryAsync(async () => await Backend.Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = To }, headers)))?.PlanVersion;
    }

    /// <summary>
    /// The later version's zones in their category colours, faded where unchanged; removed zones outlined, changed and
    /// added zones outlined on top.
    /// </summary>
    public string MapSvg()
    {
        var changed = Diff!.Changed.Select(c => c.ZoneCode).ToHashSet(StringComparer.Ordinal);
        var added = Diff.Added.Select(z => z.Content.ZoneCode).ToHashSet(StringComparer.Ordinal);
        var shapes = new List<ZoneMap.Shape>();
        foreach (var z in ToVersion?.Zones ?? [])
        {
            var mark = added.Contains(z.Content.ZoneCode) ? " diff-added" : changed.Contains(z.Content.ZoneCode) ? " diff-changed" : " diff-same";
            var what = added.Contains(z.Content.ZoneCode) ? Texts["DiffAdded"] : changed.Contains(z.Content.ZoneCode) ? Texts["DiffChanged"] : Texts["DiffSame"];
            shapes.Add(new(ZoneMap.Rings(z.Content.GeometryGeojson), ZoneMap.CategoryClass(z.Content.Category) + mark, $"{z.Content.ZoneCode} {z.Content.Name} · {what}"));
        }

        foreach (var z in Diff.Removed)
        {
            shapes.Add(new(ZoneMap.Rings(z.Content.GeometryGeojson), "diff-removed", $"{z.Content.ZoneCode} {z.Content.Name} · {Texts["DiffRemoved"]}"));
        }

        return ZoneMap.Svg(shapes, Texts["DiffMapLabel"], Texts["MapEmpty"]);
    }

    public string Changes(ZoneChange change) => string.Join(", ", change.Changes.Select(k => k switch
    {
        ZoneChangeKind.Geometry => Texts["ChangeGeometry"].Value,
        ZoneChangeKind.Category => Texts["ChangeCategory"].Value,
        ZoneChangeKind.Subcategory => Texts["ChangeSubcategory"].Value,
        ZoneChangeKind.Uses => Texts["ChangeUses"].Value,
        ZoneChangeKind.Name => Texts["ChangeName"].Value,
        ZoneChangeKind.Notes => Texts["ChangeNotes"].Value,
        _ => string.Empty,
    }).Distinct());
}
