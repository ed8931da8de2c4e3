using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>What registering a proxy must know about the assembly, read under its row lock.</summary>
/// <param name="RepresentedPresent">The member to be represented is in the room.</param>
/// <param name="RepresentedHasProxy">The member to be represented has an active proxy in this assembly already.</param>
/// <param name="RepresentedCarriesProxies">The member to be represented carries others' proxies.</param>
/// <param name="HolderRepresented">The holder is represented by someone else's proxy.</param>
/// <param name="HolderCarries">Active proxies the holder carries already in this assembly.</param>
public sealed record ProxyFacts(bool RepresentedPresent, bool RepresentedHasProxy, bool RepresentedCarriesProxies, bool HolderRepresented, int HolderCarries);

/// <summary>
/// A proxy (carta poder) for one assembly: an absent voting member represented by a present one, who votes for them
/// through a facilitator. It counts for every ballot opened while it is registered, its member absent and its holder
/// present (a ballot's electorate is fixed when it opens). Revoking keeps the row for the record.
/// </summary>
public sealed class Proxy
{
    public const int MaxDocumentReferenceLength = 100;

    private Proxy()
    {
    }

    public Guid Id { get; private set; }

    public Guid AssemblyId { get; private set; }

    /// <summary>The member represented.</summary>
    public Guid MemberId { get; private set; }

    public Guid HolderMemberId { get; private set; }

    /// <summary>What identifies the written proxy (a notary's or the directiva's number), if given.</summary>
    public string DocumentReference { get; private set; } = string.Empty;

    public string RegisteredBy { get; private set; } = string.Empty;

    public DateTimeOffset RegisteredAt { get; private set; }

    public string? RevokedBy { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsActive => RevokedAt is null;

    private string Subject => $"assemblies/{AssemblyId}/proxies/{MemberId}";

    /// <summary>Nobody carries their own proxy.</summary>
    public static void CheckMembers(Validation v, Guid memberId, Guid holderMemberId) =>
        v.Check(memberId == Guid.Empty || memberId != holderMemberId, "holder_member_id", "must be another member than the one represented");

    /// <summary>The reference of a proxy's document, if given: one line, at most <see cref="MaxDocumentReferenceLength"/> characters.</summary>
    public static string CheckDocumentReference(Validation v, string? reference) => v.OptionalLine(reference, "document_reference", MaxDocumentReferenceLength);

    /// <summary>
    /// Registers that <paramref name="holder"/> carries <paramref name="represented"/>'s proxy in this assembly. The caller
    /// holds the assembly's row lock (attendance and proxies change under it) and read <paramref name="facts"/> under it.
    /// </summary>
    /// <exception cref="PreconditionFailedException">The space allows no proxies, the assembly is closed, a member left or has no
    /// vote, the represented member is present, a chain of proxies, or the holder's limit.</exception>
    /// <exception cref="AlreadyExistsException">The member has a proxy in this assembly already.</exception>
    public static Proxy Register(Space space, Assembly assembly, Member represented, Member holder, ProxyFacts facts, string documentReference,
        string registeredBy, DateTimeOffset now)
    {
        var v = new Validation();
        CheckMembers(v, represented.Id, holder.Id);
        v.ThrowIfInvalid();
        var subject = $"assemblies/{assembly.Id}/proxies/{represented.Id}";
        if (!space.AllowsProxies)
        {
            throw new PreconditionFailedException("PROXIES_NOT_ALLOWED", $"spaces/{space.Id}",
                "This space takes no proxies; a space whose statute allows them sets rules.proxies.max_per_holder.");
        }

        if (!assembly.AcceptsAttendance)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", $"assemblies/{assembly.Id}", "Proxies are registered while the assembly is convened or open.");
        }

        represented.EnsureActive();
        holder.EnsureActive();
        if (!represented.HasVote || !holder.HasVote)
        {
            throw new PreconditionFailedException("NO_VOTE", subject, "A proxy is given by a voting member to another voting member.");
        }

        if (facts.RepresentedHasProxy)
        {
            throw new AlreadyExistsException("proxy", subject, "This member has a proxy in this assembly already; revoke it first.");
        }

        if (facts.RepresentedPresent)
        {
            throw new PreconditionFailedException("REPRESENTED_PRESENT", subject, "The member is present and votes for themselves.");
        }

        if (facts.RepresentedCarriesProxies || facts.HolderRepresented)
        {
            throw new PreconditionFailedException("PROXY_CHAIN", subject, "A member who carries proxies cannot be represented, nor a represented member carry proxies.");
        }

        if (facts.HolderCarries >= space.MaxProxiesPerHolder)
        {
            throw new PreconditionFailedException("PROXY_LIMIT", subject, facts.HolderCarries == 1
                ? $"The holder carries a proxy already; this space allows {space.MaxProxiesPerHolder} per holder."
                : $"The holder carries {facts.HolderCarries} proxies already; this space allows {space.MaxProxiesPerHolder} per holder.");
        }

        return new Proxy
        {
            Id = Guid.CreateVersion7(),
            AssemblyId = assembly.Id,
            MemberId = represented.Id,
            HolderMemberId = holder.Id,
            DocumentReference = documentReference,
            RegisteredBy = registeredBy,
            RegisteredAt = now,
        };
    }

    /// <summary>The answer when a member has no active proxy in the assembly.</summary>
    public static NotFoundException NotFound(Guid assemblyId, Guid memberId) => new("proxy", $"assemblies/{assemblyId}/proxies/{memberId}");

    /// <summary>Ends the proxy; ballots opened while it counted keep it (their electorate is fixed).</summary>
    /// <exception cref="PreconditionFailedException">The proxy is revoked already, or the assembly is closed.</exception>
    public void Revoke(Assembly assembly, string revokedBy, DateTimeOffset now)
    {
        if (!IsActive)
        {
            throw new PreconditionFailedException("PROXY_STATE", Subject, "This proxy was revoked already.");
        }

        if (!assembly.AcceptsAttendance)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", Subject, "Proxies change only while the assembly is convened or open.");
        }

        RevokedBy = revokedBy;
        RevokedAt = now;
    }
}
