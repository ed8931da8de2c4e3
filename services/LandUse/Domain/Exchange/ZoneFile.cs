using System.Text.Json;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>What a property holds: nothing, text, a number (kept as its text), or JSON structure (a GeoJSON array, object or boolean).</summary>
public enum PropertyKind
{
    Null,
    Text,
    Number,
    Structure,
}

/// <summary>A property's value as a file holds it; <see cref="Json"/> is set for JSON structure only.</summary>
public readonly record struct PropertyValue(PropertyKind Kind, string? Text = null, JsonElement Json = default)
{
    public static PropertyValue Null { get; } = new(PropertyKind.Null);

    /// <summary>Null and blank text carry nothing: they are the same as a property left out.</summary>
    public bool IsEmpty => Kind == PropertyKind.Null || (Kind == PropertyKind.Text && string.IsNullOrWhiteSpace(Text));

    public static PropertyValue Of(string? text) => text is null ? Null : new(PropertyKind.Text, text);

    public static PropertyValue Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => Null,
        JsonValueKind.String => new(PropertyKind.Text, element.GetString()),
        JsonValueKind.Number => new(PropertyKind.Number, element.GetRawText()),
        _ => new(PropertyKind.Structure, null, element.Clone()),
    };
}

/// <summary>
/// One feature of a layer, whatever the format: its geometry (or what is wrong with it) and its properties as the file
/// names them. <paramref name="Fault"/> is set when the item is not a feature at all. <paramref name="Drawn"/> is a
/// geometry that could be read but may not be stored (a ring crossing itself, too many vertices): kept only to show the
/// person where the fault is.
/// </summary>
public sealed record ZoneFeature(
    string? Id,
    Geometry? Geometry,
    FieldViolation? GeometryFault,
    IReadOnlyList<KeyValuePair<string, PropertyValue>> Properties,
    FieldViolation? Fault = null,
    Geometry? Drawn = null)
{
    /// <summary>What can be drawn of the feature: its geometry, or the one read that may not be stored; null when none could be read.</summary>
    public Geometry? Shape => Geometry ?? Drawn;
}

/// <summary>A feature of a layer as read, for showing it: its place in the file (from 0), its label and what can be drawn of it.</summary>
public sealed record LayerShape(int Index, string? Label, Geometry? Shape);

/// <summary>A property of the file that is no zone attribute: not imported, and said so in the answer.</summary>
/// <param name="FeatureCount">How many features hold a value for it (null and blank do not count).</param>
/// <param name="FirstFeature">The first of them, counted from 0 in file order.</param>
public sealed record IgnoredProperty(string Name, int FeatureCount, int FirstFeature);

/// <summary>
/// The zones of a file, all valid and clean against each other and the boundary, or the faults that stop the import: a
/// service writes nothing unless <see cref="Faults"/> is empty. A fault names its path in the file
/// ("features[3].geometry", "features[5].uses[1].rating", with the contract's attribute names whatever the file calls
/// them), or "" for the file as a whole, and its description starts with the feature's id, zone_code or name when it has
/// one. <see cref="IgnoredProperties"/> lists the properties that were not imported, in the order first met.
/// </summary>
/// <remarks><see cref="Shapes"/> holds every feature read, in file order (empty when the file is refused as a whole).</remarks>
public sealed record ZoneImport(IReadOnlyList<Zone> Zones, IReadOnlyList<FieldViolation> Faults, IReadOnlyList<IgnoredProperty> IgnoredProperties)
{
    public bool Succeeded => Faults.Count == 0;

    public IReadOnlyList<LayerShape> Shapes { get; init; } = [];

    /// <summary>The file refused as a whole.</summary>
    public static ZoneImport Failed(string message) => new([], [new FieldViolation("", message)], []);
}

/// <summary>
/// The one import of a layer of zones, whatever its format (GeoJSON, KML, GeoPackage, Shapefile): each feature's
/// attributes read by <see cref="ZoneAttributes"/>, each zone validated, codes unique, then the layout (no overlaps,
/// inside the boundary). Every fault of every feature is reported at once, so a user fixes the file in one pass.
/// </summary>
public static class ZoneFile
{
    /// <summary>The most features a file may hold: a version's zone limit.</summary>
    public const int MaxFeatures = PlanVersion.MaxZones;

