using System.Globalization;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Spatial;

/// <summary>Rules for one zone or boundary geometry: RFC 7946 WGS84 longitude/latitude Polygon or MultiPolygon.</summary>
public static class PolygonalGeometry
{
    /// <summary>
    /// The most vertices one boundary or zone may have. A watershed boundary traced from a 30 m elevation model has a
    /// few thousand; more is a file that needs simplifying, and the overlap and boundary checks grow with the count.
    /// </summary>
    public const int MaxVertices = 100_000;

    /// <summary>WGS84 longitude/latitude (RFC 7946), full double precision.</summary>
    public static GeometryFactory Factory { get; } = new(new PrecisionModel(), 4326);

    /// <summary>The first thing wrong with the geometry, named <paramref name="field"/>, or null when it can be stored.</summary>
    public static FieldViolation? Check(Geometry geometry, string field)
    {
        if (geometry is not (Polygon or MultiPolygon))
        {
            return new(field, $"A zone must be a Polygon or MultiPolygon, not a {geometry.GeometryType}.");
        }

        if (geometry.IsEmpty)
        {
            return new(field, "The geometry is empty.");
        }

        if (geometry.NumPoints > MaxVertices)
        {
            return new(field, string.Create(CultureInfo.InvariantCulture,
                $"The geometry has {geometry.NumPoints} vertices; at most {MaxVertices} are accepted: simplify it (to about 1 m) first."));
        }

        if (CheckCoordinates(geometry.Coordinates) is { } outOfRange)
        {
            return new(field, outOfRange);
        }

        var error = new IsValidOp(geometry).ValidationError;
        return error is null
            ? null
            : new(field, $"{error.Message} at {Describe(error.Coordinate)}.");
    }

    /// <summary>
    /// Drops Z/M, and orients rings as RFC 7946 asks (exterior counter-clockwise, holes clockwise);
    /// files drawn the other way round are accepted, since winding carries no meaning for a valid polygon.
    /// </summary>
    public static Geometry Normalise(Geometry geometry) => geometry switch
    {
        Polygon polygon => Orient(polygon),
        MultiPolygon multi => Factory.CreateMultiPolygon(
            [.. Enumerable.Range(0, multi.NumGeometries).Select(i => Orient((Polygon)multi.GetGeometryN(i)))]),
        _ => throw new ArgumentException($"Not polygonal: {geometry.GeometryType}.", nameof(geometry)),
    };

    /// <summary>"lon -71.600000, lat -13.900000": longitude first, as in the file.</summary>
    public static string Describe(Coordinate? c) => c is null
        ? "an unknown location"
        : string.Create(CultureInfo.InvariantCulture, $"lon {c.X:F6}, lat {c.Y:F6}");

    private static string? CheckCoordinates(Coordinate[] coordinates)
    {
        var bad = coordinates.FirstOrDefault(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y) || Math.Abs(c.X) > 180 || Math.Abs(c.Y) > 90);
        if (bad is null)
        {
            return null;
        }

        var position = string.Create(CultureInfo.InvariantCulture, $"[{bad.X}, {bad.Y}]");
        if (coordinates.All(c => Math.Abs(c.X) <= 90 && Math.Abs(c.Y) <= 180))
        {
            return $"Position {position} has a latitude beyond ±90°: latitude and longitude look swapped. "
                + "GeoJSON positions are [longitude, latitude].";
        }

        if (coordinates.Any(c => Math.Abs(c.X) > 1000 || Math.Abs(c.Y) > 1000))
        {
            return $"Position {position} looks like projected metres (for example UTM easting/northing), not degrees. "
                + "GeoJSON must be WGS84 longitude/latitude (EPSG:4326): reproject the layer before export.";
        }

        return $"Position {position} is outside longitude −180..180 / latitude −90..90.";
    }

    private static Polygon Orient(Polygon polygon)
    {
        var shell = Ring(polygon.Shell, counterClockwise: true);
        var holes = polygon.Holes.Select(h => Ring(h, counterClockwise: false)).ToArray();
        return Factory.CreatePolygon(shell, holes);
    }

    private static LinearRing Ring(LinearRing ring, bool counterClockwise)
    {
        var points = ring.Coordinates.Select(c => new Coordinate(c.X, c.Y)).ToArray();
        if (Orientation.IsCCW(points) != counterClockwise)
        {
            Array.Reverse(points);
        }

        return Factory.CreateLinearRing(points);
    }
}
