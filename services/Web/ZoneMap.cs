using System.Globalization;
using System.Text;
using System.Text.Json;
using Watershed.LandUse.V1;

namespace Watershed.Web;

/// <summary>
/// A plan version's zones drawn as an SVG map on the server: no script, no tiles, readable on an old phone and in print.
/// Longitude and latitude are drawn on an equirectangular grid whose east-west scale is shrunk by the cosine of the
/// map's middle latitude, so shapes keep their proportions at Andean latitudes (about 14° S). The map is for seeing
/// where zones lie; areas come from the service (geodesic), never from the drawing.
/// </summary>
public static class ZoneMap
{
    /// <summary>One shape to draw: its rings (lon, lat), a CSS class and the text a pointer or a screen reader gets.</summary>
    public sealed record Shape(IReadOnlyList<IReadOnlyList<(double Lon, double Lat)>> Rings, string CssClass, string Title);

    private const double Width = 640;

    /// <summary>The CSS class of a category's fill (site.css colours them; the legend uses the same classes).</summary>
    public static string CategoryClass(ZeeCategory category) => category switch
    {
        ZeeCategory.Productive => "zee-productive",
        ZeeCategory.ProtectionAndConservation => "zee-protection",
        ZeeCategory.SpecialTreatment => "zee-special",
        ZeeCategory.Recovery => "zee-recovery",
        ZeeCategory.UrbanIndustrial => "zee-urban",
        _ => "zee-none",
    };

    /// <summary>The rings of a GeoJSON Polygon or MultiPolygon geometry; empty for anything else or malformed text.</summary>
    public static IReadOnlyList<IReadOnlyList<(double Lon, double Lat)>> Rings(string geometryGeoJson)
    {
        var rings = new List<IReadOnlyList<(double, double)>>();
        try
        {
            using var document = JsonDocument.Parse(geometryGeoJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || !root.TryGetProperty("coordinates", out var coordinates))
            {
                return rings;
            }

            var polygons = type.GetString() switch
            {
                "Polygon" => [coordinates],
                "MultiPolygon" => coordinates.EnumerateArray().ToList(),
                _ => [],
            };
            foreach (var polygon in polygons)
            {
                foreach (var ring in polygon.EnumerateArray())
                {
                    rings.Add([.. ring.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble()))]);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            return [];
        }

        return rings;
    }

    /// <summary>
    /// The SVG element for <paramref name="shapes"/> (later ones drawn on top), with <paramref name="label"/> as its
    /// accessible name. An empty map (nothing to draw) is a framed box saying so.
    /// </summary>
    public static string Svg(IReadOnlyList<Shape> shapes, string label, string emptyText)
    {
        var points = shapes.SelectMany(s => s.Rings).SelectMany(r => r).ToList();
        var svg = new StringBuilder();
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"zone-map\" role=\"img\" aria-label=\"{Escape(label)}\" viewBox=\"0 0 {Width} 120\"><text x=\"{Width / 2}\" y=\"64\" text-anchor=\"middle\">{Escape(emptyText)}</text></svg>");
            return svg.ToString();
        }

        var (minLon, maxLon) = (points.Min(p => p.Lon), points.Max(p => p.Lon));
        var (minLat, maxLat) = (points.Min(p => p.Lat), points.Max(p => p.Lat));
        var squeeze = Math.Cos((minLat + maxLat) / 2 * Math.PI / 180);
        var spanX = Math.Max((maxLon - minLon) * squeeze, 1e-9);
        var spanY = Math.Max(maxLat - minLat, 1e-9);
        // Fit the width; a tall layer is fitted to a height of at most 1.5 widths instead.
        var scale = Math.Min((Width - 20) / spanX, ((Width * 1.5) - 20) / spanY);
        var height = Math.Max((spanY * scale) + 20, 60);
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"zone-map\" role=\"img\" aria-label=\"{Escape(label)}\" viewBox=\"0 0 {Width} {height:0.#}\" preserveAspectRatio=\"xMidYMid meet\">");
        foreach (var shape in shapes)
        {
            svg.Append("<path class=\"").Append(Escape(shape.CssClass)).Append("\" fill-rule=\"evenodd\" d=\"");
            foreach (var ring in shape.Rings)
            {
                for (var i = 0; i < ring.Count; i++)
                {
                    var x = 10 + (ring[i].Lon - minLon) * squeeze * scale;
                    var y = 10 + (maxLat - ring[i].Lat) * scale;
                    svg.Append(i == 0 ? 'M' : 'L').Append(x.ToString("0.##", CultureInfo.InvariantCulture)).Append(' ').Append(y.ToString("0.##", CultureInfo.InvariantCulture));
                }

                svg.Append('Z');
            }

            svg.Append("\"><title>").Append(Escape(shape.Title)).Append("</title></path>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Escape(string text) => System.Net.WebUtility.HtmlEncode(text);
}
