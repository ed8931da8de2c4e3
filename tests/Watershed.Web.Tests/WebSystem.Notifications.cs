using Watershed.Auth.Tests;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Web.Tests;

/// <summary>Notifications for the preference and delivery-log pages: its own process on the collection's PostgreSQL cluster.</summary>
public sealed partial class WebSystem
{
    private ServiceProcess? _notifications;

    /// <summary>Notifications' own answer for a member's preferences, read as an admin.</summary>
    public async Task<Preferences> PreferencesAsync(string watershedCode, Guid personId)
    {
        var admin = Identity.Invoker(_notifications!.Address, await Identity.UserTokenAsync(_provider!, "admin"));
        return (await new PreferenceService.PreferenceServiceClient(admin).GetPreferencesAsync(new GetPreferencesRequest { WatershedCode = watershedCode, PersonId = personId.ToString() })).Preferences;
    }
}
