using System.Text;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

public sealed class ZoneGeoJsonTests
{
    private readonly WatershedUnit _watershed = Pomacanchi();

    [Fact]
    public void Valid_file_imports_every_zone_with_its_properties()
    {
        var import = ZoneGeoJson.Read(DataFile("pomacanchi_zones.geojson"), _watershed);

        Assert.True(import.Succeeded, string.Join("\n", import.Faults));
        Assert.Equal(["PROD-AGR-01", "REC-01", "PROT-HUM-01", "PROT-CAB-01"], import.Zones.Select(z => z.Code));
        var farmland = import.Zones[0];
        Assert.Equal(("Chacras de Pomacanchi", ZeeCategory.Productive, ZeeSubcategory.Agriculture),
            (farmland.Name, farmland.Category, farmland.Subcategory));
        Assert.Equal(new AllowedUse("minería", UseRating.NotRecommended), farmland.Uses[2]);
        // GeographicLib: 1,000,320.1504 m² (see GeodesicAreaTests).
        Assert.Equal(100.0320, farmland.AreaHectares, 3);
        Assert.True(Orientation.IsCCW(((Polygon)farmland.Geometry).Shell.CoordinateSequence));
        Assert.IsType<MultiPolygon>(import.Zones[3].Geometry);
        Assert.Equal("", import.Zones[2].Notes);
    }

    [Fact]
    public void Import_export_import_gives_the_same_zones_and_areas()
    {
        var version = Draft("pomacanchi_zones.geojson");
        var first = version.Zones;

        var second = ZoneGeoJson.Read(ZoneGeoJson.Write(version), _watershed);

        Assert.True(second.Succeeded, string.Join("\n", second.Faults));
        Assert.Equal(first.Count, second.Zones.Count);
        foreach (var (before, after) in first.Zip(second.Zones))
        {
            Assert.Equal(
                (before.Code, before.Name, before.Category, before.Subcategory, before.Notes),
                (after.Code, after.Name, after.Category, after.Subcategory, after.Notes));
            Assert.Equal(before.Uses, after.Uses);
            Assert.Equal(before.AreaHectares, after.AreaHectares, 9);
            Assert.True(before.Geometry.EqualsExact(after.Geometry), $"{before.Code} geometry changed in the round trip.");
        }
    }

    [Fact]
    public void Export_carries_zone_id_code_category_uses_and_area_per_feature()
    {
        var version = Draft("pomacanchi_zones.geojson");

        using var json = JsonDocument.Parse(ZoneGeoJson.Write(version));

        var feature = json.RootElement.GetProperty("features")[0];
        var properties = feature.GetProperty("properties");
        Assert.Equal("PROD-AGR-01", feature.GetProperty("id").GetString());
        Assert.Equal(version.Zones[0].Id, properties.GetProperty("zone_id").GetGuid());
        Assert.Equal("productive", properties.GetProperty("category").GetString());
        Assert.Equal("recommended_with_restrictions", properties.GetProperty("uses")[1].GetProperty("rating").GetString());
        Assert.Equal(100.032, properties.GetProperty("area_ha").GetDouble(), 3);
        Assert.False(json.RootElement.TryGetProperty("crs", out _));
    }

    [Fact]
    public void Bad_file_lists_every_faulty_feature_by_its_path_and_imports_nothing()
    {
        var import = ZoneGeoJson.Read(DataFile("bad_zones.geojson"), _watershed);

        Assert.Empty(import.Zones);
        Assert.Equal(
        [
            ("features[1].geometry", "NOGEOM: The feature has no geometry."),
            ("features[2].geometry", "POINT: A zone or boundary must be a Polygon or MultiPolygon, not Point."),
            ("features[3].geometry", "BOWTIE: Self-intersection at lon -71.575000, lat -14.045000."),
            ("features[4].category", "CAT: Unknown category 'agricola'; expected one of productive, protection_and_conservation, special_treatment, recovery, urban_industrial (in Spanish productiva, proteccion_y_conservacion, tratamiento_especial, recuperacion, urbano_industrial)."),
            ("features[5].uses[1].rating", "RATING: Rating 'maybe' is not one of recommended, recommended_with_restrictions, not_recommended (in Spanish recomendable, recomendable_con_restricciones, no_recomendable)."),
            ("features[6].subcategory", "MISMATCH: Subcategory headwaters belongs to protection_and_conservation, not to productive."),
            ("features[7].zone_code", "Sin código: Missing property zone_code (or codigo)."),
            ("features[8].geometry", "OPEN: A ring is not closed: its last position must repeat the first."),
            ("features[9].geometry", "UTM: Position [812000, 8455000] looks like projected metres (for example UTM easting/northing), not degrees. GeoJSON must be WGS84 longitude/latitude (EPSG:4326): reproject the layer before export."),
            ("features[10].type", "Not a GeoJSON Feature (an object with \"type\": \"Feature\")."),
            ("features[11].zone_code", "OK-1: zone_code OK-1 is already used by feature 0; it must be unique in a version."),
        ], import.Faults.Take(11).Select(f => (f.Field, f.Description)));
        Assert.Equal(["features[12].geometry", "features[13].geometry"], import.Faults.Skip(11).Select(f => f.Field));
        Assert.StartsWith("OVL-1: Overlaps feature 0: Zones OK-1 and OVL-1 overlap by", import.Faults[11].Description, StringComparison.Ordinal);
        Assert.EndsWith("(50.0 %) outside the watershed boundary.", import.Faults[12].Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"Feature","properties":{},"geometry":null}""", "Expected a GeoJSON FeatureCollection, found Feature.")]
    [InlineData("""[1, 2]""", "Expected a GeoJSON FeatureCollection, found Array.")]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", "The layer has no features.")]
    [InlineData("""{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32719"}},"features":[]}""", "The file declares CRS urn:ogc:def:crs:EPSG::32719;")]
    [InlineData("""{"type":"FeatureCollection","features":[""", "The file is not JSON:")]
    public void File_that_is_not_a_usable_FeatureCollection_gets_one_fault_for_the_whole_file(string json, string description)
    {
        var fault = Assert.Single(ZoneGeoJson.Read(Encoding.UTF8.GetBytes(json), _watershed).Faults);

        Assert.Equal("", fault.Field);
        Assert.StartsWith(description, fault.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_WGS84_CRS_is_accepted()
    {
        var json = """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},
             "features":[{"type":"Feature","properties":{"zone_code":7,"category":"recovery","subcategory":"degraded_land"},
               "geometry":{"type":"Polygon","coordinates":[[[-71.6,-14.05],[-71.59,-14.05],[-71.59,-14.04],[-71.6,-14.05]]]}}]}
            """;

        var import = ZoneGeoJson.Read(Encoding.UTF8.GetBytes(json), _watershed);

        Assert.True(import.Succeeded, string.Join("\n", import.Faults));
        Assert.Equal("7", Assert.Single(import.Zones).Code);
    }

    private PlanVersion Draft(string file)
    {
        var plan = Plan.Create(Guid.NewGuid(), _watershed, "Pomacanchi", new PlanHorizon(2026, 2036), [], Guid.NewGuid(), Now);
        plan.Latest.ImportZones(DataFile(file), _watershed);
        return plan.Latest;
    }

    internal static byte[] DataFile(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name));
}
