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
        var first = ZoneGeoJson.Read(DataFile("pomacanchi_zones.geojson"), _watershed).Zones;
        var version = Draft(first);

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
        var version = Draft(ZoneGeoJson.Read(DataFile("pomacanchi_zones.geojson"), _watershed).Zones);

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
    public void Bad_file_lists_every_faulty_feature_and_imports_nothing()
    {
        var import = ZoneGeoJson.Read(DataFile("bad_zones.geojson"), _watershed);

        Assert.Empty(import.Zones);
        Assert.Equal(
        [
            (1, FaultKind.MissingGeometry),
            (2, FaultKind.WrongGeometryType),
            (3, FaultKind.InvalidGeometry),
            (4, FaultKind.UnknownCategory),
            (5, FaultKind.BadUseRating),
            (6, FaultKind.SubcategoryNotInCategory),
            (7, FaultKind.MissingValue),
            (8, FaultKind.MalformedGeometry),
            (9, FaultKind.CoordinatesOutOfRange),
            (10, FaultKind.NotAFeature),
            (11, FaultKind.DuplicateZoneCode),
            (12, FaultKind.Overlap),
            (13, FaultKind.OutsideBoundary),
        ], import.Faults.Select(f => (f.FeatureIndex!.Value, f.Kind)));
    }

    [Fact]
    public void Faults_name_the_feature_and_say_what_is_wrong()
    {
        var faults = ZoneGeoJson.Read(DataFile("bad_zones.geojson"), _watershed).Faults.ToDictionary(f => f.FeatureIndex!.Value);

        Assert.Equal("feature 3 (BOWTIE): geometry: Self-intersection at lon -71.575000, lat -14.045000.", faults[3].ToString());
        Assert.Equal("uses[1].rating", faults[5].Field);
        Assert.Contains("'maybe'", faults[5].Message, StringComparison.Ordinal);
        Assert.Equal("Sin código", faults[7].FeatureLabel);
        Assert.Equal("zone_code", faults[7].Field);
        Assert.Contains("not closed", faults[8].Message, StringComparison.Ordinal);
        Assert.Contains("projected metres", faults[9].Message, StringComparison.Ordinal);
        Assert.Contains("feature 0", faults[11].Message, StringComparison.Ordinal);
        Assert.Contains("Overlaps feature 0: Zones OK-1 and OVL-1 overlap by", faults[12].Message, StringComparison.Ordinal);
        Assert.Contains("(50.0 %) outside the watershed boundary", faults[13].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"Feature","properties":{},"geometry":null}""", FaultKind.NotAFeatureCollection)]
    [InlineData("""[1, 2]""", FaultKind.NotAFeatureCollection)]
    [InlineData("""{"type":"FeatureCollection","features":[]}""", FaultKind.NoZones)]
    [InlineData("""{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32719"}},"features":[]}""", FaultKind.UnsupportedCrs)]
    [InlineData("""{"type":"FeatureCollection","features":[""", FaultKind.InvalidJson)]
    public void File_that_is_not_a_usable_FeatureCollection_gets_one_fault_for_the_whole_file(string json, FaultKind expected)
    {
        var fault = Assert.Single(ZoneGeoJson.Read(Encoding.UTF8.GetBytes(json), _watershed).Faults);

        Assert.Equal((null, expected), (fault.FeatureIndex, fault.Kind));
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

    private PlanVersion Draft(IReadOnlyList<Zone> zones)
    {
        var plan = Plan.Create(Guid.NewGuid(), _watershed, "Pomacanchi", new PlanHorizon(2026, 2036), [], Guid.NewGuid(), Now);
        plan.Latest.ReplaceZones(zones, _watershed);
        return plan.Latest;
    }

    internal static byte[] DataFile(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name));
}
