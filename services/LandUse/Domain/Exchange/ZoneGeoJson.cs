using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// The zones of a file, all valid and clean against each other and the boundary, or the faults that
/// stop the import: a service writes nothing unless <see cref="Faults"/> is empty. A fault names its
/// path in the file ("features[3].geometry", "features[5].uses[1].rating"), or "" for the file as a
/// whole, and its description starts with the feature's id, zone_code or name when it has one.
/// </summary>
public sealed record ZoneImport(IReadOnlyList<Zone> Zones, IReadOnlyList<FieldViolation> Faults)
{
    public bool Succeeded => Faults.Count == 0;
}

/// <summary>
/// A plan version's zones as a GeoJSON FeatureCollection (RFC 7946). Each feature's properties:
/// zone_code (key across versions), name, category, subcategory (ZEE names as in <see cref="Zee"/>),
/// uses [{use, rating}], notes; on export also zone_id and area_ha, which an import ignores
/// (ids are the service's, areas are computed).
/// </summary>
public static class ZoneGeoJson
{
    public const int MaxFeatures = PlanVersion.MaxZones;

    private static readonly string[] Wgs84Names = ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"];

    /// <summary>
    /// Reads every feature and reports every fault at once, so a user fixes the file in one pass. A file that is not
    /// UTF-8, not JSON (nesting deeper than 64 included) or holds a string that is not text (an escaped lone surrogate)
    /// is refused as a whole.
    /// </summary>
    public static ZoneImport Read(ReadOnlyMemory<byte> utf8Json, WatershedUnit watershed)
    {
        if (!Utf8.IsValid(utf8Json.Span))
        {
            return Failed("The file is not UTF-8 text: GeoJSON is UTF-8 (RFC 7946); save it again as UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            return Failed($"The file is not JSON: {TextRules.Echo(ex.Message, 300)}");
        }

        using (document)
        {
            var root = document.RootElement;
            var unreadable = new List<string>();
            if (HasUnreadableText(root, unreadable))
            {
                return Failed($"${string.Concat(unreadable)} is not text: it holds an escaped lone surrogate (such as \\ud800).");
            }

            if (root.ValueKind != JsonValueKind.Object || Text(root, "type") != "FeatureCollection"
                || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                var found = root.ValueKind == JsonValueKind.Object ? Text(root, "type") ?? "an object without type" : root.ValueKind.ToString();
                return Failed($"Expected a GeoJSON FeatureCollection, found {TextRules.Echo(found)}.");
            }

            if (DeclaredCrs(root) is { } crs && !Wgs84Names.Contains(crs, StringComparer.OrdinalIgnoreCase))
            {
                return Failed($"The file declares CRS {TextRules.Echo(crs)}; GeoJSON must be WGS84 longitude/latitude (EPSG:4326): reproject it before export.");
            }

            var count = features.GetArrayLength();
            if (count == 0)
            {
                return Failed("The FeatureCollection has no features.");
            }

            if (count > MaxFeatures)
            {
                return Failed($"The file has {count} features; a version holds at most {MaxFeatures} zones.");
            }

            return ReadFeatures(features, watershed);
        }
    }

    public static byte[] Write(PlanVersion version)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var zone in version.Zones)
            {
                WriteFeature(json, zone);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static ZoneImport ReadFeatures(JsonElement features, WatershedUnit watershed)
    {
        var faults = new List<(int Index, FieldViolation Fault)>();
        var zones = new List<(int Index, string? Label, Zone Zone)>();
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            var label = Label(feature);
            var featureFaults = ReadFeature(feature, out var content);
            faults.AddRange(featureFaults.Select(f => (index, Feature(index, label, f.Field, f.Description))));
            if (featureFaults.Count == 0 && content is not null)
            {
                zones.Add((index, label, Zone.Create(Guid.CreateVersion7(), content)));
            }

            index++;
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

        // By feature, then in the zone's field order (Zone.FaultOrder), then as found: the same file is always answered alike.
        return faults.Count == 0
            ? new ZoneImport([.. zones.Select(z => z.Zone)], [])
            : new ZoneImport([], [.. faults.OrderBy(f => f.Index).ThenBy(f => Zone.FaultOrder(FieldOf(f.Fault, f.Index))).Select(f => f.Fault)]);
    }

    private static string FieldOf(FieldViolation fault, int index) => fault.Field[$"features[{index}].".Length..];

    private static FieldViolation Feature(int index, string? label, string field, string description) =>
        new($"features[{index}].{field}", label is null ? description : $"{TextRules.Echo(label)}: {description}");

    /// <summary>
    /// True when a string or property name cannot be read as text (JSON lets "\ud800" escape a lone surrogate, which
    /// UTF-16 text cannot hold); <paramref name="path"/> then names where, e.g. ".features[2].properties.name".
    /// </summary>
    private static bool HasUnreadableText(JsonElement element, List<string> path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return false;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }

            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (HasUnreadableText(item, path))
                    {
                        path.Insert(0, $"[{index}]");
                        return true;
                    }

                    index++;
                }

