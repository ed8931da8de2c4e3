using Watershed.ServiceDefaults.Security;

namespace Watershed.Notifications.Grpc;

/// <summary>Who may do what here (docs/authorization.md has every RPC); every rule checks the watershed the object belongs to.</summary>
internal static class Access
{
    /// <summary>
    /// Watchers (names, phones, e-mail addresses, webhook endpoints and their secrets) and their preferences: the
    /// watershed's facilitators and admins. Analysts are watched, not watchers' administrators: who is told what, and
    /// where a webhook sends the watershed's events, is the watershed's own decision.
    /// </summary>
    public static void RequireWatcherManager(this Caller caller, string watershedCode) =>
        caller.Require(watershedCode, Roles.Facilitator);

    /// <summary>The delivery log holds members' phone numbers and addresses: facilitators of the watershed and admins.</summary>
    public static void RequireDeliveryReader(this Caller caller, string watershedCode) =>
        caller.Require(watershedCode, Roles.Facilitator);

    /// <summary>A member's preferences: the member (a member token with that person_id) or the watershed's facilitators and admins.</summary>
    public static void RequireMemberPreferences(this Caller caller, string watershedCode, Guid personId)
    {
        if (caller.PersonId == personId && caller.HasRole(Roles.Member) && caller.CanAccess(watershedCode))
        {
            return;
        }

        caller.Require(watershedCode, Roles.Facilitator);
    }
}
