using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Union;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// One GeoJSON geometry object (RFC 7946, WGS84 lon/lat) as it travels in a request, a response or a file. A request's
/// geometry and a file's feature geometry are read by the same code, so one fault is described in the same words
/// wherever it comes from, and named once.
/// </summary>
public static class GeometryJson
{
    internal static JsonSerializerOptions Options { get; } = new()
    {
        Converters = { new GeoJsonConverterFactory(PolygonalGeometry.Factory) },
    };

    private const string Required = "A GeoJSON Polygon or MultiPolygon geometry is required.";

    /// <summary>
    /// The geometry, or the violation naming <paramref name="field"/> when the text is not a GeoJSON geometry a
    /// boundary or zone may have (see <see cref="PolygonalGeometry.Check"/>).
    /// </summary>
    public static (Geometry? Geometry, FieldViolation? Violation) Parse(string? json, string field)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, new FieldViolation(field, Required));
        }

        try
        {
            using var document = JsonDocument.Parse(WithoutByteOrderMark(json));
            return Read(document.RootElement, field);
        }
        catch (JsonException ex)
        {
            return (null, new FieldViolation(field, $"Not a GeoJSON geometry: {TextRules.Echo(ex.Message, 300)}"));
        }
    }

    /// <summary>
    /// A watershed boundary: a geometry object, or a whole layer as QGIS exports it, a Feature or a FeatureCollection
    /// (WGS84 only). The features' polygons are dissolved into one boundary (a watershed drawn as several adjoining
    /// micro-watersheds is their union); their properties are not read, a boundary has no attributes. Each faulty
    /// feature is named by its path under <paramref name="field"/> ("boundary_geojson.features[2].geometry").
    /// </summary>
    public static (Geometry? Geometry, IReadOnlyList<FieldViolation> Violations) ParseBoundary(string? json, string field)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, [new FieldViolation(field, Required)]);
        }

        try
        {
            using var document = JsonDocument.Parse(WithoutByteOrderMark(json));
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type == "Feature")
            {
                var (geometry, violation) = Read(root.TryGetProperty("geometry", out var member) ? member : default, field);
                return (geometry, violation is null ? [] : [violation]);
            }

            return type == "FeatureCollection" ? ReadLayer(root, field) : Single(Read(root, field));
        }
        catch (JsonException ex)
        {
            return (null, [new FieldViolation(field, $"Not a GeoJSON geometry, Feature or FeatureCollection: {TextRules.Echo(ex.Message, 300)}")]);
        }
    }

    private static (Geometry?, IReadOnlyList<FieldViolation>) Single((Geometry? Geometry, FieldViolation? Violation) read) =>
        (read.Geometry, read.Violation is null ? [] : [read.Violation]);

    private static (Geometry?, IReadOnlyList<FieldViolation>) ReadLayer(JsonElement collection, string field)
    {
        if (ZoneGeoJson.DeclaredCrs(collection) is { } crs && !ZoneGeoJson.Wgs84Names.Contains(crs, StringComparer.OrdinalIgnoreCase))
        {
            return (null, [new FieldViolation(field, $"The layer declares CRS {TextRules.Echo(crs)}; GeoJSON must be WGS84 longitude/latitude (EPSG:4326): reproject it before export.")]);
        }

        if (!collection.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
        {
            return (null, [new FieldViolation(field, "The FeatureCollection has no features.")]);
        }

        var parts = new List<Geometry>();
        var violations = new List<FieldViolation>();
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            var path = $"{field}.features[{index++}]";
            if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
            {
                violations.Add(new(path, "Not a GeoJSON Feature (an object with \"type\": \"Feature\")."));
                continue;
            }

            var (geometry, violation) = Read(feature.TryGetProperty("geometry", out var member) ? member : default, path + ".geometry");
            if (violation is not null)
            {
                violations.Add(violation);
            }
            else
            {
                parts.Add(geometry!);
            }
        }

        if (violations.Count > 0)
        {
            return (null, violations);
        }

        var boundary = parts.Count == 1 ? parts[0] : UnaryUnionOp.Union(parts);
        return Single((boundary, PolygonalGeometry.Check(boundary, field)));
    }

    /// <summary>A geometry object already parsed as JSON (a request's text or a file's feature member).</summary>
    public static (Geometry? Geometry, FieldViolation? Violation) Read(JsonElement element, string field)
    {
        var (geometry, violation, _) = ReadDrawn(element, field);
        return (geometry, violation);
    }

    /// <summary>
    /// <see cref="Read"/>, with the geometry as read when it could be read but may not be stored (<c>Drawn</c>, to show
    /// where the fault is).
    /// </summary>
    public static (Geometry? Geometry, FieldViolation? Violation, Geometry? Drawn) ReadDrawn(JsonElement element, string field)
    {
        if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (null, new FieldViolation(field, "The feature has no geometry."), null);
        }

        var type = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        if (type is "Feature" or "FeatureCollection")
        {
            return (null, new FieldViolation(field,
                $"A geometry object is expected here, not a {type}: give its \"geometry\" member (a whole layer is imported with ImportPlanVersionZones)."), null);
        }

        if (type is not ("Polygon" or "MultiPolygon"))
        {
            return (null, new FieldViolation(field,
                $"A zone or boundary must be a Polygon or MultiPolygon, not {(type is null ? "an untyped geometry" : TextRules.Echo(type))}."), null);
        }

        Geometry geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(Options) ?? throw new JsonException("The geometry is null.");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or InvalidCastException or IndexOutOfRangeException or NotSupportedException)
        {
            // NTS refuses an open ring while building it, so the closure rule surfaces here, not in IsValidOp.
            var message = ex.Message.Contains("closed", StringComparison.OrdinalIgnoreCase)
                ? "A ring is not closed: its last position must repeat the first."
                : $"The coordinates cannot be read as a {type}: {TextRules.Echo(ex.Message, 300)}";
            return (null, new FieldViolation(field, message), null);
        }

        return PolygonalGeometry.Check(geometry, field) is { } invalid ? (null, invalid, geometry) : (geometry, null, null);
    }

    public static string Write(Geometry geometry) => JsonSerializer.Serialize(geometry, Options);

    /// <summary>Text pasted from a file saved with a byte order mark (Notepad, some QGIS builds) starts with U+FEFF: not part of the JSON.</summary>
    internal static string WithoutByteOrderMark(string json) => json.StartsWith('\uFEFF') ? json[1..] : json;
}
