using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>
/// Who is acting, as far as the rules care: the person they are (if their token names one) and whether
/// they may act for others in the watershed (a facilitator or an admin).
/// </summary>
public sealed record Actor(Guid? PersonId, bool ActsForOthers, string Subject)
{
    public bool Is(Guid? personId) => personId is not null && PersonId == personId;
}

/// <summary>A proposal: draft → submitted → on agenda → voting → approved / rejected; withdrawn before voting.</summary>
public sealed class Proposal
{
    public const int MaxReferences = 50;

    /// <summary>The reference a plan approval must carry: the land-use plan version it approves.</summary>
    public const string PlanVersionKind = "landuse.plan_version";

    private readonly List<ProposalReference> _references = [];

    private Proposal()
    {
    }

    public Guid Id { get; private set; }

    public Guid SpaceId { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public ProposalType Type { get; private set; }

    public ProposalState State { get; private set; } = ProposalState.Draft;

    public Guid? SubmittedByOrganizationId { get; private set; }

    public Guid? SubmittedByPersonId { get; private set; }

    public IReadOnlyList<ProposalReference> References => _references;

    public Guid? AssemblyId { get; private set; }

    public Guid? BallotId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Optimistic concurrency: two facilitators moving one proposal at once cannot both win.</summary>
    public int Revision { get; private set; }

    private string Subject => $"proposals/{Id}";

    /// <summary>A draft in <paramref name="space"/>, submitted by exactly one organisation or person of its watershed.</summary>
    /// <exception cref="InvalidArgumentException">Any detail breaks a rule (all of them are named).</exception>
    /// <exception cref="PermissionDeniedException">A member submits in someone else's name.</exception>
    /// <exception cref="NotFoundException">The submitter is of another watershed.</exception>
    public static Proposal Create(Space space, string title, string description, ProposalType type,
        Organization? byOrganization, Person? byPerson, IReadOnlyList<(string Kind, string Id)> references, Actor actor, DateTimeOffset now)
    {
        var v = new Validation();
        var details = Check(v, title, description, type, byOrganization is not null, byPerson is not null, references);
        v.ThrowIfInvalid();
        if (!actor.ActsForOthers && !actor.Is(byPerson?.Id))
        {
            throw new PermissionDeniedException("A member submits proposals in their own name only; a facilitator submits for others.");
        }

        if (byOrganization is not null && byOrganization.WatershedId != space.WatershedId)
        {
            throw new NotFoundException("organization", byOrganization.Id.ToString());
        }

        if (byPerson is not null && byPerson.WatershedId != space.WatershedId)
        {
            throw new NotFoundException("person", byPerson.Id.ToString());
        }

        var proposal = new Proposal
        {
            Id = Guid.CreateVersion7(),
            SpaceId = space.Id,
            Title = details.Title,
            Description = details.Description,
            Type = type,
            SubmittedByOrganizationId = byOrganization?.Id,
            SubmittedByPersonId = byPerson?.Id,
            CreatedAt = now,
        };
        proposal._references.AddRange(details.References.Select(r => new ProposalReference(proposal.Id, r.Kind, r.Id)));
        return proposal;
    }

    /// <summary>The rules on a new proposal's content, added to <paramref name="v"/>.</summary>
    /// <param name="type">Null when the request gave no valid type (named elsewhere).</param>
    /// <returns>The content as stored (trimmed).</returns>
    public static (string Title, string Description, IReadOnlyList<(string Kind, string Id)> References) Check(Validation v,
        string title, string description, ProposalType? type, bool byOrganization, bool byPerson, IReadOnlyList<(string Kind, string Id)> references)
    {
        var cleanTitle = v.Text(title, "title");
        var cleanDescription = v.OptionalText(description, "description", 4000);
        v.Check(byOrganization != byPerson, "submitted_by_person_id", "give exactly one submitter: an organisation or a person");
        v.Check(references.Count <= MaxReferences, "references", $"must have at most {MaxReferences} items");
        var clean = new List<(string Kind, string Id)>();
        for (var i = 0; i < references.Count; i++)
        {
            var kind = v.Text(references[i].Kind, $"references[{i}].kind", 80);
            v.Check(kind.Length == 0 || ProposalReference.IsValidKind(kind), $"references[{i}].kind", "must look like \"landuse.plan_version\"");
            var id = v.Text(references[i].Id, $"references[{i}].id", 100);
            if (clean.Contains((kind, id)))
            {
                v.Add($"references[{i}]", "is given more than once");
            }

            clean.Add((kind, id));
        }

        v.Check(type != ProposalType.PlanApproval || clean.Exists(r => r.Kind == PlanVersionKind),
            "references", $"a plan approval must reference the plan version it approves (kind \"{PlanVersionKind}\")");
        return (cleanTitle, cleanDescription, clean);
    }

    public void Submit(Actor actor)
    {
        EnsureMayMove(actor);
        Require(ProposalState.Draft, "submitted");
        Move(ProposalState.Submitted);
    }

    /// <summary>
    /// Puts the proposal on an assembly's agenda; the caller holds the assembly's row lock, so it cannot close meanwhile.
    /// A land-use change cannot join an agenda after the call: it is listed when its assembly is convened.
    /// </summary>
    public void PlaceOnAgenda(Assembly assembly)
    {
        Require(ProposalState.Submitted, "placed on an agenda");
        if (Type == ProposalType.LandUseChange)
        {
            throw Assembly.LandActNotConvened(Id);
        }

        EnsureSameSpace(assembly);
        assembly.EnsureTakesAgendaItems();
        AssemblyId = assembly.Id;
        Move(ProposalState.OnAgenda);
    }

    /// <summary>Listed in an assembly's call as it is convened: on its agenda from the start.</summary>
    internal void ListInCall(Assembly assembly)
    {
        Require(ProposalState.Submitted, "listed in an assembly's call");
        EnsureSameSpace(assembly);
        AssemblyId = assembly.Id;
        Move(ProposalState.OnAgenda);
    }

    private void EnsureSameSpace(Assembly assembly)
    {
        if (assembly.SpaceId != SpaceId)
        {
            throw new PreconditionFailedException("SPACE_MISMATCH", Subject, "The assembly belongs to another space.");
        }
    }

    public void Withdraw(Actor actor)
    {
        EnsureMayMove(actor);
        if (State is not (ProposalState.Draft or ProposalState.Submitted or ProposalState.OnAgenda))
        {
            throw new PreconditionFailedException("PROPOSAL_STATE", Subject, $"A proposal that is {Describe(State)} can no longer be withdrawn.");
        }

        Move(ProposalState.Withdrawn);
    }

    /// <summary>The assembly whose agenda the proposal is on: the one whose lock a ballot on it takes.</summary>
    /// <exception cref="PreconditionFailedException">It is on no agenda.</exception>
    public Guid AgendaAssemblyId() =>
        AssemblyId ?? throw new PreconditionFailedException("PROPOSAL_STATE", Subject, "Put the proposal on an assembly's agenda first.");

    internal void StartVoting(Guid ballotId)
    {
        Require(ProposalState.OnAgenda, "put to the vote");
        BallotId = ballotId;
        Move(ProposalState.Voting);
    }

    internal void Decide(bool approved, DateTimeOffset now)
    {
        Require(ProposalState.Voting, "decided");
        DecidedAt = now;
        Move(approved ? ProposalState.Approved : ProposalState.Rejected);
    }

    /// <summary>The person who submitted a proposal may submit or withdraw it; anyone else must act for others.</summary>
    private void EnsureMayMove(Actor actor)
    {
        if (!actor.ActsForOthers && !actor.Is(SubmittedByPersonId))
        {
            throw new PermissionDeniedException("Only a facilitator or the person who submitted the proposal may do this.");
        }
    }

    private void Require(ProposalState expected, string action)
    {
        if (State != expected)
        {
            throw new PreconditionFailedException("PROPOSAL_STATE", Subject,
                $"Only a proposal that is {Describe(expected)} can be {action}; this one is {Describe(State)}.");
        }
    }

    private void Move(ProposalState next)
    {
        State = next;
        Revision++;
    }

    private static string Describe(ProposalState state) => state switch
    {
        ProposalState.OnAgenda => "on the agenda",
        ProposalState.Voting => "being voted",
        _ => state.ToString().ToLowerInvariant(),
    };
}

/// <summary>A pointer to an object another service owns, e.g. ("landuse.plan_version", id).</summary>
public sealed class ProposalReference
{
    private ProposalReference()
    {
    }

    internal ProposalReference(Guid proposalId, string kind, string externalId)
    {
        ProposalId = proposalId;
        Kind = kind;
        ExternalId = externalId;
    }

    public Guid ProposalId { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    public string ExternalId { get; private set; } = string.Empty;

    public static bool IsValidKind(string kind) =>
        kind.Length is >= 3 and <= 80
        && kind.Contains('.', StringComparison.Ordinal)
        && kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.')
        && !kind.StartsWith('.') && !kind.EndsWith('.');
}
