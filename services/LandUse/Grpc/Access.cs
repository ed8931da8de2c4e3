using Watershed.ServiceDefaults.Security;

namespace Watershed.LandUse.Grpc;

/// <summary>
/// Who may do what in land use: facilitators (and admins) edit a watershed's boundary and plans; reading needs
/// a known role in the watershed, not merely the watershed in the token.
/// </summary>
internal static class Access
{
    public static void RequireWriter(this Caller caller, string watershedCode) => caller.Require(watershedCode, Roles.Facilitator);

    public static void RequireReader(this Caller caller, string watershedCode) => caller.RequireRead(watershedCode);
}
