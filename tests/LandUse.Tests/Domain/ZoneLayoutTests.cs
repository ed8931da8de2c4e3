using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Spatial;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

public sealed class ZoneLayoutTests
{
    /// <summary>Around Cusco test sites: lon −71.65..−71.55, lat −13.95..−13.85.</summary>
    private static readonly WatershedUnit Cusco = Unit(Box(-71.65, -13.95, -71.55, -13.85));

    [Fact]
    public void Overlapping_zones_are_reported_as_a_pair_with_the_shared_hectares()
    {
        var a = NewZone("A", Box(-71.62, -13.92, -71.60, -13.90));
        var b = NewZone("B", Box(-71.61, -13.91, -71.59, -13.89));

        var report = ZoneLayout.Check([a, b], Cusco.Boundary);

        var overlap = Assert.Single(report.Overlaps);
        Assert.Equal(("A", "B"), (overlap.First.Code, overlap.Second.Code));
        // Shared box lon −71.61..−71.60, lat −13.91..−13.90: GeographicLib 1,195,760.4938 m².
        Assert.Equal(119.5760, overlap.AreaHectares, 3);
        Assert.True(Box(-71.61, -13.91, -71.60, -13.90).Contains(PolygonalGeometry.Factory.CreatePoint(overlap.Location)));
        Assert.Contains("Zones A and B overlap by 119.576", Assert.Single(report.ToViolations()).Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Zones_sharing_an_edge_do_not_overlap()
    {
        var west = NewZone("W", Box(-71.62, -13.92, -71.60, -13.90));
        var east = NewZone("E", Box(-71.60, -13.92, -71.58, -13.90));
        var corner = NewZone("C", Box(-71.60, -13.90, -71.58, -13.88));

        var report = ZoneLayout.Check([west, east, corner], Cusco.Boundary);

        Assert.True(report.IsClean);
    }

    [Fact]
    public void Overlap_under_one_square_metre_is_ignored_and_above_it_is_reported()
    {
        // Strips 1 km long: 5e-9° (≈ 0.6 mm, ≈ 0.6 m²) is rounding; 1e-6° (≈ 0.11 m, ≈ 120 m²) is an overlap.
        var west = NewZone("W", Box(-71.62, -13.92, -71.61, -13.91));
        var sliver = NewZone("S", Box(-71.61 - 5e-9, -13.92, -71.60, -13.91));
        var strip = NewZone("T", Box(-71.61 - 1e-6, -13.92, -71.60, -13.91));

        Assert.True(ZoneLayout.Check([west, sliver], Cusco.Boundary).IsClean);
        var overlap = Assert.Single(ZoneLayout.Check([west, strip], Cusco.Boundary).Overlaps);
        Assert.InRange(overlap.AreaHectares * 10_000, 100, 140);
    }

    [Fact]
    public void Zone_partly_outside_the_boundary_reports_the_hectares_outside()
    {
        var zone = NewZone("EDGE", Box(-71.56, -13.88, -71.54, -13.86));

        var outside = Assert.Single(ZoneLayout.Check([zone], Cusco.Boundary).OutsideBoundary);

        // Part beyond −71.55: lon −71.55..−71.54, lat −13.88..−13.86, GeographicLib 2,391,873.0836 m².
        Assert.Equal(239.1873, outside.OutsideHectares, 3);
        Assert.Equal(0.5, outside.OutsideFraction, 3);
        Assert.False(outside.LooksSwapped);
    }

    [Fact]
    public void Zone_with_latitude_and_longitude_swapped_is_told_so()
    {
        // A Cusco box written as [lat, lon]: in range (it lands in Antarctica), and inside once swapped back.
        var swapped = NewZone("SWAP", Box(-13.92, -71.62, -13.90, -71.60));

        var outside = Assert.Single(ZoneLayout.Check([swapped], Cusco.Boundary).OutsideBoundary);

        Assert.True(outside.LooksSwapped);
        Assert.Equal(1.0, outside.OutsideFraction, 6);
        Assert.Contains("latitude and longitude exchanged", ZoneLayout.Describe(outside), StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_involving_one_zone_leave_out_the_others()
    {
        var a = NewZone("A", Box(-71.62, -13.92, -71.60, -13.90));
        var b = NewZone("B", Box(-71.61, -13.91, -71.59, -13.89));
        var edge = NewZone("EDGE", Box(-71.56, -13.88, -71.54, -13.86));

        var report = ZoneLayout.Check([a, b, edge], Cusco.Boundary).Involving("EDGE");

        Assert.Empty(report.Overlaps);
        Assert.Single(report.OutsideBoundary);
    }
}
