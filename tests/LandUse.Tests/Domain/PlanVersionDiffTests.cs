using Watershed.LandUse.Domain;
using Watershed.ServiceDefaults.Errors;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

public sealed class PlanVersionDiffTests
{
    private readonly WatershedUnit _watershed = Pomacanchi();
    private readonly Plan _plan;
    private readonly PlanVersion _first;

    public PlanVersionDiffTests()
    {
        _plan = Plan.Create(Guid.NewGuid(), _watershed, "Pomacanchi", new PlanHorizon(2026, 2036), [], Guid.NewGuid(), Now);
        _first = _plan.Latest;
        _first.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.60, -14.05, -71.59, -14.04)), _watershed);
        _first.PutZone(Guid.NewGuid(), Content("PAS-1", Box(-71.58, -14.05, -71.57, -14.04), ZeeSubcategory.Pasture), _watershed);
        _first.PutZone(Guid.NewGuid(), Content("MIN-1", Box(-71.56, -14.05, -71.55, -14.04), ZeeSubcategory.Mining), _watershed);
        _first.PutZone(Guid.NewGuid(), Content("URB-1", Box(-71.54, -14.05, -71.53, -14.04), ZeeSubcategory.Urban), _watershed);
        _plan.SubmitForConsultation(_first.Id, _watershed, Now);
        _plan.Withdraw(_first.Id, "Revised after the assembly", Now);
    }

    [Fact]
    public void Copied_version_without_edits_has_no_differences()
    {
        var second = _plan.StartNewVersion(Guid.NewGuid(), Now);

        var diff = PlanVersionDiff.Between(_first, second);

        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Empty(diff.Changed);
        Assert.All(diff.AreaDeltaHectares.Values, delta => Assert.Equal(0, delta, 9));
    }

    [Fact]
    public void Diff_lists_added_removed_and_changed_zones_by_zone_code()
    {
        var second = _plan.StartNewVersion(Guid.NewGuid(), Now);
        second.RemoveZone("MIN-1");
        second.PutZone(Guid.NewGuid(), Content("CAB-1", Box(-71.56, -14.05, -71.55, -14.04), ZeeSubcategory.Headwaters), _watershed);
        second.PutZone(Guid.NewGuid(), Content("PAS-1", Box(-71.58, -14.05, -71.57, -14.04), ZeeSubcategory.SteepSlopes), _watershed);
        second.PutZone(Guid.NewGuid(), Content("AGR-1", Box(-71.60, -14.05, -71.585, -14.04)), _watershed); // half as wide again

        var diff = PlanVersionDiff.Between(_first, second);

        Assert.Equal(["CAB-1"], diff.Added.Select(z => z.Code));
        Assert.Equal(["MIN-1"], diff.Removed.Select(z => z.Code));
        Assert.Equal(
            ["AGR-1: Geometry", "PAS-1: Category, Subcategory"],
            diff.Changed.Select(c => $"{c.Code}: {string.Join(", ", c.Changes)}").Order(StringComparer.Ordinal));
        var widened = diff.Changed.Single(c => c.Code == "AGR-1");
        Assert.InRange(widened.AreaDeltaHectares / widened.Before.AreaHectares, 0.499, 0.501);
    }

    [Fact]
    public void Area_delta_per_category_is_the_hectares_gained_or_lost()
    {
        var second = _plan.StartNewVersion(Guid.NewGuid(), Now);
        var mining = second.Zones.Single(z => z.Code == "MIN-1").AreaHectares;
        var pasture = second.Zones.Single(z => z.Code == "PAS-1").AreaHectares;
        second.RemoveZone("MIN-1");
        second.PutZone(Guid.NewGuid(), Content("CAB-1", Box(-71.56, -14.05, -71.55, -14.04), ZeeSubcategory.Headwaters), _watershed);
        second.PutZone(Guid.NewGuid(), Content("PAS-1", Box(-71.58, -14.05, -71.57, -14.04), ZeeSubcategory.DegradedLand), _watershed);

        var delta = PlanVersionDiff.Between(_first, second).AreaDeltaHectares;

        Assert.Equal(-(mining + pasture), delta[ZeeCategory.Productive], 9);
        Assert.Equal(mining, delta[ZeeCategory.ProtectionAndConservation], 9);
        Assert.Equal(pasture, delta[ZeeCategory.Recovery], 9);
        Assert.Equal(0, delta[ZeeCategory.UrbanIndustrial], 9);
        Assert.Equal(0, delta[ZeeCategory.SpecialTreatment], 9);
    }

    [Fact]
    public void Versions_of_two_plans_are_not_compared()
    {
        var other = Plan.Create(Guid.NewGuid(), _watershed, "Otro plan", new PlanHorizon(2026, 2036), [], Guid.NewGuid(), Now);

        var error = Assert.Throws<InvalidArgumentException>(() => PlanVersionDiff.Between(_first, other.Latest));

        Assert.Equal("to_plan_version_id", Assert.Single(error.Violations).Field);
    }

    [Fact]
    public void Same_ring_starting_at_another_vertex_is_not_a_geometry_change()
    {
        var second = _plan.StartNewVersion(Guid.NewGuid(), Now);
        second.PutZone(Guid.NewGuid(), Content("AGR-1", Polygon((-71.59, -14.04), (-71.60, -14.04), (-71.60, -14.05), (-71.59, -14.05))), _watershed);

        Assert.Empty(PlanVersionDiff.Between(_first, second).Changed);
    }

    [Fact]
    public void Reordered_uses_are_not_a_change_but_a_new_rating_is()
    {
        var second = _plan.StartNewVersion(Guid.NewGuid(), Now);
        var agr = second.Zones.Single(z => z.Code == "AGR-1").Content;
        second.PutZone(Guid.NewGuid(), agr with { Uses = [.. agr.Uses.Reverse()] }, _watershed);
        Assert.Empty(PlanVersionDiff.Between(_first, second).Changed);

        second.PutZone(Guid.NewGuid(), agr with { Uses = [agr.Uses[0] with { Rating = UseRating.NotRecommended }, agr.Uses[1]] }, _watershed);
        Assert.Equal([ZoneChangeKind.Uses], Assert.Single(PlanVersionDiff.Between(_first, second).Changed).Changes);
    }
}
