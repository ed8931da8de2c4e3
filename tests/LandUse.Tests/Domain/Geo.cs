using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Spatial;

namespace Watershed.LandUse.Tests.Domain;

/// <summary>Geometries and zones for tests, written as (longitude, latitude) like GeoJSON.</summary>
internal static class Geo
{
    public static DateTimeOffset Now { get; } = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static LinearRing Ring(params (double Lon, double Lat)[] points)
    {
        var coordinates = points.Select(p => new Coordinate(p.Lon, p.Lat)).ToList();
        if (!coordinates[0].Equals2D(coordinates[^1]))
        {
            coordinates.Add(coordinates[0].Copy());
        }

        return PolygonalGeometry.Factory.CreateLinearRing([.. coordinates]);
    }

    public static Polygon Polygon(params (double Lon, double Lat)[] points) => PolygonalGeometry.Factory.CreatePolygon(Ring(points));

    /// <summary>An axis-aligned box, exterior counter-clockwise.</summary>
    public static Polygon Box(double west, double south, double east, double north) =>
        Polygon((west, south), (east, south), (east, north), (west, north));

    public static Polygon WithHole(Polygon outer, Polygon hole) =>
        PolygonalGeometry.Factory.CreatePolygon(outer.Shell, [hole.Shell]);

    public static WatershedUnit Unit(Geometry boundary) => WatershedUnit.Create(Guid.NewGuid(), "pomacanchi", "Pomacanchi", boundary);

    /// <summary>A boundary around the Pomacanchi lake test area: lon −71.62..−71.52, lat −14.08..−13.98.</summary>
    public static WatershedUnit Pomacanchi() => Unit(Box(-71.62, -14.08, -71.52, -13.98));

    public static ZoneContent Content(string code, Geometry geometry,
        ZeeSubcategory subcategory = ZeeSubcategory.Agriculture, string name = "") =>
        new(code, name, Zee.CategoryOf(subcategory), subcategory,
            [new AllowedUse("potato and barley", UseRating.Recommended), new AllowedUse("grazing", UseRating.RecommendedWithRestrictions)],
            "", geometry);

    public static Zone NewZone(string code, Geometry geometry, ZeeSubcategory subcategory = ZeeSubcategory.Agriculture) =>
        Zone.Create(Guid.NewGuid(), Content(code, geometry, subcategory));
}
