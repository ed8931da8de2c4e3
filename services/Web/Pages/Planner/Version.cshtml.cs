using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.LandUse.V1;

namespace Watershed.Web.Pages.Planner;

/// <summary>
/// One plan version: its zones on a map coloured by category with a legend, hectares per category, the layout check,
/// the exports, and for a draft the import of a layer (faults listed before anything is stored) and submission.
/// </summary>
[RequestSizeLimit(MaxUpload + (64 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUpload + (64 * 1024))]
public sealed class VersionModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    /// <summary>A layer the browser may send: the service's own limit on a request (4 MB) with room for the form.</summary>
    public const long MaxUpload = 4 * 1024 * 1024;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    public Plan? Plan { get; private set; }

    public PlanVersion? Version { get; private set; }

    public CheckPlanVersionLayoutResponse? Layout { get; private set; }

    /// <summary>The watershed the plan is for: its boundary frames the map.</summary>
    public WatershedUnit? Unit { get; private set; }

    /// <summary>The faults of a refused layer, each as the service names it (feature and field) with its reason.</summary>
    public IReadOnlyList<(string Where, string Reason)> Faults { get; private set; } = [];

    /// <summary>The checked layer's features and their faults, for drawing where each fault is (land use's check).</summary>
    public ImportPlanVersionZonesResponse? Checked { get; private set; }

    public IReadOnlyList<(ZeeCategory Category, double Hectares, int Zones)> ByCategory { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(ExportFormat format)
    {
        if (!Enum.IsDefined(format) || format == ExportFormat.Unspecified)
        {
            return NotFound();
        }

        var headers = await Backend.AsUserAsync();
        var export = await TryAsync(async () => await Backend.Plans.ExportPlanVersionAsync(new ExportPlanVersionRequest { PlanVersionId = Id, Format = format }, headers));
        if (export is null)
        {
            await LoadAsync();
            return Page();
        }

        return File(export.Content.ToByteArray(), export.MediaType, export.FileName);
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? layer)
    {
        if (layer is null || layer.Length == 0)
        {
            Problem = Texts["LayerMissing"];
        }
        else if (layer.Length > MaxUpload)
        {
            Problem = Texts["LayerTooLarge"];
        }
        else
        {
            using var content = new MemoryStream();
            await layer.CopyToAsync(content, HttpContext.RequestAborted);
            var headers = await Backend.AsUserAsync();
            try
            {
                // First the check, which stores nothing: a layer with faults is shown on the map with each fault, and
                // only a clean one is then imported.
                var file = Google.Protobuf.ByteString.CopyFrom(content.GetBuffer(), 0, (int)content.Length);
                var check = await Backend.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = Id, File = file, CheckOnly = true }, headers);
                if (check.FaultCount > 0)
                {
                    Problem = Texts["LayerRefused"];
                    Checked = check;
                    Faults = [.. check.Faults.Select(f => (f.Field, f.Description))];
                    if (check.FaultCount > check.Faults.Count)
                    {
                        Faults = [.. Faults, (string.Empty, string.Format(System.Globalization.CultureInfo.CurrentCulture, Texts["LayerMoreFaults"], check.FaultCount - check.Faults.Count))];
                    }

                    await LoadAsync();
                    return Page();
                }

                var imported = await Backend.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = Id, File = file }, headers);
                Done = string.Format(System.Globalization.CultureInfo.CurrentCulture, Texts["LayerImported"], imported.PlanVersion.ZoneCount);
                if (imported.IgnoredProperties.Count > 0)
                {
                    Done += " " + string.Format(System.Globalization.CultureInfo.CurrentCulture, Texts["LayerIgnored"], string.Join(", ", imported.IgnoredProperties.Select(p => p.Name)));
                }
            }
            catch (RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.InvalidArgument && ex.GetRpcStatus()?.GetDetail<BadRequest>() is { } bad)
            {
                Problem = Texts["LayerRefused"];
                Faults = [.. bad.FieldViolations.Select(f => (f.Field, f.Description))];
            }
            catch (RpcException ex)
            {
                Problem = Describe(ex.StatusCode, ex.Status.Detail);
            }
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync()
    {
        var headers = await Backend.AsUserAsync();
        var submitted = await TryAsync(async () => await Backend.Plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = Id }, headers));
        if (submitted is not null)
        {
            Done = Texts["VersionSubmitted"];
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var headers = await Backend.AsUserAsync();
        var problem = Problem;
        var version = await TryAsync(async () => await Backend.Plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = Id }, headers));
        Version = version?.PlanVersion;
        if (Version is null)
        {
            return;
        }

        Plan = (await TryAsync(async () => await Backend.Plans.GetPlanAsync(new GetPlanRequest { PlanId = Version.PlanId }, headers)))?.Plan;
        if (Plan is not null)
        {
            Unit = (await TryAsync(async () => await Backend.Units.GetWatershedUnitAsync(new GetWatershedUnitRequest { WatershedUnitId = Plan.WatershedUnitId }, headers)))?.WatershedUnit;
        }
        Layout = await TryAsync(async () => await Backend.Plans.CheckPlanVersionLayoutAsync(new CheckPlanVersionLayoutRequest { PlanVersionId = Id }, headers));
        ByCategory = [.. Labels.Categories
            .Select(c => (c, Version.Zones.Where(z => z.Content.Category == c).Sum(z => z.AreaHa), Version.Zones.Count(z => z.Content.Category == c)))
            .Where(x => x.Item3 > 0)];
        // A refusal of the action itself is what the person needs to read, not a later read's.
        Problem = problem ?? Problem;
    }

    /// <summary>
    /// The map of a checked layer: the watershed's boundary, every feature that could be drawn, those with a fault marked
    /// and named with their faults (a pointer or a screen reader reads them).
    /// </summary>
    public string CheckedMapSvg()
    {
        var shapes = new List<ZoneMap.Shape>();
        if (Unit is not null)
        {
            shapes.Add(new(ZoneMap.Rings(Unit.BoundaryGeojson), "boundary", $"{Unit.Name} · {Texts["WatershedBoundary"]}"));
        }

        var faults = Checked!.Faults.Where(f => f.Feature >= 0).ToLookup(f => f.Feature);
        // Sound features first, faulty ones on top.
        foreach (var feature in Checked.Features.OrderBy(f => faults.Contains(f.Index)))
        {
            var name = feature.Label.Length > 0
                ? string.Format(System.Globalization.CultureInfo.CurrentCulture, Texts["LayerFeature"], feature.Index, feature.Label)
                : string.Format(System.Globalization.CultureInfo.CurrentCulture, Texts["LayerFeatureUnnamed"], feature.Index);
            var faulty = faults.Contains(feature.Index);
            shapes.Add(new(
                ZoneMap.Rings(feature.GeometryGeojson),
                faulty ? "layer-fault" : "layer-ok",
                faulty ? $"{name}: {string.Join(" · ", faults[feature.Index].Select(f => f.Description))}" : name));
        }

        return ZoneMap.Svg(shapes, Texts["LayerMapLabel"], Texts["MapEmpty"]);
    }

    /// <summary>The map of the version's zones.</summary>
    public string MapSvg()
    {
        var shapes = new List<ZoneMap.Shape>();
        if (Unit is not null)
        {
            shapes.Add(new(ZoneMap.Rings(Unit.BoundaryGeojson), "boundary", $"{Unit.Name} · {Texts["WatershedBoundary"]}"));
        }

        shapes.AddRange(Version!.Zones.Select(z => new ZoneMap.Shape(
            ZoneMap.Rings(z.Content.GeometryGeojson),
            ZoneMap.CategoryClass(z.Content.Category),
            $"{z.Content.ZoneCode} {z.Content.Name} · {Labels.Category(Texts, z.Content.Category)} · {z.AreaHa:N1} ha")));
        return ZoneMap.Svg(shapes, Texts["MapLabel"], Texts["MapEmpty"]);
    }
}
