using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Security;

namespace Watershed.LandUse.Grpc;

/// <summary>
/// Who may do what in land use: facilitators (and admins) edit a watershed's boundary and plans; reading needs
/// a known role in the watershed, not merely the watershed in the token.
/// </summary>
internal static class Access
{
    private static readonly string[] Readers = [Roles.Facilitator, Roles.Member, Roles.Viewer];

    public static void RequireWriter(this Caller caller, string watershedCode) => caller.Require(watershedCode, Roles.Facilitator);

    public static void RequireReader(this Caller caller, string watershedCode) => caller.Require(watershedCode, Readers);

    /// <summary>For lists across watersheds: a reading role, before the list is narrowed to the caller's watersheds.</summary>
    public static void RequireReadingRole(this Caller caller)
    {
        if (!Readers.Any(caller.HasRole))
        {
            throw new PermissionDeniedException($"Reading needs the role admin, {string.Join(", ", Readers)}.");
        }
    }
}
