using Watershed.ServiceDefaults.Security;

namespace Watershed.LandUse.Grpc;

/// <summary>
/// Who may do what in land use (docs/authorization.md has every RPC): facilitators (and admins) edit a watershed's
/// boundary and plans; reading needs a person's role in the watershed (analysts included), not merely the watershed in
/// the token; no service identity reads plans.
/// </summary>
internal static class Access
{
    public static void RequireWriter(this Caller caller, string watershedCode) => caller.Require(watershedCode, Roles.Facilitator);

    public static void RequireReader(this Caller caller, string watershedCode) => caller.RequireRead(watershedCode);
}
