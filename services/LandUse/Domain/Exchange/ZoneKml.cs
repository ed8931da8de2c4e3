using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// A plan version as KML 2.2 for Google Earth and phones in the field, written so that it reads back, here and through
/// GDAL (what QGIS uses): one Placemark per zone whose &lt;name&gt; is the zone's name and &lt;description&gt; its notes (GDAL
/// reads them as the fields Name and Description), and the other attributes as typed ExtendedData of one Schema
/// ("zone": zone_code, category, subcategory, uses as <see cref="UsesText"/>, zone_id as strings, area_ha as a double),
/// so no attribute collides with KML's own elements. Text goes through <see cref="TextRules.ForXml"/>, so a character
/// stored before the input rules refused it (a vertical tab in a name) is dropped instead of breaking the export.
/// Reading takes any KML 2.x (or namespace-less) document: every Placemark of any Folder, its name, description,
/// Data and SimpleData as properties, its Polygon or MultiGeometry of Polygons as the geometry.
/// </summary>
public static class ZoneKml
{
    public const string Namespace = "http://www.opengis.net/kml/2.2";

    /// <summary>The id of the Schema the ExtendedData refers to (schemaUrl "#zone").</summary>
    public const string SchemaId = "zone";

    private static readonly (string Name, string Type)[] Fields =
    [
        ("zone_code", "string"), ("category", "string"), ("subcategory", "string"), ("uses", "string"), ("area_ha", "double"), ("zone_id", "string"),
    ];

    public static byte[] Write(PlanVersion version, string documentName)
    {
        using var buffer = new MemoryStream();
        // Entitized line breaks keep a carriage return in notes, which an XML reader would otherwise turn into a line feed.
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, NewLineHandling = NewLineHandling.Entitize };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("kml", Namespace);
            xml.WriteStartElement("Document");
            xml.WriteElementString("name", TextRules.ForXml(documentName));
            xml.WriteStartElement("Schema");
            xml.WriteAttributeString("name", SchemaId);
            xml.WriteAttributeString("id", SchemaId);
            foreach (var (name, type) in Fields)
            {
                xml.WriteStartElement("SimpleField");
                xml.WriteAttributeString("name", name);
                xml.WriteAttributeString("type", type);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            foreach (var zone in version.Zones)
            {
                WritePlacemark(xml, zone);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    /// <summary>The Placemarks of a KML document as features; the file as a whole refused when it is not KML.</summary>
    public static (IReadOnlyList<ZoneFeature> Features, string? Fault) Read(ReadOnlyMemory<byte> kml)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(kml.ToArray(), writable: false);
            // No DTD, no external entities: a KML file never needs them, and they are how XML files attack readers.
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return ([], $"The file is not XML (KML): {TextRules.Echo(ex.Message, 300)}");
        }

        if (document.Root?.Name.LocalName != "kml")
        {
            return ([], $"Expected a KML document (a <kml> root), found <{TextRules.Echo(document.Root?.Name.LocalName)}>.");
        }

        return ([.. document.Descendants().Where(e => e.Name.LocalName == "Placemark").Select(ReadPlacemark)], null);
    }

    private static ZoneFeature ReadPlacemark(XElement placemark)
    {
        var properties = new List<KeyValuePair<string, PropertyValue>>();
        foreach (var element in new[] { "name", "description" })
        {
            if (Child(placemark, element) is { } value)
            {
                properties.Add(KeyValuePair.Create(element, PropertyValue.Of(value.Value)));
            }
        }

        if (Child(placemark, "ExtendedData") is { } data)
        {
            foreach (var item in data.Descendants().Where(e => e.Name.LocalName is "Data" or "SimpleData"))
            {
                var name = (string?)item.Attribute("name") ?? "";
                var value = item.Name.LocalName == "Data" ? Child(item, "value")?.Value : item.Value;
                properties.Add(KeyValuePair.Create(name, PropertyValue.Of(value)));
            }
        }

        var shapes = placemark.Elements().Where(e => e.Name.LocalName is "Polygon" or "MultiGeometry" or "Point" or "LineString" or "LinearRing" or "Model" or "Track" or "MultiTrack").ToList();
        if (shapes.Count == 0)
        {
            return new ZoneFeature(null, null, new FieldViolation("geometry", "The feature has no geometry."), properties);
        }

        var (geometry, fault, drawn) = ReadGeometry(shapes[0]);
        return new ZoneFeature(null, geometry, fault, properties, Drawn: drawn);
    }

