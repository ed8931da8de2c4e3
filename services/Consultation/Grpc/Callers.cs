using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Consultation.Grpc;

/// <summary>Consultation's rules of who may do what, beyond the platform's (docs/authorization.md has every RPC).</summary>
internal static class Callers
{
    /// <summary>
    /// Requires one of <paramref name="roles"/> in the watershed, then describes the caller to the domain rules
    /// that decide further (whether a member acts for themselves, a facilitator for others).
    /// </summary>
    public static Actor Actor(this Caller caller, string watershedCode, params string[] roles)
    {
        caller.Require(watershedCode, roles);
        return new Actor(caller.PersonId, caller.HasRole(Roles.Facilitator), caller.Subject);
    }

    /// <summary>
    /// People and the roll (persons, members): the watershed's facilitators, members and viewers, and admins. Not
    /// analysts: NGO staff read consultation's published results (assemblies, minutes, proposals, ballots), not who is on
    /// the roll.
    /// </summary>
    public static void RequireRollReader(this Caller caller, string watershedCode) =>
        caller.Require(watershedCode, Roles.Facilitator, Roles.Member, Roles.Viewer);

    /// <summary>
    /// Phone numbers and e-mail addresses: the watershed's facilitators, admins, and notifications' own identity (it
    /// reads contacts for the events it sends). Members, viewers and analysts may not.
    /// </summary>
    public static void RequireContactReader(this Caller caller, string watershedCode)
    {
        if (!caller.IsService(ServiceIdentities.Notifications, watershedCode))
        {
            caller.Require(watershedCode, Roles.Facilitator);
        }
    }

    /// <summary>
    /// Whether a person's phone, e-mail address and consents go out with the person: to whoever may read the roll's
    /// contacts (facilitators, admins) and to the person themselves; to other roll readers (members, viewers) not, as
    /// <see cref="RequireContactReader"/> refuses them the same details through the contacts.
    /// </summary>
    public static bool SeesContactDetailsOf(this Caller caller, string watershedCode, Guid personId) =>
        caller.PersonId == personId || (caller.CanAccess(watershedCode) && caller.HasRole(Roles.Facilitator));

    /// <summary>A proposal: whoever reads the watershed, and land use's own identity, which cites decisions when no user is behind the call.</summary>
    public static void RequireProposalReader(this Caller caller, string watershedCode)
    {
        if (!caller.IsService(ServiceIdentities.LandUse, watershedCode))
        {
            caller.RequireRead(watershedCode);
        }
    }
}
