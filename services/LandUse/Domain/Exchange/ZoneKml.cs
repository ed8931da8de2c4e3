using System.Globalization;
using System.Text;
using System.Xml;
using NetTopologySuite.Geometries;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// A plan version as KML 2.2 for Google Earth and phones in the field: one Placemark per zone with its
/// name, a readable description, ExtendedData carrying the same properties as the GeoJSON export, and
/// its Polygon(s) with outer and inner boundaries. NTS's KMLWriter writes bare geometry only, so the
/// document is written here in full. Text goes through <see cref="TextRules.ForXml"/>, so a character stored before
/// the input rules refused it (a vertical tab in a name) is dropped instead of breaking the export.
/// </summary>
public static class ZoneKml
{
    public const string Namespace = "http://www.opengis.net/kml/2.2";

    public static byte[] Write(PlanVersion version, string documentName)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("kml", Namespace);
            xml.WriteStartElement("Document");
            xml.WriteElementString("name", TextRules.ForXml(documentName));
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

    private static void WritePlacemark(XmlWriter xml, Zone zone)
    {
        xml.WriteStartElement("Placemark");
        xml.WriteElementString("name", TextRules.ForXml(zone.Label));
        xml.WriteElementString("description", TextRules.ForXml(Describe(zone)));
        xml.WriteStartElement("ExtendedData");
        Data(xml, "zone_id", zone.Id.ToString());
        Data(xml, "zone_code", zone.Code);
        Data(xml, "name", zone.Name);
        Data(xml, "category", Zee.Name(zone.Category));
        Data(xml, "subcategory", Zee.Name(zone.Subcategory));
        Data(xml, "uses", string.Join("; ", zone.Uses.Select(u => $"{u.Use}: {Zee.Name(u.Rating)}")));
        Data(xml, "notes", zone.Notes);
        Data(xml, "area_ha", Math.Round(zone.AreaHectares, 4).ToString(CultureInfo.InvariantCulture));
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

    private static string Describe(Zone zone)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Zee.Name(zone.Category)} / {Zee.Name(zone.Subcategory)}, {zone.AreaHectares:0.##} ha.");
        foreach (var use in zone.Uses)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{use.Use}: {Zee.Name(use.Rating)}");
        }

        if (zone.Notes.Length > 0)
        {
            text.Append('\n').Append(zone.Notes);
        }

        return text.ToString();
    }

    private static void Data(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("Data");
        xml.WriteAttributeString("name", name);
        xml.WriteElementString("value", TextRules.ForXml(value));
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
