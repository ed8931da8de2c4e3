using Google.Protobuf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Indicators.V1;

namespace Watershed.Web.Pages.Analyst;

/// <summary>
/// A survey export into a round, in two steps: the file is checked first (indicators' check_only: which columns were read,
/// which rows would fail, how many households would be stored) and stored only when the person confirms. Between the
/// steps the file travels in the confirming form itself, so any replica can store it.
/// </summary>
[RequestSizeLimit((2 * MaxFile * 4 / 3) + (256 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = (2 * MaxFile * 4 / 3) + (256 * 1024), ValueLengthLimit = (MaxFile * 4 / 3) + 1024)]
public sealed class UploadModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    /// <summary>Each file: indicators' own request limit (4 MB).</summary>
    public const int MaxFile = 4 * 1024 * 1024;

    [BindProperty(SupportsGet = true)]
    public string? Watershed { get; set; }

    [BindProperty]
    public string? Round { get; set; }

    [BindProperty]
    public bool GoodRowsOnly { get; set; }

    /// <summary>The checked files, base64, carried by the confirming form.</summary>
    [BindProperty]
    public string? Csv { get; set; }

    [BindProperty]
    public string? WomenCsv { get; set; }

    public IReadOnlyList<SurveyRound> Rounds { get; private set; } = [];

    public IngestResult? Preview { get; private set; }

    public IngestResult? Stored { get; private set; }

    public async Task OnGetAsync() => await LoadRoundsAsync();

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, IFormFile? women)
    {
        await LoadRoundsAsync();
        if (file is null || file.Length == 0)
        {
            Problem = Texts["SurveyFileMissing"];
            return Page();
        }

        if (file.Length > MaxFile || (women?.Length ?? 0) > MaxFile)
        {
            Problem = Texts["SurveyFileTooLarge"];
            return Page();
        }

        Csv = Convert.ToBase64String(await ReadAsync(file));
        WomenCsv = women is { Length: > 0 } ? Convert.ToBase64String(await ReadAsync(women)) : null;
        Preview = await ImportAsync(checkOnly: true);
        return Page();
    }

    public async Task<IActionResult> OnPostStoreAsync()
    {
        await LoadRoundsAsync();
        if (string.IsNullOrEmpty(Csv))
        {
            Problem = Texts["SurveyFileMissing"];
            return Page();
        }

        Stored = await ImportAsync(checkOnly: false);
        if (Stored is not null)
        {
            Csv = null;
            WomenCsv = null;
        }

        return Page();
    }

    private async Task<IngestResult?> ImportAsync(bool checkOnly)
    {
        ByteString csv, women;
        try
        {
            csv = ByteString.FromBase64(Csv ?? string.Empty);
            women = string.IsNullOrEmpty(WomenCsv) ? ByteString.Empty : ByteString.FromBase64(WomenCsv);
        }
        catch (FormatException)
        {
            Problem = Texts["SurveyFileMissing"];
            return null;
        }

        var headers = await Backend.AsUserAsync();
        var answer = await TryAsync(async () => await Backend.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = Round ?? string.Empty,
            Csv = csv,
            WomenCsv = women,
            Mode = GoodRowsOnly ? ImportMode.GoodRowsOnly : ImportMode.AllOrNothing,
            CheckOnly = checkOnly,
        }, headers));
        return answer?.Result;
    }

    private static async Task<byte[]> ReadAsync(IFormFile file)
    {
        using var content = new MemoryStream();
        await file.CopyToAsync(content);
        return content.ToArray();
    }

    private async Task LoadRoundsAsync()
    {
        var headers = await Backend.AsUserAsync();
        var own = await WatershedCodesAsync(headers);
        Watershed = Watershed is not null && own.Contains(Watershed) ? Watershed : own.FirstOrDefault();
        if (Watershed is null)
        {
            return;
        }

        var areas = await TryAsync(async () => await Backend.Areas.ListAreasAsync(new ListAreasRequest { WatershedCode = Watershed, Page = new() { PageSize = 500 } }, headers));
        var top = areas?.Areas.FirstOrDefault(a => string.IsNullOrEmpty(a.ParentId));
        if (top is null)
        {
            return;
        }

        var rounds = await TryAsync(async () => await Backend.Surveys.ListSurveyRoundsAsync(new ListSurveyRoundsRequest { WatershedId = top.Id, Page = new() { PageSize = 100 } }, headers));
        Rounds = rounds?.SurveyRounds ?? [];
    }
}
