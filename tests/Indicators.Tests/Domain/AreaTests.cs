using Watershed.Indicators.Domain.Areas;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Tests.Domain;

public sealed class AreaTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Area Watershed = Area.Create(AreaLevel.Watershed, null, "pomacanchi", "Laguna de Pomacanchi", null, Now);
    private static readonly Area District = Area.Create(AreaLevel.District, Watershed, "080806", "Pomacanchi", null, Now);
    private static readonly Area Manzanares = Area.Create(AreaLevel.Community, District, "manzanares", "Manzanares", null, Now);
    private static readonly Area Conchacalla = Area.Create(AreaLevel.Community, District, "conchacalla", "Conchacalla", null, Now);

    [Fact]
    public void Areas_nest_community_in_district_in_watershed_and_belong_to_its_watershed_code()
    {
        Assert.Equal(("pomacanchi", null), (Watershed.WatershedCode, Watershed.ParentId));
        Assert.Equal(("pomacanchi", Watershed.Id), (District.WatershedCode, District.ParentId));
        Assert.Equal(("pomacanchi", District.Id), (Manzanares.WatershedCode, Manzanares.ParentId));
    }

    [Theory]
    [InlineData(AreaLevel.Watershed, "Bad Code", true, new[] { "code", "parent_id" })]
    [InlineData(AreaLevel.Watershed, "x", false, new[] { "code" })]
    [InlineData(AreaLevel.Community, "sanka_1", false, new[] { "parent_id" })]
    [InlineData(AreaLevel.District, "080806", true, new string[0])]
    // A blank code is the request's own "is required", not a rule of codes.
    [InlineData(AreaLevel.District, "", true, new string[0])]
    public void A_new_areas_code_and_placement_are_checked_before_its_parent_is_loaded(AreaLevel level, string code, bool hasParent, string[] fields) =>
        Assert.Equal(fields, AreaRules.Violations(level, code, hasParent).Select(v => v.Field));

    [Fact]
    public void An_area_must_lie_in_the_level_above_its_own()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() => Area.Create(AreaLevel.Community, Watershed, "sanka", "Sanka", null, Now));

        Assert.Equal(new FieldViolation("parent_id", "is a watershed; a community lies in a district"), Assert.Single(refused.Violations));
    }

    [Fact]
    public void Only_a_watershed_stands_for_a_watershed()
    {
        Assert.Same(Watershed, Watershed.AsWatershed("watershed_id"));
        var refused = Assert.Throws<InvalidArgumentException>(() => District.AsWatershed("watershed_id"));
        Assert.Equal(new FieldViolation("watershed_id", "is a district, not a watershed"), Assert.Single(refused.Violations));
    }

    [Fact]
    public void A_watersheds_areas_are_found_by_code_or_id_and_walked_up_and_down()
    {
        var areas = new WatershedAreas([Manzanares, Watershed, Conchacalla, District]);

        Assert.Equal((Manzanares.Id, Manzanares.Id, null), (areas.Resolve("manzanares"), areas.Resolve(Manzanares.Id.ToString()), areas.Resolve("nowhere")));
        Assert.Equal([Watershed, District, Conchacalla, Manzanares], areas.TopDown);
        Assert.Equal(new HashSet<Guid> { District.Id, Manzanares.Id, Conchacalla.Id }, areas.SelfAndDescendants(District.Id).ToHashSet());
        Assert.Equal(new HashSet<Guid> { Manzanares.Id, Conchacalla.Id, District.Id, Watershed.Id }, areas.SelfAndAncestors([Manzanares.Id, Conchacalla.Id]));
        Assert.Equal("conchacalla", areas.CodeOf(Conchacalla.Id));
    }
}
