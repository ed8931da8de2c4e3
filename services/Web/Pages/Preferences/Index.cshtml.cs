using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Notifications.V1;

namespace Watershed.Web.Pages.Preferences;

/// <summary>
/// The signed-in member's notices for a watershed: the channels they accept, the kinds they do not want, a full
/// opt-out, quiet hours and the language, read and replaced as a whole through notifications' PreferenceService.
/// </summary>
public sealed class IndexModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    /// <summary>Channels a member can choose (webhooks are for watchers).</summary>
    public static readonly Channel[] MemberChannels = [Channel.Sms, Channel.Email];

    public static readonly EventKind[] Kinds = [EventKind.Assemblies, EventKind.Decisions, EventKind.PlanChanges, EventKind.Alerts, EventKind.Imports];

    /// <summary>The watersheds of the signed-in person's token, by code.</summary>
    public IReadOnlyList<string> Watersheds { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public string? Watershed { get; set; }

    [BindProperty]
    public List<Channel> Channels { get; set; } = [];

    [BindProperty]
    public List<EventKind> Muted { get; set; } = [];

    [BindProperty]
    public bool OptedOut { get; set; }

    [BindProperty]
    public string? QuietStart { get; set; }

    [BindProperty]
    public string? QuietEnd { get; set; }

    [BindProperty]
    public Language NoticeLanguage { get; set; }

    /// <summary>The person the preferences are for; null when the account is no member (staff).</summary>
    public string? PersonId { get; private set; }

    /// <summary>When the preferences were last set; null while the defaults apply.</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Set by the redirect after a save (post, redirect, get: a reload does not send the form again).</summary>
    [BindProperty(SupportsGet = true)]
    public bool Saved { get; set; }

    public async Task OnGetAsync()
    {
        if (!Who())
        {
            return;
        }

        if (Saved)
        {
            Done = Texts["PreferencesSaved"];
        }

        var headers = await Backend.AsUserAsync();
        var read = await TryAsync(async () => await Backend.Preferences.GetPreferencesAsync(new GetPreferencesRequest { WatershedCode = Watershed, PersonId = PersonId }, headers));
        if (read?.Preferences is { } p)
        {
            Show(p);
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Who())
        {
            return Page();
        }

        var request = new SetPreferencesRequest
        {
            WatershedCode = Watershed,
            PersonId = PersonId,
            Channels = { Channels.Where(MemberChannels.Contains).Distinct() },
            MutedKinds = { Muted.Where(Kinds.Contains).Distinct() },
            OptedOut = OptedOut,
            Language = Enum.IsDefined(NoticeLanguage) ? NoticeLanguage : Notifications.V1.Language.Unspecified,
        };
        if (!string.IsNullOrWhiteSpace(QuietStart) || !string.IsNullOrWhiteSpace(QuietEnd))
        {
            request.QuietHours = new QuietHours { Start = QuietStart?.Trim() ?? string.Empty, End = QuietEnd?.Trim() ?? string.Empty };
        }

        var headers = await Backend.AsUserAsync();
        var saved = await TryAsync(async () => await Backend.Preferences.SetPreferencesAsync(request, headers));
        if (saved is not null)
        {
            return RedirectToPage(new { watershed = Watershed, saved = true });
        }

        // Refused: the form keeps what was entered, and the reason is shown above it.
        return Page();
    }

    /// <summary>The person and watershed from the token; false (with the reason shown) when there is none to act for.</summary>
    private bool Who()
    {
        PersonId = User.FindFirst("person_id")?.Value;
        Watersheds = [.. User.FindAll("watershed").Select(c => c.Value).Where(w => w != "*").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (Watershed is null || !Watersheds.Contains(Watershed))
        {
            Watershed = Watersheds.FirstOrDefault();
        }

        if (PersonId is null || Watershed is null)
        {
            Problem = Texts["PreferencesNotMember"];
            return false;
        }

        return true;
    }

    private void Show(Notifications.V1.Preferences p)
    {
        Channels = [.. p.Channels];
        Muted = [.. p.MutedKinds];
        OptedOut = p.OptedOut;
        QuietStart = p.QuietHours?.Start;
        QuietEnd = p.QuietHours?.End;
        NoticeLanguage = p.Language;
        UpdatedAt = p.UpdatedAt?.ToDateTimeOffset();
    }

    public string UpdatedText() => UpdatedAt is { } at
        ? string.Format(CultureInfo.CurrentCulture, Texts["PreferencesUpdated"], at.ToString("d MMM yyyy HH:mm", CultureInfo.CurrentCulture))
        : Texts["PreferencesDefaults"];
}
