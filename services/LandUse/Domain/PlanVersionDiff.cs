namespace Watershed.LandUse.Domain;

/// <summary>What changed in a zone kept from one version to another (matched by zone code).</summary>
[Flags]
public enum ZoneChanges
{
    None = 0,
    Category = 1,
    Subcategory = 2,
    Geometry = 4,
    Uses = 8,
    Name = 16,
    Notes = 32,
}

public sealed record ZoneChange(string Code, ZoneChanges Changes, Zone Before, Zone After)
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

    public static PlanVersionDiff Between(PlanVersion from, PlanVersion to)
    {
        var before = from.Zones.ToDictionary(z => z.Code);
        var after = to.Zones.ToDictionary(z => z.Code);
        var changed = new List<ZoneChange>();
        foreach (var zone in to.Zones)
        {
            if (before.TryGetValue(zone.Code, out var old) && Compare(old, zone) is var changes and not ZoneChanges.None)
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

    private static ZoneChanges Compare(Zone a, Zone b)
    {
        var changes = ZoneChanges.None;
        if (a.Category != b.Category)
        {
            changes |= ZoneChanges.Category;
        }

        if (a.Subcategory != b.Subcategory)
        {
            changes |= ZoneChanges.Subcategory;
        }

        if (!a.Geometry.Normalized().EqualsExact(b.Geometry.Normalized(), GeometryToleranceDegrees))
        {
            changes |= ZoneChanges.Geometry;
        }

        // Order of uses carries no meaning; a zone never lists one use twice.
        if (a.Uses.Count != b.Uses.Count || a.Uses.Except(b.Uses).Any())
        {
            changes |= ZoneChanges.Uses;
        }

        if (a.Name != b.Name)
        {
            changes |= ZoneChanges.Name;
        }

        if (a.Notes != b.Notes)
        {
            changes |= ZoneChanges.Notes;
        }

        return changes;
    }
}