    public static ZoneImport Import(IReadOnlyList<ZoneFeature> features, WatershedUnit watershed)
    {
        if (features.Count == 0)
        {
            return ZoneImport.Failed("The layer has no features.");
        }

        if (features.Count > MaxFeatures)
        {
            return ZoneImport.Failed($"The layer has {features.Count} features; a version holds at most {MaxFeatures} zones.");
        }

        var faults = new List<(int Index, FieldViolation Fault)>();
        var zones = new List<(int Index, string? Label, Zone Zone)>();
        var ignored = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        for (var index = 0; index < features.Count; index++)
        {
            var feature = features[index];
            var label = Label(feature);
            var featureFaults = ReadFeature(feature, out var content, out var unknown);
            faults.AddRange(featureFaults.Select(f => (index, Feature(index, label, f.Field, f.Description))));
            foreach (var name in unknown)
            {
                ignored[name] = ignored.TryGetValue(name, out var seen) ? (seen.Count + 1, seen.First) : (1, index);
            }

            if (featureFaults.Count == 0 && content is not null)
            {
                zones.Add((index, label, Zone.Create(Guid.CreateVersion7(), content)));
            }
        }

        var firstByCode = new Dictionary<string, int>();
        foreach (var (i, label, zone) in zones)
        {
            if (!firstByCode.TryAdd(zone.Code, i))
            {
                faults.Add((i, Feature(i, label, "zone_code",
                    $"zone_code {zone.Code} is already used by feature {firstByCode[zone.Code]}; it must be unique in a version.")));
            }
        }

        var featureOf = zones.ToDictionary(z => z.Zone, z => (z.Index, z.Label));
        var layout = ZoneLayout.Check([.. zones.Select(z => z.Zone)], watershed.Boundary);
        foreach (var overlap in layout.Overlaps)
        {
            var (i, label) = featureOf[overlap.Second];
            faults.Add((i, Feature(i, label, "geometry", $"Overlaps feature {featureOf[overlap.First].Index}: {ZoneLayout.Describe(overlap)}")));
        }

        foreach (var outside in layout.OutsideBoundary)
        {
            var (i, label) = featureOf[outside.Zone];
            faults.Add((i, Feature(i, label, "geometry", ZoneLayout.Describe(outside))));
        }

        IReadOnlyList<IgnoredProperty> ignoredProperties = [.. ignored.OrderBy(p => p.Value.First).Select(p => new IgnoredProperty(p.Key, p.Value.Count, p.Value.First))];

        IReadOnlyList<LayerShape> shapes = [.. features.Select((f, i) => new LayerShape(i, Label(f), f.Shape is { } shape && Drawable(shape) ? shape : null))];

        // By feature, then in the zone's field order (Zone.FaultOrder), then as found: the same file is always answered alike.
        return faults.Count == 0
            ? new ZoneImport([.. zones.Select(z => z.Zone)], [], ignoredProperties) { Shapes = shapes }
            : new ZoneImport([], [.. faults.OrderBy(f => f.Index).ThenBy(f => Zone.FaultOrder(FieldOf(f.Fault, f.Index))).Select(f => f.Fault)], ignoredProperties) { Shapes = shapes };
    }

    /// <summary>
    /// The feature's faults, named by attribute (the geometry as "geometry"); <paramref name="content"/> is set when the
    /// geometry and every attribute could be read, <paramref name="unknown"/> holds the properties that are no attribute.
    /// </summary>
    private static List<FieldViolation> ReadFeature(ZoneFeature feature, out ZoneContent? content, out IReadOnlyList<string> unknown)
    {
        content = null;
        if (feature.Fault is not null)
        {
            unknown = [];
            return [feature.Fault];
        }

        var attributes = ZoneAttributes.Read(feature.Properties);
        unknown = attributes.Unknown;
        var faults = new List<FieldViolation>(attributes.Faults);
        if ((feature.GeometryFault ?? (feature.Geometry is null ? new FieldViolation("geometry", "The feature has no geometry.") : null)) is { } geometryFault)
        {
            faults.Add(geometryFault);
        }

        var candidate = attributes.Content(feature.Geometry ?? Polygon.Empty);
        var reported = faults.Select(f => f.Field).ToHashSet();
        faults.AddRange(Zone.AttributeViolations(candidate).Where(f => !reported.Contains(f.Field)));
        if (faults.Count == 0 && feature.Geometry is not null)
        {
            content = candidate;
        }

        return faults;
    }

    /// <summary>
    /// A shape that can be drawn on a map: within the vertex limit, every position a finite longitude and latitude in
    /// range (a layer with swapped axes or in metres is listed, not drawn).
    /// </summary>
    private static bool Drawable(Geometry shape) =>
        !shape.IsEmpty && shape.NumPoints <= PolygonalGeometry.MaxVertices
        && shape.Coordinates.All(c => double.IsFinite(c.X) && double.IsFinite(c.Y) && Math.Abs(c.X) <= 180 && Math.Abs(c.Y) <= 90);

    private static string FieldOf(FieldViolation fault, int index) =>
        fault.Field.Length > $"features[{index}].".Length ? fault.Field[$"features[{index}].".Length..] : "";

    private static FieldViolation Feature(int index, string? label, string field, string description) =>
        new($"features[{index}].{field}", label is null ? description : $"{TextRules.Echo(label)}: {description}");

    /// <summary>How the feature is recognised in messages: its id, else its zone_code, else its name, as the file has them.</summary>
    private static string? Label(ZoneFeature feature) =>
        feature.Id ?? ZoneAttributes.Value(feature.Properties, "zone_code") ?? ZoneAttributes.Value(feature.Properties, "name");
}
