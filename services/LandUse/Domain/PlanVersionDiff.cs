using NetTopologySuite.Geometries;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>What changed in a zone kept from one version to another (matched by zone code).</summary>
public enum ZoneChangeKind
{
    Category = 1,
    Subcategory = 2,
    Geometry = 3,
    Uses = 4,
    Name = 5,
    Notes = 6,
}

/// <param name="Changes">What changed, in <see cref="ZoneChangeKind"/> order; never empty.</param>
public sealed record ZoneChange(string Code, IReadOnlyList<ZoneChangeKind> Changes, Zone Before, Zone After)
{
    public double AreaDeltaHectares => After.AreaHectares - Before.AreaHectares;
}

/// <param name="AreaDeltaHectares">Per category: hectares in <c>to</c> minus hectares in <c>from</c>; every category is listed.</param>
public sealed record PlanVersionDiff(
    IReadOnlyList<Zone> Added,
    IReadOnlyList<Zone> Removed,
    IReadOnlyList<ZoneChange> Changed,
    IReadOnlyDictionary<ZeeCategory, double> AreaDeltaHectares)
{
    /// <summary>
    /// Geometries are equal when their vertices agree within about 1 cm (1e-7°), whatever the starting
    /// vertex of each ring, so a GeoJSON round trip through QGIS does not show as a change.
    /// </summary>
    public const double GeometryToleranceDegrees = 1e-7;

    /// <exception cref="InvalidArgumentException"><paramref name="to"/> is a version of another plan: zone codes are keys within one plan only.</exception>
    public static PlanVersionDiff Between(PlanVersion from, PlanVersion to)
    {
        if (to.PlanId != from.PlanId)
        {
            throw new InvalidArgumentException("to_plan_version_id", "must be a version of the same plan as from_plan_version_id");
        }

        var before = from.Zones.ToDictionary(z => z.Code);
        var after = to.Zones.ToDictionary(z => z.Code);
        var changed = new List<ZoneChange>();
        foreach (var zone in to.Zones)
        {
            if (before.TryGetValue(zone.Code, out var old) && Compare(old, zone) is { Count: > 0 } changes)
            {
                changed.Add(new ZoneChange(zone.Code, changes, old, zone));
            }
        }

        var delta = Enum.GetValues<ZeeCategory>().ToDictionary(
            c => c,
            c => to.Zones.Where(z => z.Category == c).Sum(z => z.AreaHectares) - from.Zones.Where(z => z.Category == c).Sum(z => z.AreaHectares));

        return new PlanVersionDiff(
            [.. to.Zones.Where(z => !before.ContainsKey(z.Code))],
            [.. from.Zones.Where(z => !after.ContainsKey(z.Code))],
            changed,
            delta);
    }

    private static List<ZoneChangeKind> Compare(Zone a, Zone b)
    {
        var changes = new List<ZoneChangeKind>();
        if (a.Category != b.Category)
        {
            changes.Add(ZoneChangeKind.Category);
        }

        if (a.Subcategory != b.Subcategory)
        {
            changes.Add(ZoneChangeKind.Subcategory);
        }

        if (!Comparable(a.Geometry).EqualsExact(Comparable(b.Geometry), GeometryToleranceDegrees))
        {
            changes.Add(ZoneChangeKind.Geometry);
        }

        // Order of uses carries no meaning; a zone never lists one use twice.
        if (a.Uses.Count != b.Uses.Count || a.Uses.Except(b.Uses).Any())
        {
            changes.Add(ZoneChangeKind.Uses);
        }

        if (a.Name != b.Name)
        {
            changes.Add(ZoneChangeKind.Name);
        }

        if (a.Notes != b.Notes)
        {
            changes.Add(ZoneChangeKind.Notes);
        }

        return changes;
    }

    /// <summary>
    /// The geometry as it covers the ground: a MultiPolygon of one part is that Polygon (QGIS saves every feature of a
    /// layer with mixed types as a MultiPolygon), and rings start at a fixed vertex (<see cref="Geometry.Normalized"/>).
    /// </summary>
    private static Geometry Comparable(Geometry geometry) =>
        (geometry is MultiPolygon { NumGeometries: 1 } single ? single.GetGeometryN(0) : geometry).Normalized();
}
