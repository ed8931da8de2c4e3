using Watershed.LandUse.Domain;
using Watershed.ServiceDefaults.Errors;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

public sealed class PlanLifecycleTests
{
    private readonly WatershedUnit _watershed = Pomacanchi();

    [Fact]
    public void New_plan_starts_with_version_1_as_an_empty_draft()
    {
        var plan = NewPlan();

        var version = Assert.Single(plan.Versions);
        Assert.Equal((1, PlanVersionState.Draft), (version.Number, version.State));
        Assert.Empty(version.Zones);
        Assert.Same(version, plan.OpenVersion);
        Assert.Null(plan.ApprovedVersion);
    }

    [Fact]
    public void Plan_with_reversed_horizon_and_blank_goal_is_refused_listing_both()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => Plan.Create(Guid.NewGuid(), _watershed, "Plan",
            new PlanHorizon(2036, 2026), ["Protect the headwaters", " "], Guid.NewGuid(), Now));

        Assert.Equal(["horizon", "goals[1]"], error.Violations.Select(f => f.Field));
    }

    [Fact]
    public void Draft_accepts_zone_edits_and_revisions()
    {
        var plan = NewPlan();
        var draft = plan.Latest;

        draft.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.5750, -14.0350, -71.5657, -14.0260)), _watershed);
        draft.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.5750, -14.0350, -71.5700, -14.0260), ZeeSubcategory.Pasture), _watershed);
        draft.Revise(new PlanHorizon(2027, 2037), ["Restore wetlands"]);

        var zone = Assert.Single(draft.Zones);
        Assert.Equal(ZeeSubcategory.Pasture, zone.Subcategory);
        Assert.Equal(new PlanHorizon(2027, 2037), draft.Horizon);
    }

    [Fact]
    public void Draft_refuses_a_zone_overlapping_another_and_keeps_its_zones()
    {
        var draft = NewPlan().Latest;
        draft.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.60, -14.05, -71.59, -14.04)), _watershed);

        var error = Assert.Throws<InvalidArgumentException>(() =>
            draft.PutZone(Guid.NewGuid(), Content("AGR-2", Box(-71.595, -14.045, -71.585, -14.035)), _watershed));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("geometry_geojson", violation.Field);
        // GeographicLib: the shared box lon −71.595..−71.59, lat −14.045..−14.04 has 298,766.1571 m².
        Assert.StartsWith("Zones AGR-1 and AGR-2 overlap by 29.8766 ha near", violation.Description, StringComparison.Ordinal);
        Assert.Equal(["AGR-1"], draft.Zones.Select(z => z.Code));
    }

    [Fact]
    public void A_zone_put_into_a_draft_is_checked_naming_every_fault_by_the_zones_fields()
    {
        var draft = NewPlan().Latest;
        var content = Content("bad code!", Box(-71.60, -14.05, -71.59, -14.04)) with
        {
            Subcategory = ZeeSubcategory.Wetlands,
            Uses = [new AllowedUse("grazing", UseRating.Recommended), new AllowedUse(" Grazing ", UseRating.NotRecommended)],
        };

        var error = Assert.Throws<InvalidArgumentException>(() => draft.PutZone(Guid.NewGuid(), content, _watershed));

        Assert.Equal(["zone_code", "subcategory", "uses[1].use"], error.Violations.Select(v => v.Field));
        Assert.Empty(draft.Zones);
    }

    [Fact]
    public void A_zone_put_into_a_frozen_version_is_refused_for_the_state_before_its_content_is_read()
    {
        var version = Submitted(NewPlan());

        AssertState(() => version.PutZone(Guid.NewGuid(), Content("bad code!", Box(-71.58, -14.05, -71.57, -14.04)), _watershed));
    }

    [Fact]
    public void A_zone_put_again_under_its_code_replaces_the_zone()
    {
        var draft = NewPlan().Latest;
        var first = draft.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.60, -14.05, -71.59, -14.04)), _watershed);

        var second = draft.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.58, -14.05, -71.57, -14.04), ZeeSubcategory.Pasture), _watershed);

        Assert.Equal([second], draft.Zones);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void An_import_with_a_repeated_code_replaces_nothing()
    {
        var draft = NewPlan().Latest;
        draft.PutZone(Guid.NewGuid(), Content("KEEP-1", Box(-71.56, -14.05, -71.55, -14.04)), _watershed);

        var error = Assert.Throws<InvalidArgumentException>(() => draft.ImportZones(TwoZonesFile("AGR-1", "AGR-1"), _watershed));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(("features[1].zone_code", "AGR-1: zone_code AGR-1 is already used by feature 0; it must be unique in a version."),
            (violation.Field, violation.Description));
        Assert.Equal(["KEEP-1"], draft.Zones.Select(z => z.Code));
    }

    [Fact]
    public void An_import_replaces_every_zone()
    {
        var draft = NewPlan().Latest;
        draft.PutZone(Guid.NewGuid(), Content("GONE-1", Box(-71.56, -14.05, -71.55, -14.04)), _watershed);

        var imported = draft.ImportZones(TwoZonesFile("AGR-1", "AGR-2"), _watershed);

        Assert.Equal(["AGR-1", "AGR-2"], imported.Zones.Select(z => z.Code));
        Assert.Equal(["AGR-1", "AGR-2"], draft.Zones.Select(z => z.Code));
    }

    [Fact]
    public void Submitted_version_is_frozen()
    {
        var plan = NewPlan();
        var version = Submitted(plan);

        Assert.Equal(PlanVersionState.InConsultation, version.State);
        Assert.Equal(Now, version.SubmittedAt);
        AssertState(() => version.PutZone(Guid.NewGuid(), Content("NEW", Box(-71.58, -14.05, -71.57, -14.04)), _watershed));
        AssertState(() => version.RemoveZone("AGR-1"));
        AssertState(() => version.ImportZones(TwoZonesFile("NEW-1", "NEW-2"), _watershed));
        AssertState(() => version.Revise(new PlanHorizon(2026, 2040), []));
        Assert.Single(version.Zones);
    }

    [Fact]
    public void Version_without_zones_cannot_go_to_consultation()
    {
        var plan = NewPlan();

        var error = Assert.Throws<PlanRuleException>(() => plan.SubmitForConsultation(plan.Latest.Id, _watershed, Now));

        Assert.Equal("NO_ZONES", error.Type);
    }

    [Fact]
    public void Version_whose_zones_fell_outside_a_changed_boundary_cannot_go_to_consultation()
    {
        var plan = NewPlan();
        plan.Latest.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.60, -14.05, -71.59, -14.04)), _watershed);
        _watershed.ChangeBoundary(Box(-71.62, -14.08, -71.595, -13.98));

        var error = Assert.Throws<PlanRuleException>(() => plan.SubmitForConsultation(plan.Latest.Id, _watershed, Now));

        Assert.Equal("ZONE_LAYOUT", error.Type);
        Assert.Contains("outside the watershed boundary", error.Message, StringComparison.Ordinal);
        Assert.Equal(PlanVersionState.Draft, plan.Latest.State);
    }

    [Fact]
    public void Approval_with_the_consultations_decision_approves_the_version()
    {
        var plan = NewPlan();
        var version = Submitted(plan);
        var proposalId = Guid.NewGuid();

        var superseded = plan.Approve(PlanApprovalRule.Evaluate(version, _watershed, proposalId, Approving(proposalId, version)), Now);

        Assert.Null(superseded);
        Assert.Equal(PlanVersionState.Approved, version.State);
        Assert.Equal(proposalId, version.ApprovedByProposalId);
        Assert.Same(version, plan.ApprovedVersion);
        Assert.Null(plan.OpenVersion);
    }

    [Fact]
    public void Approving_a_new_version_supersedes_the_one_approved_before()
    {
        var plan = NewPlan();
        var first = Approved(plan, Submitted(plan));
        var second = plan.StartNewVersion(Guid.NewGuid(), Now);
        second.PutZone(Guid.NewGuid(), Content("PROT-1", Box(-71.58, -14.05, -71.57, -14.04), ZeeSubcategory.Headwaters), _watershed);
        plan.SubmitForConsultation(second.Id, _watershed, Now);

        var proposalId = Guid.NewGuid();
        var superseded = plan.Approve(PlanApprovalRule.Evaluate(second, _watershed, proposalId, Approving(proposalId, second)), Now.AddDays(30));

        Assert.Same(first, superseded);
        Assert.Equal(PlanVersionState.Superseded, first.State);
        Assert.Equal(Now.AddDays(30), first.SupersededAt);
        Assert.Same(second, plan.ApprovedVersion);
    }

    [Fact]
    public void New_version_is_a_draft_copy_of_the_latest_with_new_zone_ids_and_the_same_codes()
    {
        var plan = NewPlan();
        var first = Approved(plan, Submitted(plan));

        var second = plan.StartNewVersion(Guid.NewGuid(), Now);

        Assert.Equal((2, PlanVersionState.Draft, first.Id), (second.Number, second.State, second.BasedOnVersionId));
        Assert.Equal(first.Zones.Select(z => z.Code), second.Zones.Select(z => z.Code));
        Assert.Equal(first.Zones.Select(z => z.AreaHectares), second.Zones.Select(z => z.AreaHectares));
        Assert.DoesNotContain(second.Zones, z => first.Zones.Any(f => f.Id == z.Id));
        Assert.Equal(first.Goals, second.Goals);

        second.RemoveZone("AGR-1");
        Assert.Single(first.Zones);
    }

    [Fact]
    public void No_new_version_while_one_is_open()
    {
        var plan = NewPlan();
        Submitted(plan);

        var error = Assert.Throws<PlanRuleException>(() => plan.StartNewVersion(Guid.NewGuid(), Now));

        Assert.Equal("OPEN_VERSION_EXISTS", error.Type);
        Assert.Single(plan.Versions);
    }

    [Fact]
    public void Withdrawn_version_stays_as_it_was_and_a_new_draft_can_revise_it()
    {
        var plan = NewPlan();
        var version = Submitted(plan);

        plan.Withdraw(version.Id, "Rejected by the assembly of 2026-12-05", Now);
        var next = plan.StartNewVersion(Guid.NewGuid(), Now);

        Assert.Equal(PlanVersionState.Withdrawn, version.State);
        Assert.Equal("Rejected by the assembly of 2026-12-05", version.WithdrawalReason);
        Assert.Equal((2, PlanVersionState.Draft), (next.Number, next.State));
        Assert.Null(plan.ApprovedVersion);
    }

    [Fact]
    public void Draft_cannot_be_approved_or_withdrawn()
    {
        var plan = NewPlan();
        var draft = plan.Latest;
        var proposalId = Guid.NewGuid();
        var approval = PlanApprovalRule.Evaluate(draft, _watershed, proposalId, Approving(proposalId, draft));

        AssertState(() => plan.Approve(approval, Now));
        AssertState(() => plan.Withdraw(draft.Id, "", Now));
    }

    [Fact]
    public void Approved_version_cannot_be_resubmitted_or_withdrawn()
    {
        var plan = NewPlan();
        var version = Approved(plan, Submitted(plan));

        AssertState(() => plan.SubmitForConsultation(version.Id, _watershed, Now));
        AssertState(() => plan.Withdraw(version.Id, "", Now));
    }

    [Fact]
    public void Submitting_against_another_watershed_is_refused()
    {
        var plan = NewPlan();
        plan.Latest.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.60, -14.05, -71.59, -14.04)), _watershed);

        var error = Assert.Throws<PlanRuleException>(() => plan.SubmitForConsultation(plan.Latest.Id, Pomacanchi(), Now));

        Assert.Equal("WATERSHED_MISMATCH", error.Type);
    }

    private Plan NewPlan() => Plan.Create(Guid.NewGuid(), _watershed, "Plan de ordenamiento territorial de Pomacanchi",
        new PlanHorizon(2026, 2036), ["Protect the headwaters", "Keep lake shores free of building"], Guid.NewGuid(), Now);

    private PlanVersion Submitted(Plan plan)
    {
        var version = plan.Latest;
        version.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.60, -14.05, -71.59, -14.04)), _watershed);
        plan.SubmitForConsultation(version.Id, _watershed, Now);
        return version;
    }

    private PlanVersion Approved(Plan plan, PlanVersion version)
    {
        var proposalId = Guid.NewGuid();
        plan.Approve(PlanApprovalRule.Evaluate(version, _watershed, proposalId, Approving(proposalId, version)), Now);
        return version;
    }

    private static ConsultationProposal Approving(Guid proposalId, PlanVersion version) =>
        new(proposalId, "pomacanchi", IsPlanApproval: true, IsApproved: true,
            [new ExternalReference(PlanApprovalRule.VersionReferenceKind, version.Id.ToString())]);

    /// <summary>Two 0.01° boxes side by side inside the Pomacanchi boundary.</summary>
    private static byte[] TwoZonesFile(string firstCode, string secondCode) => System.Text.Encoding.UTF8.GetBytes($$$"""
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"zone_code":"{{{firstCode}}}","category":"productive","subcategory":"agriculture"},
           "geometry":{"type":"Polygon","coordinates":[[[-71.60,-14.05],[-71.59,-14.05],[-71.59,-14.04],[-71.60,-14.04],[-71.60,-14.05]]]}},
          {"type":"Feature","properties":{"zone_code":"{{{secondCode}}}","category":"productive","subcategory":"agriculture"},
           "geometry":{"type":"Polygon","coordinates":[[[-71.58,-14.05],[-71.57,-14.05],[-71.57,-14.04],[-71.58,-14.04],[-71.58,-14.05]]]}}]}
        """);

    private static void AssertState(Action action) =>
        Assert.Equal("PLAN_VERSION_STATE", Assert.Throws<PlanRuleException>(action).Type);
}
