using System.Security.Claims;
using Grpc.Core;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.ServiceDefaults.Security;

/// <summary>Role names carried in the token's "role" claims. docs/authorization.md says what each may do, RPC by RPC.</summary>
public static class Roles
{
    /// <summary>Runs the platform: every watershed, every action, whatever watershed claims the token carries.</summary>
    public const string Admin = "admin";

    /// <summary>Conducts consultation in its watersheds: spaces, rolls, assemblies, ballots, votes on behalf; edits plans; runs surveys.</summary>
    public const string Facilitator = "facilitator";

    /// <summary>Takes part: reads, submits proposals, casts its own vote.</summary>
    public const string Member = "member";

    /// <summary>Reads only.</summary>
    public const string Viewer = "viewer";

    /// <summary>
    /// NGO (or government) monitoring staff: run the watershed's surveys and indicators (rounds, imports, areas below the
    /// watershed, targets, alert rules, exports); read plans and consultation's published results, not the roll's personal
    /// data; no votes, proposals, plan edits or notification administration.
    /// </summary>
    public const string Analyst = "analyst";

    /// <summary>
    /// Another Watershed service acting on its own behalf (event handlers, background work), never a person. It reads
    /// nothing by this role alone: each RPC a service calls grants that service's identity by name (<see cref="Caller.IsService"/>).
    /// </summary>
    public const string Service = "service";
}

/// <summary>The service identities (subject <c>service:&lt;name&gt;</c>, role <c>service</c>) that another service grants something to.</summary>
public static class ServiceIdentities
{
    /// <summary>Land use: cites consultation's decisions (GetProposal) when no user is behind the call.</summary>
    public const string LandUse = "landuse";

    /// <summary>Notifications: reads the roll's contacts (ListSpaceContacts) for the events it sends.</summary>
    public const string Notifications = "notifications";

    /// <summary>The subject prefix of a service's own token.</summary>
    public const string SubjectPrefix = "service:";
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

/// <summary>
/// The authenticated caller of one RPC, read from validated token claims. Every rule here answers PERMISSION_DENIED;
/// each service's gRPC classes call them after loading the object (so its watershed is known) and before the domain decides.
/// </summary>
public sealed class Caller
{
    /// <summary>The roles a person holds; reading anything needs one of them.</summary>
    private static readonly string[] PersonRoles = [Roles.Admin, Roles.Facilitator, Roles.Member, Roles.Viewer, Roles.Analyst];

    private const string PersonRoleNames = "admin, facilitator, member, viewer or analyst";

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

    /// <summary>The token subject's (<c>sub</c>) length limit: the columns that record who did something hold 200 characters.</summary>
    public const int SubjectMaxLength = 200;

    /// <summary>
    /// Whether a token's subject may name a caller: 1 to <see cref="SubjectMaxLength"/> characters, none of them a control
    /// character. Authentication refuses any other token (UNAUTHENTICATED).
    /// </summary>
    public static bool IsAcceptableSubject(string? subject) =>
        !string.IsNullOrEmpty(subject) && subject.Length <= SubjectMaxLength && !subject.Any(char.IsControl);

    public string Subject { get; }

    public Guid? PersonId { get; }

    public bool IsAdmin => _roles.Contains(Roles.Admin);

    public bool HasRole(string role) => IsAdmin || _roles.Contains(role);

    public bool CanAccess(string watershedCode) =>
        IsAdmin || _watersheds.Contains("*") || _watersheds.Contains(watershedCode);

    /// <summary>A role a person holds here (admin, facilitator, member, viewer, analyst); a token with none, only unknown ones, or only a service's identity reads nothing.</summary>
    public bool HasKnownRole => PersonRoles.Any(_roles.Contains);

    /// <summary>Reading needs access to the watershed and a person's role.</summary>
    public bool CanRead(string watershedCode) => HasKnownRole && CanAccess(watershedCode);

    /// <summary>
    /// The named service's own identity (role <c>service</c>, subject <c>service:&lt;name&gt;</c>) with access to the watershed
    /// (its tokens carry <c>*</c>). Service identities are granted RPCs one by one, by name: this is how an RPC grants one.
    /// </summary>
    public bool IsService(string serviceName, string watershedCode) =>
        _roles.Contains(Roles.Service)
        && string.Equals(Subject, ServiceIdentities.SubjectPrefix + serviceName, StringComparison.Ordinal)
        && CanAccess(watershedCode);

    /// <summary>Reading needs access to the watershed and a person's role (admin, facilitator, member, viewer or analyst).</summary>
    public void RequireRead(string watershedCode)
    {
        if (!CanAccess(watershedCode))
        {
            throw new PermissionDeniedException($"The caller has no access to watershed '{watershedCode}'.");
        }

        if (!HasKnownRole)
        {
            throw new PermissionDeniedException($"Reading watershed '{watershedCode}' needs the role {PersonRoleNames}.");
        }
    }

    /// <summary>For lists across watersheds, before they are narrowed to the caller's: a person's role.</summary>
    public void RequireKnownRole()
    {
        if (!HasKnownRole)
        {
            throw new PermissionDeniedException($"Reading needs the role {PersonRoleNames}.");
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
