using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Consultation.Grpc;

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

    /// <summary>A DNI is shown to those who keep the roll (facilitators, admins), not to every reader of the watershed.</summary>
    public static bool MayReadNationalIds(this Caller caller) => caller.HasRole(Roles.Facilitator);
}
