using System.Globalization;
using System.Xml.Linq;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.Domain.Spatial;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

public sealed class ZoneKmlTests
{
    private static readonly XNamespace Kml = ZoneKml.Namespace;
    private readonly PlanVersion _version;

    public ZoneKmlTests()
    {
        var watershed = Pomacanchi();
        var plan = Plan.Create(Guid.NewGuid(), watershed, "Pomacanchi", new PlanHorizon(2026, 2036), [], Guid.NewGuid(), Now);
        plan.Latest.ImportZones(ZoneGeoJsonTests.DataFile("pomacanchi_zones.geojson"), watershed);
        _version = plan.Latest;
    }

    [Fact]
    public void Export_is_well_formed_KML_with_one_placemark_per_zone()
    {
        var kml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(ZoneKml.Write(_version, "Pomacanchi v1 & <draft>")));

        Assert.Equal(Kml + "kml", kml.Root!.Name);
        Assert.Equal("Pomacanchi v1 & <draft>", kml.Root.Element(Kml + "Document")!.Element(Kml + "name")!.Value);
        var placemarks = kml.Descendants(Kml + "Placemark").ToList();
        Assert.Equal(_version.Zones.Count, placemarks.Count);
        Assert.Equal(["Chacras de Pomacanchi", "Laderas degradadas", "Bofedal", "Cabeceras"], placemarks.Select(p => p.Element(Kml + "name")!.Value));
    }

    [Fact]
    public void Placemark_carries_name_and_notes_in_kmls_own_elements_and_the_rest_as_typed_schema_data()
    {
        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(ZoneKml.Write(_version, "v1")));
        var schema = document.Descendants(Kml + "Schema").Single();
        Assert.Equal("zone", (string?)schema.Attribute("id"));
        Assert.Equal(
            [("zone_code", "string"), ("category", "string"), ("subcategory", "string"), ("uses", "string"), ("area_ha", "double"), ("zone_id", "string")],
            schema.Elements(Kml + "SimpleField").Select(f => ((string)f.Attribute("name")!, (string)f.Attribute("type")!)));

        var placemark = Placemarks().First();
        Assert.Equal(("Chacras de Pomacanchi", "Exterior ring drawn clockwise on purpose."),
            (placemark.Element(Kml + "name")!.Value, placemark.Element(Kml + "description")!.Value));
        Assert.Empty(placemark.Descendants(Kml + "Data"));
        var schemaData = placemark.Descendants(Kml + "SchemaData").Single();
        Assert.Equal("#zone", (string?)schemaData.Attribute("schemaUrl"));
        var data = schemaData.Elements(Kml + "SimpleData").ToDictionary(d => d.Attribute("name")!.Value, d => d.Value);
        Assert.DoesNotContain("name", data.Keys);
        Assert.DoesNotContain("notes", data.Keys);
        Assert.Equal(_version.Zones[0].Id.ToString(), data["zone_id"]);
        Assert.Equal(("PROD-AGR-01", "productive", "agriculture"), (data["zone_code"], data["category"], data["subcategory"]));
        Assert.Equal("papa y cebada: recommended; pastoreo: recommended_with_restrictions; minería: not_recommended", data["uses"]);
        Assert.Equal(100.032, double.Parse(data["area_ha"], CultureInfo.InvariantCulture), 3);
    }

    [Fact]
    public void Polygon_with_a_hole_has_a_counter_clockwise_outer_and_an_inner_boundary()
    {
        var polygon = Placemarks().Single(p => p.Element(Kml + "name")!.Value == "Bofedal")
            .Element(Kml + "Polygon")!;

        var outer = Ring(polygon.Element(Kml + "outerBoundaryIs")!);
        var inner = Ring(Assert.Single(polygon.Elements(Kml + "innerBoundaryIs")));

        Assert.True(Orientation.IsCCW(outer));
        Assert.Equal(_version.Zones[2].AreaHectares,
            GeodesicArea.Hectares(PolygonalGeometry.Factory.CreatePolygon(
                PolygonalGeometry.Factory.CreateLinearRing(outer), [PolygonalGeometry.Factory.CreateLinearRing(inner)])), 9);
    }

    [Fact]
    public void Multipolygon_zone_becomes_a_multigeometry_of_polygons()
    {
        var placemark = Placemarks().Single(p => p.Element(Kml + "name")!.Value == "Cabeceras");

        Assert.Equal(2, placemark.Element(Kml + "MultiGeometry")!.Elements(Kml + "Polygon").Count());
    }

    private List<XElement> Placemarks() =>
        [.. XDocument.Parse(System.Text.Encoding.UTF8.GetString(ZoneKml.Write(_version, "v1"))).Descendants(Kml + "Placemark")];

    private static Coordinate[] Ring(XElement boundary) =>
    [
        .. boundary.Element(Kml + "LinearRing")!.Element(Kml + "coordinates")!.Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(','))
            .Select(p => new Coordinate(double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture))),
    ];
}
