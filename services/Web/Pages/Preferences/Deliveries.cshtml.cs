using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Notifications.V1;

namespace Watershed.Web.Pages.Preferences;

/// <summary>The delivery log of a watershed, newest first, for its facilitators and admins (notifications decides).</summary>
public sealed class DeliveriesModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    public static readonly DeliveryState[] States = [DeliveryState.Queued, DeliveryState.Deferred, DeliveryState.Sending, DeliveryState.Sent, DeliveryState.Failed];

    [BindProperty(SupportsGet = true)]
    public string? Watershed { get; set; }

    [BindProperty(SupportsGet = true)]
    public DeliveryState State { get; set; }

    /// <summary>Where the list goes on (the previous page's next-page token).</summary>
    [BindProperty(SupportsGet = true, Name = "after")]
    public string? Cursor { get; set; }

    public IReadOnlyList<string> Watersheds { get; private set; } = [];

    public IReadOnlyList<Delivery> Deliveries { get; private set; } = [];

    public string? NextPage { get; private set; }

    public async Task OnGetAsync()
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

        var request = new ListDeliveriesRequest
        {
            WatershedCode = Watershed,
            State = Enum.IsDefined(State) ? State : DeliveryState.Unspecified,
            Page = new() { PageSize = 50, PageToken = Cursor ?? string.Empty },
        };
        var list = await TryAsync(async () => await Backend.Deliveries.ListDeliveriesAsync(request, headers));
        Deliveries = list?.Deliveries ?? [];
        NextPage = string.IsNullOrEmpty(list?.Page?.NextPageToken) ? null : list.Page.NextPageToken;
    }
}