                return false;

            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        path.Insert(0, ".<a property name>");
                        return true;
                    }

                    if (HasUnreadableText(property.Value, path))
                    {
                        path.Insert(0, "." + TextRules.Echo(name));
                        return true;
                    }
                }

                return false;

            default:
                return false;
        }
    }

    /// <summary>
    /// The feature's faults, named by property (the geometry as "geometry", its GeoJSON member);
    /// <paramref name="content"/> is set when the geometry and every property could be read.
    /// </summary>
    private static List<FieldViolation> ReadFeature(JsonElement feature, out ZoneContent? content)
    {
        content = null;
        if (feature.ValueKind != JsonValueKind.Object || Text(feature, "type") != "Feature")
        {
            return [new("type", "Not a GeoJSON Feature (an object with \"type\": \"Feature\").")];
        }

        var faults = new List<FieldViolation>();
        var geometry = ReadGeometry(feature, faults);
        var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;

        var code = Scalar(properties, "zone_code");
        if (code is null)
        {
            faults.Add(new("zone_code", "Missing property zone_code, the zone's key across plan versions."));
        }

        var category = ReadName<ZeeCategory>(properties, "category", Zee.TryParse, faults);
        var subcategory = ReadName<ZeeSubcategory>(properties, "subcategory", Zee.TryParse, faults);
        var uses = ReadUses(properties, faults);
        var name = ReadOptionalText(properties, "name", faults);
        var notes = ReadOptionalText(properties, "notes", faults);

        var candidate = new ZoneContent(code ?? "", name, category, subcategory, uses, notes, geometry ?? Polygon.Empty);
        var reported = faults.Select(f => f.Field).ToHashSet();
        faults.AddRange(Zone.AttributeViolations(candidate).Where(f => !reported.Contains(f.Field)));
        if (faults.Count == 0)
        {
            content = candidate;
        }

        return faults;
    }

    private static Geometry? ReadGeometry(JsonElement feature, List<FieldViolation> faults)
    {
        if (!feature.TryGetProperty("geometry", out var element))
        {
            faults.Add(new("geometry", "The feature has no geometry."));
            return null;
        }

        var (geometry, fault) = GeometryJson.Read(element, "geometry");
        if (fault is not null)
        {
            faults.Add(fault);
        }

        return geometry;
    }

    private delegate bool NameParser<T>(string? name, out T value);

    private static T ReadName<T>(JsonElement properties, string field, NameParser<T> parse, List<FieldViolation> faults)
        where T : struct, Enum
    {
        var text = Scalar(properties, field);
        if (text is null)
        {
            faults.Add(new(field, $"Missing property {field}."));
        }
        else if (!parse(text, out var value))
        {
            faults.Add(new(field, $"Unknown {field} '{TextRules.Echo(text)}'; expected one of {string.Join(", ", Zee.Names<T>())}."));
        }
        else
        {
            return value;
        }

        return default;
    }

    private static List<AllowedUse> ReadUses(JsonElement properties, List<FieldViolation> faults)
    {
        var uses = new List<AllowedUse>();
        if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty("uses", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return uses;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            faults.Add(new("uses", "uses must be an array of {\"use\", \"rating\"} objects."));
            return uses;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var use = Scalar(item, "use");
            var rating = Scalar(item, "rating");
            if (use is null)
            {
                faults.Add(new($"uses[{i}].use", "Each use needs a use name."));
            }

            if (!Zee.TryParse(rating, out UseRating parsed))
            {
                faults.Add(new($"uses[{i}].rating",
                    $"Rating '{TextRules.Echo(rating)}' is not one of {string.Join(", ", Zee.Names<UseRating>())}."));
            }

            uses.Add(new AllowedUse(use ?? "", parsed));
            i++;
        }

        return uses;
    }

    private static string ReadOptionalText(JsonElement properties, string field, List<FieldViolation> faults)
    {
        if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            faults.Add(new(field, $"{field} must be text."));
            return "";
        }

        return value.GetString()!;
    }

    private static void WriteFeature(Utf8JsonWriter json, Zone zone)
    {
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        json.WriteString("id", TextRules.ForJson(zone.Code));
        json.WriteStartObject("properties");
        json.WriteString("zone_id", zone.Id);
        json.WriteString("zone_code", TextRules.ForJson(zone.Code));
        json.WriteString("name", TextRules.ForJson(zone.Name));
        json.WriteString("category", Zee.Name(zone.Category));
        json.WriteString("subcategory", Zee.Name(zone.Subcategory));
        json.WriteStartArray("uses");
        foreach (var use in zone.Uses)
        {
            json.WriteStartObject();
            json.WriteString("use", TextRules.ForJson(use.Use));
            json.WriteString("rating", Zee.Name(use.Rating));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("notes", TextRules.ForJson(zone.Notes));
        json.WriteNumber("area_ha", Math.Round(zone.AreaHectares, 4));
        json.WriteEndObject();
        json.WritePropertyName("geometry");
        JsonSerializer.Serialize(json, zone.Geometry, GeometryJson.Options);
        json.WriteEndObject();
    }

    private static ZoneImport Failed(string message) => new([], [new FieldViolation("", message)]);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A string or number property as text (spreadsheets and QGIS often store codes as numbers).</summary>
    private static string? Scalar(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string? Label(JsonElement feature) =>
        feature.ValueKind != JsonValueKind.Object ? null
        : Scalar(feature, "id") ?? (feature.TryGetProperty("properties", out var p) ? Scalar(p, "zone_code") ?? Scalar(p, "name") : null);

    private static string? DeclaredCrs(JsonElement root) =>
        root.TryGetProperty("crs", out var crs) && crs.ValueKind == JsonValueKind.Object
            && crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? Text(properties, "name")
            : null;
}