    private static (Geometry?, FieldViolation?, Geometry?) ReadGeometry(XElement shape)
    {
        var polygons = new List<Polygon>();
        try
        {
            if (!Collect(shape, polygons, out var other))
            {
                return (null, new FieldViolation("geometry", $"A zone or boundary must be a Polygon or MultiPolygon, not {other}."), null);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            var message = ex.Message.Contains("closed", StringComparison.OrdinalIgnoreCase)
                ? "A ring is not closed: its last position must repeat the first."
                : $"The coordinates cannot be read as a Polygon: {TextRules.Echo(ex.Message, 300)}";
            return (null, new FieldViolation("geometry", message), null);
        }

        if (polygons.Count == 0)
        {
            return (null, new FieldViolation("geometry", "The feature has no geometry."), null);
        }

        Geometry geometry = polygons.Count == 1 && shape.Name.LocalName == "Polygon"
            ? polygons[0]
            : PolygonalGeometry.Factory.CreateMultiPolygon([.. polygons]);
        return PolygonalGeometry.Check(geometry, "geometry") is { } invalid ? (null, invalid, geometry) : (geometry, null, null);
    }

    /// <summary>Every Polygon of a Polygon or (nested) MultiGeometry; false, naming it, at the first other shape.</summary>
    private static bool Collect(XElement shape, List<Polygon> polygons, out string other)
    {
        other = shape.Name.LocalName;
        switch (shape.Name.LocalName)
        {
            case "Polygon":
                var shell = Ring(Child(Child(shape, "outerBoundaryIs"), "LinearRing"));
                var holes = shape.Elements().Where(e => e.Name.LocalName == "innerBoundaryIs").Select(e => Ring(Child(e, "LinearRing"))).ToArray();
                polygons.Add(PolygonalGeometry.Factory.CreatePolygon(shell, holes));
                return true;
            case "MultiGeometry":
                foreach (var part in shape.Elements().Where(e => e.Name.LocalName is not ("extrude" or "tessellate" or "altitudeMode")))
                {
                    if (!Collect(part, polygons, out other))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>A LinearRing's coordinates: "lon,lat[,alt]" tuples separated by white space; altitudes are dropped.</summary>
    private static LinearRing Ring(XElement? ring)
    {
        var text = Child(ring, "coordinates")?.Value
            ?? throw new FormatException("A Polygon needs an outerBoundaryIs with a LinearRing and its coordinates.");
        var positions = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(tuple =>
        {
            var parts = tuple.Split(',');
            if (parts.Length is < 2 or > 3)
            {
                throw new FormatException($"'{tuple}' is not a position lon,lat[,alt].");
            }

            return new Coordinate(Number(parts[0]), Number(parts[1]));
        }).ToArray();
        return PolygonalGeometry.Factory.CreateLinearRing(positions);
    }

    private static double Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"'{text}' is not a finite number.");

    private static XElement? Child(XElement? parent, string localName) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static void WritePlacemark(XmlWriter xml, Zone zone)
    {
        xml.WriteStartElement("Placemark");
        xml.WriteElementString("name", TextRules.ForXml(zone.Name));
        xml.WriteElementString("description", TextRules.ForXml(zone.Notes));
        xml.WriteStartElement("ExtendedData");
        xml.WriteStartElement("SchemaData");
        xml.WriteAttributeString("schemaUrl", "#" + SchemaId);
        Data(xml, "zone_code", zone.Code);
        Data(xml, "category", Zee.Name(zone.Category));
        Data(xml, "subcategory", Zee.Name(zone.Subcategory));
        Data(xml, "uses", UsesText.Write(zone.Uses));
        Data(xml, "area_ha", Math.Round(zone.AreaHectares, 4).ToString("R", CultureInfo.InvariantCulture));
        Data(xml, "zone_id", zone.Id.ToString());
        xml.WriteEndElement();
        xml.WriteEndElement();

        if (zone.Geometry is Polygon polygon)
        {
            WritePolygon(xml, polygon);
        }
        else
        {
            xml.WriteStartElement("MultiGeometry");
            for (var i = 0; i < zone.Geometry.NumGeometries; i++)
            {
                WritePolygon(xml, (Polygon)zone.Geometry.GetGeometryN(i));
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Data(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("SimpleData");
        xml.WriteAttributeString("name", name);
        xml.WriteString(TextRules.ForXml(value));
        xml.WriteEndElement();
    }

    private static void WritePolygon(XmlWriter xml, Polygon polygon)
    {
        xml.WriteStartElement("Polygon");
        Boundary(xml, "outerBoundaryIs", polygon.Shell);
        foreach (var hole in polygon.Holes)
        {
            Boundary(xml, "innerBoundaryIs", hole);
        }

        xml.WriteEndElement();
    }

    private static void Boundary(XmlWriter xml, string element, LinearRing ring)
    {
        xml.WriteStartElement(element);
        xml.WriteStartElement("LinearRing");
        xml.WriteElementString("coordinates",
            string.Join(' ', ring.Coordinates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.X:R},{c.Y:R}"))));
        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}
