using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// A plan version's zones as a GeoJSON FeatureCollection (RFC 7946). Each feature's properties: zone_code (key across
/// versions), name, category, subcategory (ZEE names as in <see cref="Zee"/>), uses [{use, rating}], notes; on export
/// also zone_id and area_ha, which an import ignores (ids are the service's, areas are computed). An import reads the
/// properties as <see cref="ZoneAttributes"/> does (Spanish names, any case, uses as text), like every other format.
/// </summary>
public static class ZoneGeoJson
{
    internal static readonly string[] Wgs84Names = ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"];

    /// <summary>
    /// Reads every feature and reports every fault at once, so a user fixes the file in one pass. A file that is not
    /// UTF-8, not JSON (nesting deeper than 64 included) or holds a string that is not text (an escaped lone surrogate)
    /// is refused as a whole. A leading UTF-8 byte order mark is skipped.
    /// </summary>
    public static ZoneImport Read(ReadOnlyMemory<byte> utf8Json, WatershedUnit watershed)
    {
        // A UTF-8 byte order mark (Windows editors, some QGIS builds write one) is not part of the JSON (RFC 8259 §8.1).
        if (utf8Json.Span.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

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

            return ZoneFile.Import([.. features.EnumerateArray().Select(ReadFeature)], watershed);
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

    /// <summary>A feature of the collection as every format hands it to <see cref="ZoneFile"/>.</summary>
    private static ZoneFeature ReadFeature(JsonElement feature)
    {
        if (feature.ValueKind != JsonValueKind.Object || Text(feature, "type") != "Feature")
        {
            return new ZoneFeature(null, null, null, [], new("type", "Not a GeoJSON Feature (an object with \"type\": \"Feature\")."));
        }

        Geometry? geometry = null;
        Geometry? drawn = null;
        FieldViolation? geometryFault;
        if (!feature.TryGetProperty("geometry", out var element))
        {
            geometryFault = new("geometry", "The feature has no geometry.");
        }
        else
        {
            (geometry, geometryFault, drawn) = GeometryJson.ReadDrawn(element, "geometry");
        }

        var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().Select(m => KeyValuePair.Create(m.Name, PropertyValue.Of(m.Value))).ToList()
            : [];
        var id = feature.TryGetProperty("id", out var i) ? PropertyValue.Of(i) : PropertyValue.Null;
        return new ZoneFeature(id.Kind is PropertyKind.Text or PropertyKind.Number && !id.IsEmpty ? id.Text : null, geometry, geometryFault, properties, Drawn: drawn);
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

    private static ZoneImport Failed(string message) => ZoneImport.Failed(message);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static string? DeclaredCrs(JsonElement root) =>
        root.TryGetProperty("crs", out var crs) && crs.ValueKind == JsonValueKind.Object
            && crs.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? Text(properties, "name")
            : null;
}
