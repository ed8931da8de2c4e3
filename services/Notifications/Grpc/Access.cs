using Watershed.ServiceDefaults.Security;

namespace Watershed.Notifications.Grpc;

/// <summary>Who may do what here; every rule checks the watershed the object belongs to.</summary>
internal static class Access
{
    /// <summary>NGO or government monitoring staff: may manage a watershed's watchers and their preferences, nothing else here.</summary>
    public const string Analyst = "analyst";

    /// <summary>
    /// Watchers and their preferences: facilitators and analysts of the watershed, and admins. The analyst role is
    /// known only here, so it is checked here rather than through the platform's reading rule (which does not know it).
    /// </summary>
    public static void RequireWatcherManager(this Caller caller, string watershedCode)
    {
        if (caller.HasRole(Analyst) && caller.CanAccess(watershedCode))
        {
            return;
        }

        caller.Require(watershedCode, Roles.Facilitator);
    }

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
