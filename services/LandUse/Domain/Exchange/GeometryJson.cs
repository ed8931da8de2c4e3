using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>One GeoJSON geometry object (RFC 7946, WGS84 lon/lat) as it travels in a request or a response.</summary>
public static class GeometryJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new GeoJsonConverterFactory(PolygonalGeometry.Factory) },
    };

    /// <summary>
    /// The geometry, or the violation naming <paramref name="field"/> when the text is not a GeoJSON geometry a
    /// boundary or zone may have (see <see cref="PolygonalGeometry.Check"/>).
    /// </summary>
    public static (Geometry? Geometry, FieldViolation? Violation) Parse(string? json, string field)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, new FieldViolation(field, "A GeoJSON Polygon or MultiPolygon geometry is required."));
        }

        try
        {
            var geometry = JsonSerializer.Deserialize<Geometry>(json, Options);
            return geometry is null
                ? (null, new FieldViolation(field, "A GeoJSON Polygon or MultiPolygon geometry is required."))
                : (geometry, PolygonalGeometry.Check(geometry, field));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return (null, new FieldViolation(field, $"Not a GeoJSON geometry: {TextRules.Echo(ex.Message, 300)}"));
        }
    }

    public static string Write(Geometry geometry) => JsonSerializer.Serialize(geometry, Options);
}
