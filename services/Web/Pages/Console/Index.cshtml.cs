using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;

namespace Watershed.Web.Pages.Console;

/// <summary>The facilitator chooses the watershed, the space and the assembly.</summary>
public sealed class IndexModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    [BindProperty(SupportsGet = true)]
    public string? Watershed { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Space { get; set; }

    public IReadOnlyList<Consultation.V1.Watershed> Watersheds { get; private set; } = [];

    public IReadOnlyList<Space> Spaces { get; private set; } = [];

    public IReadOnlyList<Assembly> Assemblies { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var headers = await Backend.AsUserAsync();
        var watersheds = await TryAsync(async () => await Backend.Stakeholders.ListWatershedsAsync(new ListWatershedsRequest { Page = new() { PageSize = 100 } }, headers));
        Watersheds = watersheds?.Watersheds ?? [];
        if (Watershed is null && Watersheds.Count == 1)
        {
            Watershed = Watersheds[0].Id;
        }

        if (Watersheds.All(w => w.Id != Watershed))
        {
            Watershed = null;
            return;
        }

        var spaces = await TryAsync(async () => await Backend.Spaces.ListSpacesAsync(new ListSpacesRequest { WatershedId = Watershed, Page = new() { PageSize = 100 } }, headers));
        Spaces = spaces?.Spaces ?? [];
        if (Space is null && Spaces.Count == 1)
        {
            Space = Spaces[0].Id;
        }

        if (Spaces.All(s => s.Id != Space))
        {
            Space = null;
            return;
        }

        var assemblies = await TryAsync(async () => await Backend.Assemblies.ListAssembliesAsync(new ListAssembliesRequest { SpaceId = Space, Page = new() { PageSize = 100 } }, headers));
        Assemblies = assemblies?.Assemblies ?? [];
    }
}
