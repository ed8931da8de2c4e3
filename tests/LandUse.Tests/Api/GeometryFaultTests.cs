using System.Text;
using Google.Protobuf;
using Google.Rpc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.IO;
using Watershed.LandUse.Data;
using Watershed.LandUse.Domain.Exchange;
using Watershed.LandUse.Domain.Spatial;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>
/// A geometry fault is named once, in the same words, by every RPC that takes a geometry (a zone, a boundary, a file's
/// feature); the faults of one feature come back in one fixed order; a boundary written [latitude, longitude] is named
/// as such when it is given, and one stored before that rule is blamed instead of the correct zones drawn in it.
/// </summary>
public sealed class GeometryFaultTests(LandUseBadInputFixture fixture) : IClassFixture<LandUseBadInputFixture>
{
    /// <summary>Each fault with words its description must hold.</summary>
    private static readonly Dictionary<string, (string Geometry, string Says)> Faults = new()
    {
        ["bowtie"] = ("""{"type":"Polygon","coordinates":[[[-71.60,-14.06],[-71.59,-14.05],[-71.59,-14.06],[-71.60,-14.05],[-71.60,-14.06]]]}""", "Self-intersection at lon -71.595000, lat -14.055000"),
        ["UTM metres"] = (Sample.Box(812_000, 8_455_000, 813_000, 8_456_000), "projected metres"),
        ["latitude beyond 90"] = (Sample.Box(-14.07, -100.61, -14.06, -100.60), "latitude and longitude look swapped"),
        ["open ring"] = ("""{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.60,-14.06],[-71.61,-14.06]]]}""", "not closed"),
        ["ring of three positions"] = ("""{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.61,-14.07]]]}""", "Too few points"),
        ["hole outside its shell"] = ("""{"type":"Polygon","coordinates":[[[-71.61,-14.07],[-71.60,-14.07],[-71.60,-14.06],[-71.61,-14.06],[-71.61,-14.07]],[[-71.59,-14.05],[-71.58,-14.05],[-71.58,-14.04],[-71.59,-14.05]]]}""", "Hole lies outside shell"),
        ["a point"] = ("""{"type":"Point","coordinates":[-71.6,-14.0]}""", "must be a Polygon or MultiPolygon, not Point"),
        ["a feature"] = ("""{"type":"Feature","properties":{},"geometry":null}""", "not a Feature"),
    };

    private static readonly string[] Rpcs = ["PutZone", "CreateWatershedUnit", "ChangeWatershedUnitBoundary", "ImportPlanVersionZones"];

    public static TheoryData<string, string> FaultsByRpc()
    {
        var data = new TheoryData<string, string>();
        foreach (var fault in Faults.Keys)
        {
            // A boundary may be given as a Feature (QGIS's export of a layer): that fault is a zone's only.
            foreach (var rpc in Rpcs.Where(r => fault != "a feature" || !r.Contains("WatershedUnit", StringComparison.Ordinal)))
            {
                data.Add(fault, rpc);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FaultsByRpc))]
    public async Task A_geometry_fault_is_named_once_in_the_same_words_by_every_rpc_that_takes_a_geometry(string fault, string rpc)
    {
        var (geometry, says) = Faults[fault];
        var expectedField = rpc switch
        {
            "PutZone" => "zone.geometry_geojson",
            "ImportPlanVersionZones" => "geojson.features[0].geometry",
            _ => "boundary_geojson",
        };
        var before = await fixture.App.SnapshotAsync();

        var badRequest = await GrpcStatusAssert.InvalidArgumentAsync(() => Call(rpc, geometry));

        var violation = Assert.Single(badRequest.FieldViolations);
        Assert.Equal(expectedField, violation.Field);
        Assert.Contains(says, violation.Description, StringComparison.Ordinal);
        // The words are the geometry reader's, whoever asked (the file prefixes the feature's zone_code).
        var (_, direct) = GeometryJson.Parse(geometry, "g");
        Assert.EndsWith(direct!.Description, violation.Description, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.App.SnapshotAsync());
    }

