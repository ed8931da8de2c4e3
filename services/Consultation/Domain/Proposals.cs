using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>A proposal: draft → submitted → on agenda → voting → approved / rejected; withdrawn before voting.</summary>
public sealed class Proposal
{
    public Guid Id { get; init; }

    public Guid SpaceId { get; init; }

    public required string Title { get; set; }

    public string Description { get; set; } = string.Empty;

    public ProposalType Type { get; init; }

    public ProposalState State { get; private set; } = ProposalState.Draft;

    public Guid? SubmittedByOrganizationId { get; init; }

    public Guid? SubmittedByPersonId { get; init; }

    public List<ProposalReference> References { get; init; } = [];

    public Guid? AssemblyId { get; private set; }

    public Guid? BallotId { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Optimistic concurrency: two facilitators moving one proposal at once cannot both win.</summary>
    public int Revision { get; private set; }

    private string Subject => $"proposals/{Id}";

    public void Submit()
    {
        Require(ProposalState.Draft, "submitted");
        Move(ProposalState.Submitted);
    }

    public void PlaceOnAgenda(Assembly assembly)
    {
        Require(ProposalState.Submitted, "placed on an agenda");
        if (assembly.SpaceId != SpaceId)
        {
            throw new PreconditionFailedException("SPACE_MISMATCH", Subject, "The assembly belongs to another space.");
        }

        if (!assembly.AcceptsAttendance)
        {
            throw new PreconditionFailedException("ASSEMBLY_STATE", $"assemblies/{assembly.Id}", "Only a convened or open assembly takes agenda items.");
        }

        AssemblyId = assembly.Id;
        Move(ProposalState.OnAgenda);
    }

    public void Withdraw()
    {
        if (State is not (ProposalState.Draft or ProposalState.Submitted or ProposalState.OnAgenda))
        {
            throw new PreconditionFailedException("PROPOSAL_STATE", Subject, $"A proposal that is {Describe(State)} can no longer be withdrawn.");
        }

        Move(ProposalState.Withdrawn);
    }

    public void StartVoting(Guid ballotId)
    {
        Require(ProposalState.OnAgenda, "put to the vote");
        BallotId = ballotId;
        Move(ProposalState.Voting);
    }

    public void Decide(bool approved, DateTimeOffset now)
    {
        Require(ProposalState.Voting, "decided");
        DecidedAt = now;
        Move(approved ? ProposalState.Approved : ProposalState.Rejected);
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
    public Guid ProposalId { get; init; }

    public required string Kind { get; init; }

    public required string ExternalId { get; init; }

    public static bool IsValidKind(string kind) =>
        kind.Length is >= 3 and <= 80
        && kind.Contains('.', StringComparison.Ordinal)
        && kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.')
        && !kind.StartsWith('.') && !kind.EndsWith('.');
}
