using System.Globalization;
using NetTopologySuite.Geometries;

namespace Watershed.LandUse.Domain.Spatial;

/// <summary>
/// Where a watershed may lie: land use plans under Peru's Ecological and Economic Zoning (DS 087-2004-PCM), so every
/// boundary reaches Peru. The test is Peru's extent with a quarter degree to spare (lon −81.6…−68.4, lat −18.6…+0.2),
/// not its border: a basin shared with a neighbour (Titicaca with Bolivia) is accepted as long as part of it lies in
/// that box. Its purpose is to catch a boundary in the wrong axis order (GeoJSON is [longitude, latitude]; a layer
/// written [latitude, longitude] puts Pomacanchi at lon −14, lat −71.6, in the Southern Ocean) or in the wrong
/// coordinate system when the boundary is given, before correct zones are blamed for lying outside it.
/// </summary>
public static class ServiceArea
{
    public const double West = -81.6;
    public const double East = -68.4;
    public const double South = -18.6;
    public const double North = 0.2;

    private static readonly Polygon Extent = PolygonalGeometry.Factory.CreatePolygon(
    [
        new Coordinate(West, South), new Coordinate(East, South), new Coordinate(East, North),
        new Coordinate(West, North), new Coordinate(West, South),
    ]);

    /// <summary>True when the geometry reaches Peru's extent.</summary>
    public static bool Reaches(Geometry geometry) => Extent.Intersects(geometry);

    /// <summary>What is wrong with where the boundary lies, or null when it reaches Peru.</summary>
    public static string? BoundaryFault(Geometry boundary)
    {
        if (Reaches(boundary))
        {
            return null;
        }

        var e = boundary.EnvelopeInternal;
        var where = string.Create(CultureInfo.InvariantCulture,
            $"The boundary lies at lon {e.MinX:0.###}…{e.MaxX:0.###}, lat {e.MinY:0.###}…{e.MaxY:0.###}{Region(e)}, outside Peru");
        return Reaches(Axes.Swapped(boundary))
            ? where + ", and inside Peru with latitude and longitude exchanged: its positions are [latitude, longitude]. "
                + "GeoJSON positions are [longitude, latitude]: swap them (in QGIS, export the layer as GeoJSON in EPSG:4326)."
            : where + string.Create(CultureInfo.InvariantCulture,
                $" (lon {West}…{East}, lat {South}…{North}), where the ZEE categories apply. GeoJSON is WGS84 longitude/latitude (EPSG:4326).");
    }

    private static string Region(Envelope e) => e.MaxY < -60 ? ", in the Southern Ocean" : "";
}

/// <summary>Latitude and longitude exchanged, to tell a boundary or zone written [latitude, longitude].</summary>
public static class Axes
{
    public static Geometry Swapped(Geometry geometry)
    {
        var swapped = geometry.Copy();
        swapped.Apply(new AxisSwap());
        return swapped;
    }

    private sealed class AxisSwap : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var x = seq.GetX(i);
            seq.SetX(i, seq.GetY(i));
            seq.SetY(i, x);
        }
    }
}