    [Fact]
    public async Task The_faults_of_one_feature_come_back_in_the_zones_field_order_whatever_the_order_of_its_properties()
    {
        // One feature with a fault in every attribute: the properties in the contract's order, then reversed.
        string[] properties =
        [
            "\"zone_code\":\"bad code!\"", "\"name\":\"Zona\\u000b1\"", "\"category\":\"agricola\"", "\"subcategory\":7",
            "\"uses\":[{\"rating\":\"recommended\"},{\"use\":\"pastoreo\",\"rating\":\"maybe\"}]", "\"notes\":[1]",
        ];
        const string bowtie = """{"type":"Polygon","coordinates":[[[-71.60,-14.06],[-71.59,-14.05],[-71.59,-14.06],[-71.60,-14.05],[-71.60,-14.06]]]}""";
        string[] expected =
        [
            "geojson.features[0].zone_code", "geojson.features[0].name", "geojson.features[0].category", "geojson.features[0].subcategory",
            "geojson.features[0].uses[0].use", "geojson.features[0].uses[1].rating", "geojson.features[0].notes", "geojson.features[0].geometry",
        ];

        foreach (var order in new[] { properties, properties.Reverse().ToArray() })
        {
            var file = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":" + bowtie
                + ",\"properties\":{" + string.Join(",", order) + "}}]}";
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var badRequest = await GrpcStatusAssert.InvalidArgumentAsync(() => fixture.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
                {
                    PlanVersionId = fixture.Draft.Id, Geojson = ByteString.CopyFromUtf8(file),
                }).ResponseAsync);
                Assert.Equal(expected, badRequest.FieldViolations.Select(v => v.Field));
            }
        }
    }

    [Fact]
    public async Task A_boundary_written_latitude_first_is_refused_when_given_naming_the_swap()
    {
        var admin = fixture.App.Watersheds(TestTokens.Admin());
        // Pomacanchi's sample boundary with each position written [latitude, longitude].
        var swapped = Sample.Box(-14.08, -71.62, -13.98, -71.52);
        var before = await fixture.App.SnapshotAsync();

        var created = await GrpcStatusAssert.InvalidArgumentAsync(() => admin.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "swapped", Name = "Cuenca al revés", BoundaryGeojson = swapped,
        }).ResponseAsync);
        var changed = await GrpcStatusAssert.InvalidArgumentAsync(() => fixture.Watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
        {
            WatershedUnitId = fixture.Watershed.Id, BoundaryGeojson = swapped,
        }).ResponseAsync);

        foreach (var badRequest in new[] { created, changed })
        {
            var violation = Assert.Single(badRequest.FieldViolations);
            Assert.Equal("boundary_geojson", violation.Field);
            Assert.Contains("Southern Ocean", violation.Description, StringComparison.Ordinal);
            Assert.Contains("inside Peru with latitude and longitude exchanged", violation.Description, StringComparison.Ordinal);
        }

        // Elsewhere on Earth (Madrid) is outside Peru without being a swap.
        var madrid = await GrpcStatusAssert.InvalidArgumentAsync(() => admin.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "madrid", Name = "Manzanares", BoundaryGeojson = Sample.Box(-3.8, 40.3, -3.6, 40.5),
        }).ResponseAsync, "boundary_geojson");
        Assert.Contains("outside Peru", madrid.FieldViolations[0].Description, StringComparison.Ordinal);
        Assert.DoesNotContain("exchanged", madrid.FieldViolations[0].Description, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.App.SnapshotAsync());

        // A basin shared with Bolivia (Titicaca, reaching lon -68.1) reaches Peru and is accepted.
        var titicaca = await admin.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "titicaca", Name = "Cuenca del Titicaca", BoundaryGeojson = Sample.Box(-70.9, -16.9, -68.1, -14.5),
        });
        Assert.Equal("titicaca", titicaca.WatershedUnit.Code);
    }

    [Fact]
    public async Task Correct_zones_in_a_boundary_stored_latitude_first_blame_the_boundary_not_the_zone()
    {
        var admin = fixture.App.Watersheds(TestTokens.Admin());
        var unit = (await admin.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "legacy", Name = "Cuenca guardada al revés", BoundaryGeojson = Sample.Boundary,
        })).WatershedUnit;
        // As a boundary stored before boundaries had to reach Peru.
        var swapped = new WKBWriter().Write(Axes.Swapped(GeometryJson.Parse(Sample.Boundary, "b").Geometry!));
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LandUseDbContext>();
            await db.Database.ExecuteSqlAsync($"UPDATE watershed_units SET \"Boundary\" = {swapped} WHERE \"Id\" = {Guid.Parse(unit.Id)}");
        }

        var plans = fixture.App.Plans(TestTokens.Facilitator("legacy"));
        var draft = (await plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = unit.Id, Title = "Plan", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2030 },
        })).FirstVersion;
        var refused = await GrpcStatusAssert.InvalidArgumentAsync(() => plans.PutZoneAsync(new PutZoneRequest
        {
            PlanVersionId = draft.Id, Zone = Sample.Zone("PAS-1", Sample.Box(-71.61, -14.07, -71.60, -14.06)),
        }).ResponseAsync, "zone.geometry_geojson");

        var description = Assert.Single(refused.FieldViolations).Description;
        Assert.StartsWith("Zone PAS-1 has ", description, StringComparison.Ordinal);
        Assert.Contains("The watershed's boundary is the one at fault", description, StringComparison.Ordinal);
        Assert.DoesNotContain("It would fall inside with latitude and longitude exchanged", description, StringComparison.Ordinal);
    }

    private Task Call(string rpc, string geometry) => rpc switch
    {
        "PutZone" => fixture.Plans.PutZoneAsync(new PutZoneRequest { PlanVersionId = fixture.Draft.Id, Zone = Sample.Zone("NEW-1", geometry) }).ResponseAsync,
        "CreateWatershedUnit" => fixture.App.Watersheds(TestTokens.Admin()).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "nueva", Name = "Cuenca nueva", BoundaryGeojson = geometry,
        }).ResponseAsync,
        "ChangeWatershedUnitBoundary" => fixture.Watersheds.ChangeWatershedUnitBoundaryAsync(new ChangeWatershedUnitBoundaryRequest
        {
            WatershedUnitId = fixture.Watershed.Id, BoundaryGeojson = geometry,
        }).ResponseAsync,
        _ => fixture.Plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
        {
            PlanVersionId = fixture.Draft.Id,
            Geojson = ByteString.CopyFrom(Encoding.UTF8.GetBytes($$"""
                {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_code":"NEW-1","category":"productive",
                "subcategory":"pasture"},"geometry":{{geometry}}}]}
                """)),
        }).ResponseAsync,
    };
}
