using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.Domain.Spatial;
using static Watershed.LandUse.Tests.Domain.Geo;

namespace Watershed.LandUse.Tests.Domain;

/// <summary>The domain's own rules on hostile content: text, echoes, vertex and zone counts, files that are not text.</summary>
public sealed class HostileContentTests
{
    [Theory]
    [InlineData("Plan\0", false, false)]
    [InlineData("Plan\tPomacanchi", false, true)]
    [InlineData("Línea 1\r\nLínea 2", false, true)]
    [InlineData("Plan\vPomacanchi", false, false)]
    [InlineData("Plan\u001bPomacanchi", false, false)]
    [InlineData("Plan\u0085Pomacanchi", false, false)]
    [InlineData("Plan 🌊 de Pomacanchi", true, true)]
    public void One_line_text_refuses_every_control_character_and_notes_allow_only_line_breaks_and_tabs(string text, bool oneLine, bool notes)
    {
        Assert.Equal(oneLine, TextRules.IsOneLine(text));
        Assert.Equal(notes, TextRules.IsNotes(text));
    }

    [Fact]
    public void A_lone_surrogate_is_not_text()
    {
        var lone = "Plan " + (char)0xD800;
        Assert.False(TextRules.IsOneLine(lone));
        Assert.False(TextRules.IsNotes(lone));
    }

    [Fact]
    public void Echo_shows_at_most_forty_characters_and_writes_control_characters_as_escapes()
    {
        Assert.Equal("a\\u0000b\\u000Bc", TextRules.Echo("a\0b\vc"));
        Assert.Equal(new string('x', 40) + "… (1048576 characters)", TextRules.Echo(new string('x', 1 << 20)));
        Assert.Equal("\\uD800", TextRules.Echo("\ud800"));
    }

    [Fact]
    public void Xml_text_drops_what_xml_cannot_carry_and_json_text_drops_lone_surrogates()
    {
        Assert.Equal("ab\tc\nd\re🌊", TextRules.ForXml("a\0b\tc\nd\re\v\u001b\ufffe\ud800🌊"));
        Assert.Equal("a\0b\vc🌊", TextRules.ForJson("a\0b\vc\udc00🌊"));
        const string clean = "Bofedal de Pomacanchi";
        Assert.Same(clean, TextRules.ForXml(clean));
    }

    [Fact]
    public void A_plan_refuses_control_characters_in_its_title_and_goals()
    {
        var ex = Assert.Throws<Watershed.ServiceDefaults.Errors.InvalidArgumentException>(() =>
            Plan.Create(Guid.NewGuid(), Pomacanchi(), "Plan\0", new PlanHorizon(2027, 2036), ["Agua", "Suelo\vfértil"], Guid.NewGuid(), Now));
        Assert.Equal(["title", "goals[1]"], ex.Violations.Select(v => v.Field));
    }

    [Fact]
    public void A_geometry_with_more_than_the_vertex_limit_is_refused_before_it_is_checked()
    {
        var ring = Enumerable.Range(0, PolygonalGeometry.MaxVertices + 1)
            .Select(i => (Lon: -71.60 + (0.01 * Math.Cos(2 * Math.PI * i / (PolygonalGeometry.MaxVertices + 1))), Lat: -14.0 + (0.01 * Math.Sin(2 * Math.PI * i / (PolygonalGeometry.MaxVertices + 1)))))
            .ToArray();
        var fault = PolygonalGeometry.Check(Polygon(ring), "geometry");
        Assert.NotNull(fault);
        Assert.StartsWith("The geometry has 100002 vertices; at most 100000", fault.Description, StringComparison.Ordinal);
        Assert.Null(PolygonalGeometry.Check(Polygon(ring[..^2]), "geometry"));
    }

    [Fact]
    public void A_file_that_is_not_utf8_or_holds_an_escaped_lone_surrogate_is_refused_as_a_whole()
    {
        var latin1 = Encoding.Latin1.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Año"}}]}""");
        var notUtf8 = ZoneGeoJson.Read(latin1, Pomacanchi());
        Assert.Equal([("", "The file is not UTF-8 text: GeoJSON is UTF-8 (RFC 7946); save it again as UTF-8.")], notUtf8.Faults.Select(f => (f.Field, f.Description)));

        var surrogate = ZoneGeoJson.Read(Encoding.UTF8.GetBytes("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A\ud800"}}]}"""), Pomacanchi());
        Assert.Equal([("", "$.features[0].properties.name is not text: it holds an escaped lone surrogate (such as \\ud800).")],
            surrogate.Faults.Select(f => (f.Field, f.Description)));
    }

    [Fact]
    public void A_faulty_feature_is_named_by_at_most_forty_characters_of_its_label()
    {
        var label = new string('z', 5000);
        var file = $$"""{"type":"FeatureCollection","features":[{"type":"Feature","id":"{{label}}","properties":{"zone_code":"Z-1","category":"productive","subcategory":"pasture"},"geometry":null}]}""";
        var fault = Assert.Single(ZoneGeoJson.Read(Encoding.UTF8.GetBytes(file), Pomacanchi()).Faults);
        Assert.Equal(("features[0].geometry", new string('z', 40) + "… (5000 characters): The feature has no geometry."), (fault.Field, fault.Description));
    }

    [Fact]
    public void A_version_holds_at_most_the_zone_limit()
    {
        var watershed = Pomacanchi();
        var plan = Plan.Create(Guid.NewGuid(), watershed, "Pomacanchi", new PlanHorizon(2027, 2036), [], Guid.NewGuid(), Now);
        // 5000 cells of 0.0008° (about 90 m) in a 50 × 100 grid inside the boundary.
        var features = Enumerable.Range(0, PlanVersion.MaxZones).Select(i =>
        {
            var (west, south) = (-71.615 + (0.0009 * (i % 50)), -14.075 + (0.0009 * (i / 50)));
            var box = string.Create(CultureInfo.InvariantCulture,
                $"[[[{west},{south}],[{west + 0.0008},{south}],[{west + 0.0008},{south + 0.0008}],[{west},{south + 0.0008}],[{west},{south}]]]");
            return $$"""{"type":"Feature","properties":{"zone_code":"Z-{{i}}","category":"productive","subcategory":"pasture"},"geometry":{"type":"Polygon","coordinates":""" + box + "}}";
        });
        Assert.Equal(PlanVersion.MaxZones, plan.Latest.ImportZones(Encoding.UTF8.GetBytes($$"""{"type":"FeatureCollection","features":[{{string.Join(',', features)}}]}"""), watershed).Zones.Count);

        var extra = Content("Z-EXTRA", Box(-71.55, -14.0, -71.549, -13.999));
        var ex = Assert.Throws<PlanRuleException>(() => plan.Latest.PutZone(Guid.NewGuid(), extra, watershed));
        Assert.Equal("ZONE_LIMIT", ex.Type);
        // Replacing a zone keeps the count: allowed at the limit.
        Assert.Equal("Z-0", plan.Latest.PutZone(Guid.NewGuid(), extra with { Code = "Z-0" }, watershed).Code);
    }
}
