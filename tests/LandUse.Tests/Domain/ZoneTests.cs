using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

public sealed class ZoneTests
{
    [Fact]
    public void Valid_square_near_Cusco_becomes_a_zone_with_its_geodesic_area()
    {
        var zone = Zone.Create(Guid.NewGuid(), Content("PROD-01", Box(-71.61, -13.91, -71.60, -13.90)));

        // GeographicLib: 1,195,760.4938 m² (see GeodesicAreaTests for the command).
        Assert.Equal(119.5760, zone.AreaHectares, 3);
    }

    [Fact]
    public void Self_intersecting_bowtie_is_refused_with_the_crossing_location()
    {
        var bowtie = Polygon((-71.61, -13.91), (-71.60, -13.90), (-71.60, -13.91), (-71.61, -13.90));

        var error = Assert.Throws<InvalidArgumentException>(() => Zone.Create(Guid.NewGuid(), Content("Z-1", bowtie)));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(("geometry_geojson", "Self-intersection at lon -71.605000, lat -13.905000."), (violation.Field, violation.Description));
    }

    [Fact]
    public void Clockwise_exterior_and_counter_clockwise_hole_are_normalised_to_RFC_7946_orientation()
    {
        var clockwiseOuter = (Polygon)Box(-72.8200, -13.5200, -72.8000, -13.5000).Reverse();
        var counterClockwiseHole = Box(-72.8150, -13.5150, -72.8100, -13.5100);
        var drawn = PolygonalGeometry.Factory.CreatePolygon(clockwiseOuter.Shell, [counterClockwiseHole.Shell]);
        Assert.False(Orientation.IsCCW(drawn.Shell.CoordinateSequence));

        var zone = Zone.Create(Guid.NewGuid(), Content("PROT-01", drawn, ZeeSubcategory.Headwaters));

        var stored = (Polygon)zone.Geometry;
        Assert.True(Orientation.IsCCW(stored.Shell.CoordinateSequence));
        Assert.False(Orientation.IsCCW(stored.Holes[0].CoordinateSequence));
        Assert.True(stored.EqualsTopologically(drawn));
    }

    [Fact]
    public void Polygon_with_a_hole_near_Cachora_has_the_area_without_the_hole()
    {
        var zone = Zone.Create(Guid.NewGuid(), Content("PROT-02",
            WithHole(Box(-72.8200, -13.5200, -72.8000, -13.5000), Box(-72.8150, -13.5150, -72.8100, -13.5100)),
            ZeeSubcategory.Wetlands));

        // GeographicLib: outer 479.0888 ha − hole 29.9427 ha.
        Assert.Equal(449.1461, zone.AreaHectares, 3);
    }

    [Fact]
    public void Projected_metres_are_refused_with_a_reprojection_hint()
    {
        var utm = Box(812_000, 8_455_000, 813_000, 8_456_000);

        var error = Assert.Throws<InvalidArgumentException>(() => Zone.Create(Guid.NewGuid(), Content("Z-1", utm)));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("geometry_geojson", violation.Field);
        Assert.Contains("projected metres", violation.Description, StringComparison.Ordinal);
        Assert.Contains("EPSG:4326", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Latitude_beyond_90_with_longitude_inside_90_is_reported_as_swapped()
    {
        // A site at 100° W written as [lat, lon]. Range alone reveals a swap only where |longitude| > 90;
        // in Peru the boundary check does (ZoneLayoutTests).
        var swapped = Box(-13.52, -100.02, -13.50, -100.00);

        var error = Assert.Throws<InvalidArgumentException>(() => Zone.Create(Guid.NewGuid(), Content("Z-1", swapped)));

        Assert.Contains("look swapped", Assert.Single(error.Violations).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Point_geometry_is_refused_as_the_wrong_type()
    {
        var point = PolygonalGeometry.Factory.CreatePoint(new Coordinate(-71.6, -13.9));

        var error = Assert.Throws<InvalidArgumentException>(() => Zone.Create(Guid.NewGuid(), Content("Z-1", point)));

        Assert.Equal(("geometry_geojson", "A zone must be a Polygon or MultiPolygon, not a Point."),
            (Assert.Single(error.Violations).Field, error.Violations[0].Description));
    }

    [Fact]
    public void Heights_are_dropped_so_stored_geometry_is_two_dimensional()
    {
        var withHeights = PolygonalGeometry.Factory.CreatePolygon(
        [
            new CoordinateZ(-71.61, -13.91, 3700), new CoordinateZ(-71.60, -13.91, 3710),
            new CoordinateZ(-71.60, -13.90, 3720), new CoordinateZ(-71.61, -13.91, 3700),
        ]);

        var zone = Zone.Create(Guid.NewGuid(), Content("Z-1", withHeights));

        Assert.All(zone.Geometry.Coordinates, c => Assert.True(double.IsNaN(c.Z)));
    }

    [Fact]
    public void Subcategory_of_another_category_is_refused()
    {
        var content = Content("Z-1", Box(-71.61, -13.91, -71.60, -13.90)) with
        {
            Category = ZeeCategory.Productive,
            Subcategory = ZeeSubcategory.Headwaters,
        };

        var violation = Assert.Single(Zone.Validate(content));

        Assert.Equal(("subcategory", "Subcategory headwaters belongs to protection_and_conservation, not to productive."),
            (violation.Field, violation.Description));
    }

    [Fact]
    public void Every_fault_of_a_zone_is_reported_at_once()
    {
        var content = new ZoneContent("bad code!", "", ZeeCategory.Recovery, ZeeSubcategory.DegradedLand,
            [new AllowedUse("grazing", UseRating.Recommended), new AllowedUse("Grazing", (UseRating)9)],
            "", Polygon((-71.61, -13.91), (-71.60, -13.90), (-71.60, -13.91), (-71.61, -13.90)));

        var faults = Zone.Validate(content);

        Assert.Equal(["zone_code", "uses[1].use", "uses[1].rating", "geometry_geojson"], faults.Select(f => f.Field));
    }

    [Theory]
    [InlineData(ZeeCategory.Productive, ZeeSubcategory.Mining)]
    [InlineData(ZeeCategory.ProtectionAndConservation, ZeeSubcategory.Wetlands)]
    [InlineData(ZeeCategory.SpecialTreatment, ZeeSubcategory.IsolatedPeoples)]
    [InlineData(ZeeCategory.Recovery, ZeeSubcategory.DegradedLand)]
    [InlineData(ZeeCategory.UrbanIndustrial, ZeeSubcategory.Industrial)]
    public void Subcategory_belongs_to_its_ZEE_category(ZeeCategory category, ZeeSubcategory subcategory)
    {
        Assert.Equal(category, Zee.CategoryOf(subcategory));
        Assert.Contains(subcategory, Zee.SubcategoriesOf(category));
    }

    [Fact]
    public void Every_subcategory_belongs_to_exactly_one_category()
    {
        var listed = Enum.GetValues<ZeeCategory>().SelectMany(Zee.SubcategoriesOf).ToList();

        Assert.Equal(Enum.GetValues<ZeeSubcategory>().Order(), listed.Order());
    }

    [Theory]
    [InlineData("protection_and_conservation", ZeeCategory.ProtectionAndConservation)]
    [InlineData("Urban_Industrial", ZeeCategory.UrbanIndustrial)]
    public void Category_names_read_case_insensitively_and_write_lower_snake_case(string name, ZeeCategory expected)
    {
        Assert.True(Zee.TryParse(name, out ZeeCategory parsed));
        Assert.Equal(expected, parsed);
        Assert.Equal(name.ToLowerInvariant(), Zee.Name(parsed));
    }
}
