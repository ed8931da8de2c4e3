using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Spatial;

/// <summary>Two zones of one version that share area.</summary>
/// <param name="Location">A point inside the shared area, to find it on a map.</param>
public sealed record ZoneOverlap(Zone First, Zone Second, double AreaHectares, Coordinate Location);

/// <summary>A zone that reaches outside the watershed boundary.</summary>
/// <param name="LooksSwapped">The zone misses the watershed, but would fall inside it with latitude and longitude exchanged.</param>
/// <param name="BoundaryLooksSwapped">
/// The watershed's boundary (stored before boundaries had to reach Peru) lies outside Peru and inside it with latitude
/// and longitude exchanged: the boundary is at fault, not the zone.
/// </param>
public sealed record ZoneOutsideBoundary(Zone Zone, double OutsideHectares, double OutsideFraction, bool LooksSwapped, bool BoundaryLooksSwapped = false);

/// <summary>How the zones of one version sit against each other and against the watershed boundary.</summary>
public sealed record LayoutReport(IReadOnlyList<ZoneOverlap> Overlaps, IReadOnlyList<ZoneOutsideBoundary> OutsideBoundary)
{
    public bool IsClean => Overlaps.Count == 0 && OutsideBoundary.Count == 0;

    /// <summary>The findings that involve one zone (by code): an edit is judged by what it brings, not by older findings.</summary>
    public LayoutReport Involving(string zoneCode) => new(
        [.. Overlaps.Where(o => o.First.Code == zoneCode || o.Second.Code == zoneCode)],
        [.. OutsideBoundary.Where(o => o.Zone.Code == zoneCode)]);

    /// <summary>Each finding as a violation of the zone's geometry.</summary>
    public IReadOnlyList<FieldViolation> ToViolations() =>
    [
        .. Overlaps.Select(o => new FieldViolation(Zone.GeometryField, ZoneLayout.Describe(o))),
        .. OutsideBoundary.Select(o => new FieldViolation(Zone.GeometryField, ZoneLayout.Describe(o))),
    ];
}

/// <summary>
/// Zones of one version must not overlap and must lie inside the watershed boundary. Zones that only touch
/// (shared edges or vertices) do not overlap. Shared or outside areas under
/// <see cref="ToleranceSquareMetres"/> are ignored: they come from rounding where two hand-digitised
/// edges meet and mean nothing on the ground. Topology is computed on lon/lat with straight edges (as
/// RFC 7946 reads them); areas geodesically.
/// </summary>
public static class ZoneLayout
{
    public const double ToleranceSquareMetres = 1.0;

    public static LayoutReport Check(IReadOnlyList<Zone> zones, Geometry boundary)
    {
        // An envelope index keeps the pair search near n log n for the few thousand zones a file may hold.
        var index = new STRtree<int>();
        for (var i = 0; i < zones.Count; i++)
        {
            index.Insert(zones[i].Geometry.EnvelopeInternal, i);
        }

        var overlaps = new List<ZoneOverlap>();
        for (var i = 0; i < zones.Count; i++)
        {
            var candidates = index.Query(zones[i].Geometry.EnvelopeInternal).Where(j => j > i).Order();
            var prepared = PreparedGeometryFactory.Prepare(zones[i].Geometry);
            foreach (var j in candidates)
            {
                if (!prepared.Intersects(zones[j].Geometry))
                {
                    continue;
                }

                var shared = OverlayNGRobust.Overlay(zones[i].Geometry, zones[j].Geometry, SpatialFunction.Intersection);
                var area = GeodesicArea.SquareMetres(shared);
                if (area >= ToleranceSquareMetres)
                {
                    overlaps.Add(new ZoneOverlap(zones[i], zones[j], area / GeodesicArea.SquareMetresPerHectare, shared.InteriorPoint.Coordinate));
                }
            }
        }

        var preparedBoundary = PreparedGeometryFactory.Prepare(boundary);
        var boundaryLooksSwapped = !ServiceArea.Reaches(boundary) && ServiceArea.Reaches(Axes.Swapped(boundary));
        var outside = new List<ZoneOutsideBoundary>();
        foreach (var zone in zones)
        {
            if (preparedBoundary.Covers(zone.Geometry))
            {
                continue;
            }

            var beyond = GeodesicArea.SquareMetres(OverlayNGRobust.Overlay(zone.Geometry, boundary, SpatialFunction.Difference));
            if (beyond >= ToleranceSquareMetres)
            {
                var looksSwapped = !boundaryLooksSwapped && !preparedBoundary.Intersects(zone.Geometry) && preparedBoundary.Intersects(Axes.Swapped(zone.Geometry));
                var hectares = beyond / GeodesicArea.SquareMetresPerHectare;
                outside.Add(new ZoneOutsideBoundary(zone, hectares, Math.Min(hectares / zone.AreaHectares, 1), looksSwapped, boundaryLooksSwapped));
            }
        }

        return new LayoutReport(overlaps, outside);
    }

    internal static string Describe(ZoneOverlap overlap) => string.Create(CultureInfo.InvariantCulture,
        $"Zones {overlap.First.Label} and {overlap.Second.Label} overlap by {overlap.AreaHectares:0.####} ha near {PolygonalGeometry.Describe(overlap.Location)}.");

    internal static string Describe(ZoneOutsideBoundary outside)
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"Zone {outside.Zone.Label} has {outside.OutsideHectares:0.####} ha ({outside.OutsideFraction:P1}) outside the watershed boundary.");
        if (outside.BoundaryLooksSwapped)
        {
            return text + " The watershed's boundary is the one at fault: it lies outside Peru, and inside it with latitude and longitude "
                + "exchanged, so it was written [latitude, longitude]. Give the boundary again as [longitude, latitude] (ChangeWatershedUnitBoundary).";
        }

        return outside.LooksSwapped
            ? text + " It would fall inside with latitude and longitude exchanged: GeoJSON positions are [longitude, latitude]."
            : text;
    }
}
