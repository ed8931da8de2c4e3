using System.Security.Claims;
using Grpc.Core;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.ServiceDefaults.Security;

/// <summary>Role names carried in the token's "role" claims.</summary>
public static class Roles
{
    /// <summary>Runs the platform: every watershed, every action.</summary>
    public const string Admin = "admin";

    /// <summary>Conducts consultation in its watersheds: spaces, rolls, assemblies, ballots, votes on behalf.</summary>
    public const string Facilitator = "facilitator";

    /// <summary>Takes part: reads, submits proposals, casts its own vote.</summary>
    public const string Member = "member";

    /// <summary>Reads only.</summary>
    public const string Viewer = "viewer";

    /// <summary>Another Watershed service acting on its own behalf (event handlers, background work), never a person.</summary>
    public const string Service = "service";
}

/// <summary>Claim names beyond the registered ones.</summary>
public static class WatershedClaims
{
    public const string Role = "role";

    /// <summary>A watershed code the caller may act in; "*" for all. One claim per watershed.</summary>
    public const string Watershed = "watershed";

    /// <summary>The person (in the consultation service) the caller is, if any.</summary>
    public const string PersonId = "person_id";
}

/// <summary>The authenticated caller of one RPC, read from validated token claims.</summary>
public sealed class Caller
{
    private static readonly string[] KnownRoles = [Roles.Admin, Roles.Facilitator, Roles.Member, Roles.Viewer, Roles.Service];

    private readonly HashSet<string> _roles;
    private readonly HashSet<string> _watersheds;

    public Caller(ClaimsPrincipal principal)
    {
        Subject = principal.FindFirst("sub")?.Value
            ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? string.Empty;
        _roles = principal.FindAll(WatershedClaims.Role).Concat(principal.FindAll(ClaimTypes.Role))
            .Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        _watersheds = principal.FindAll(WatershedClaims.Watershed).Select(c => c.Value)
            .ToHashSet(StringComparer.Ordinal);
        PersonId = Guid.TryParse(principal.FindFirst(WatershedClaims.PersonId)?.Value, out var person) ? person : null;
    }

    public string Subject { get; }

    public Guid? PersonId { get; }

    public bool IsAdmin => _roles.Contains(Roles.Admin);

    public bool HasRole(string role) => IsAdmin || _roles.Contains(role);

    public bool CanAccess(string watershedCode) =>
        IsAdmin || _watersheds.Contains("*") || _watersheds.Contains(watershedCode);

    /// <summary>One of the roles this platform knows; a token with none (or only unknown ones) may do nothing.</summary>
    public bool HasKnownRole => KnownRoles.Any(_roles.Contains);

    /// <summary>Reading needs access to the watershed and a known role.</summary>
    public bool CanRead(string watershedCode) => HasKnownRole && CanAccess(watershedCode);

    /// <summary>Reading needs access to the watershed and a known role (admin, facilitator, member, viewer, or a service's identity).</summary>
    public void RequireRead(string watershedCode)
    {
        if (!CanAccess(watershedCode))
        {
            throw new PermissionDeniedException($"The caller has no access to watershed '{watershedCode}'.");
        }

        if (!HasKnownRole)
        {
            throw new PermissionDeniedException($"Reading watershed '{watershedCode}' needs the role admin, facilitator, member or viewer.");
        }
    }

    /// <summary>For lists across watersheds, before they are narrowed to the caller's: a known role.</summary>
    public void RequireKnownRole()
    {
        if (!HasKnownRole)
        {
            throw new PermissionDeniedException("Reading needs the role admin, facilitator, member or viewer.");
        }
    }

    /// <summary>Requires one of the roles (admin always passes) and access to the watershed.</summary>
    public void Require(string watershedCode, params string[] roles)
    {
        RequireRead(watershedCode);
        if (!IsAdmin && !roles.Any(_roles.Contains))
        {
            throw new PermissionDeniedException(
                $"This needs the role {string.Join(" or ", roles)} in watershed '{watershedCode}'.");
        }
    }

    public void RequireAdmin()
    {
        if (!IsAdmin)
        {
            throw new PermissionDeniedException("This needs the admin role.");
        }
    }
}

public static class CallerExtensions
{
    public static Caller Caller(this ServerCallContext context) =>
        new(context.GetHttpContext().User);
}
