using Watershed.LandUse.Domain;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

public sealed class PlanApprovalRuleTests
{
    private readonly WatershedUnit _watershed = Pomacanchi();
    private readonly PlanVersion _version;
    private readonly Guid _proposalId = Guid.NewGuid();

    public PlanApprovalRuleTests() => _version = Plan.Create(Guid.NewGuid(), _watershed, "Plan", new PlanHorizon(2026, 2036), [], Guid.NewGuid(), Now).Latest;

    [Fact]
    public void Approved_plan_approval_proposal_referencing_the_version_yields_the_approval()
    {
        var approval = PlanApprovalRule.Evaluate(_version, _watershed, _proposalId, Proposal(true, true, Reference(_version.Id)));

        Assert.Equal((_version.Id, _proposalId), (approval.VersionId, approval.ProposalId));
    }

    [Fact]
    public void Unknown_proposal_is_refused()
    {
        AssertRefused("PROPOSAL_NOT_FOUND", null);
    }

    [Fact]
    public void Proposal_of_another_type_is_refused()
    {
        AssertRefused("PROPOSAL_TYPE", Proposal(isPlanApproval: false, isApproved: true, Reference(_version.Id)));
    }

    [Fact]
    public void Proposal_not_yet_approved_is_refused()
    {
        AssertRefused("PROPOSAL_NOT_APPROVED", Proposal(isPlanApproval: true, isApproved: false, Reference(_version.Id)));
    }

    [Fact]
    public void Proposal_referencing_another_version_is_refused()
    {
        AssertRefused("PROPOSAL_REFERENCE", Proposal(true, true, Reference(Guid.NewGuid())));
    }

    [Fact]
    public void Proposal_referencing_the_id_under_another_kind_is_refused()
    {
        AssertRefused("PROPOSAL_REFERENCE", Proposal(true, true, new ExternalReference("landuse.zone", _version.Id.ToString())));
    }

    [Fact]
    public void Proposal_decided_in_another_watershed_is_refused()
    {
        AssertRefused("PROPOSAL_WATERSHED", new ConsultationProposal(_proposalId, "cachora", true, true, [Reference(_version.Id)]));
    }

    private void AssertRefused(string type, ConsultationProposal? proposal) =>
        Assert.Equal(type, Assert.Throws<PlanRuleException>(() => PlanApprovalRule.Evaluate(_version, _watershed, _proposalId, proposal)).Type);

    private ConsultationProposal Proposal(bool isPlanApproval, bool isApproved, ExternalReference reference) =>
        new(_proposalId, "pomacanchi", isPlanApproval, isApproved, [reference]);

    private static ExternalReference Reference(Guid versionId) => new(PlanApprovalRule.VersionReferenceKind, versionId.ToString());
}
