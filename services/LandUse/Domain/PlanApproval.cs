namespace Watershed.LandUse.Domain;

/// <summary>A pointer to another service's object, as consultation stores it, e.g. ("landuse.plan_version", id).</summary>
public sealed record ExternalReference(string Kind, string Id);

/// <summary>What the consultation service answered about one proposal; the service layer fetches it.</summary>
public sealed record ConsultationProposal(Guid Id, string WatershedCode, bool IsPlanApproval, bool IsApproved, IReadOnlyList<ExternalReference> References);

/// <summary>Proof that consultation approved this version; only <see cref="PlanApprovalRule"/> issues it.</summary>
public sealed record PlanApproval
{
    internal PlanApproval(Guid versionId, Guid proposalId)
    {
        VersionId = versionId;
        ProposalId = proposalId;
    }

    public Guid VersionId { get; }

    public Guid ProposalId { get; }
}

/// <summary>
/// A version is approved only by the community's decision: an approved consultation proposal of type
/// PLAN_APPROVAL that references the version as "landuse.plan_version". Land use never decides it alone.
/// </summary>
public static class PlanApprovalRule
{
    public const string VersionReferenceKind = "landuse.plan_version";

    /// <param name="proposal">The proposal the caller named, as consultation returned it; null if consultation does not know it.</param>
    /// <exception cref="PlanRuleException">The proposal does not approve this version.</exception>
    /// <param name="watershed">The plan's watershed: only its own assemblies decide its plans.</param>
    public static PlanApproval Evaluate(PlanVersion version, WatershedUnit watershed, Guid proposalId, ConsultationProposal? proposal)
    {
        var subject = $"proposals/{proposalId}";
        if (proposal is null)
        {
            throw new PlanRuleException("PROPOSAL_NOT_FOUND", subject, $"Consultation has no proposal {proposalId}.");
        }

        if (proposal.WatershedCode != watershed.Code)
        {
            throw new PlanRuleException("PROPOSAL_WATERSHED", subject,
                $"The proposal was decided in watershed '{proposal.WatershedCode}', not in '{watershed.Code}' whose plan this is.");
        }

        if (!proposal.IsPlanApproval)
        {
            throw new PlanRuleException("PROPOSAL_TYPE", subject, "Only a proposal of type PLAN_APPROVAL can approve a plan version.");
        }

        var references = proposal.References.Any(r =>
            r.Kind == VersionReferenceKind && Guid.TryParse(r.Id, out var id) && id == version.Id);
        if (!references)
        {
            throw new PlanRuleException("PROPOSAL_REFERENCE", subject,
                $"The proposal does not reference {VersionReferenceKind} {version.Id}: it approves something else.");
        }

        if (!proposal.IsApproved)
        {
            throw new PlanRuleException("PROPOSAL_NOT_APPROVED", subject, "The assembly has not approved the proposal.");
        }

        return new PlanApproval(version.Id, proposal.Id);
    }
}
