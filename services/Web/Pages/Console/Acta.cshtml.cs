using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;

namespace Watershed.Web.Pages.Console;

/// <summary>The acta to print and sign, as consultation writes it (A4 HTML), in Spanish, Quechua or English.</summary>
public sealed class ActaModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    public async Task<IActionResult> OnGetAsync(string id, string? lang)
    {
        var language = WebHosting.Languages.Contains(lang) ? lang! : Language;
        var headers = await Backend.AsUserAsync();
        var minutes = await TryAsync(async () => await Backend.Assemblies.GetMinutesAsync(
            new GetMinutesRequest { AssemblyId = id, Language = language, Format = MinutesFormat.Html }, headers));
        if (minutes is null)
        {
            return Page();
        }

        // The document stands alone: no script, nothing from elsewhere; its own inline styles only.
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
        return Content(minutes.Html, "text/html; charset=utf-8");
    }
}
