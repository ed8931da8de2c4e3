using System.Text.Json;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.Domain.Standard;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Tests.Domain;

public sealed class ExportTests
{
    private static readonly IndicatorAggregate FcsC1 = new(
        "FCS", "c1", Period.Parse("2026Q1"), 3, 1, 4.5m, 135m, 30m,
        [new CategoryShare("acceptable", 1, 1.5m, 100m / 3m), new CategoryShare("borderline", 1, 1.5m, 100m / 3m), new CategoryShare("poor", 1, 1.5m, 100m / 3m)]);

    private static readonly Dhis2Mapping Mapping = new(
        [
            new Dhis2ElementMapping("FCS", "mean", "FcsMean0001"),
            new Dhis2ElementMapping("FCS", "percent:poor", "FcsPoorPct1"),
            new Dhis2ElementMapping("FCS", "weighted_count:poor", "FcsPoorNum1", "CatOptCmb01"),
            new Dhis2ElementMapping("FCS", "sum_weights", "FcsDenom001"),
            new Dhis2ElementMapping("FCS", "n", "FcsHhCount1"),
        ],
        new Dictionary<string, string> { ["c1"] = "OrgUnitC001" });

    [Fact]
    public void Dhis2_document_has_data_values_with_string_values_in_invariant_culture()
    {
        var json = Dhis2Export.Build([FcsC1], Mapping).DataValueSet.ToJson();

        using var document = JsonDocument.Parse(json);
        var values = document.RootElement.GetProperty("dataValues").EnumerateArray().ToList();
        var byElement = values.ToDictionary(v => v.GetProperty("dataElement").GetString()!);
        Assert.All(values, v =>
        {
            Assert.Equal("2026Q1", v.GetProperty("period").GetString());
            Assert.Equal("OrgUnitC001", v.GetProperty("orgUnit").GetString());
            Assert.Equal(JsonValueKind.String, v.GetProperty("value").ValueKind);
        });
        Assert.Equal("30", byElement["FcsMean0001"].GetProperty("value").GetString());
        Assert.Equal("1.5", byElement["FcsPoorNum1"].GetProperty("value").GetString());
        Assert.Equal("CatOptCmb01", byElement["FcsPoorNum1"].GetProperty("categoryOptionCombo").GetString());
        Assert.False(byElement["FcsDenom001"].TryGetProperty("categoryOptionCombo", out _));
        Assert.Equal("4.5", byElement["FcsDenom001"].GetProperty("value").GetString());
        Assert.Equal("3", byElement["FcsHhCount1"].GetProperty("value").GetString());
    }

    [Fact]
    public void Percentage_is_sent_as_numerator_and_denominator_when_both_are_mapped()
    {
        var elements = Dhis2Export.Build([FcsC1], Mapping).DataValueSet.DataValues.Select(v => v.DataElement).ToList();

        Assert.DoesNotContain("FcsPoorPct1", elements);
        Assert.Contains("FcsPoorNum1", elements);
    }

    [Fact]
    public void Percentage_is_sent_rounded_to_four_decimals_when_its_parts_are_not_mapped()
    {
        var mapping = Mapping with { Elements = [new Dhis2ElementMapping("FCS", "percent:poor", "FcsPoorPct1")] };

        var value = Assert.Single(Dhis2Export.Build([FcsC1], mapping).DataValueSet.DataValues);

        // 100 / 3 = 33.3333…
        Assert.Equal("33.3333", value.Value);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1bcdefghijk")]
    [InlineData("abcdefghij-")]
    [InlineData("abcdefghijkl")]
    public void Invalid_dhis2_uid_is_rejected(string uid)
    {
        var mapping = Mapping with { Elements = [new Dhis2ElementMapping("FCS", "mean", uid)] };

        Assert.Equal("elements[0].data_element", Assert.Single(mapping.Validate()).Field);
        Assert.Throws<ArgumentException>(() => Dhis2Export.Build([FcsC1], mapping));
    }

    [Fact]
    public void Unknown_metric_and_bad_org_unit_are_rejected()
    {
        var mapping = new Dhis2Mapping([new Dhis2ElementMapping("FCS", "median", "FcsMean0001")], new Dictionary<string, string> { ["c1"] = "x" });

        Assert.Equal(["elements[0].metric", "org_units[c1]"], mapping.Validate().Select(e => e.Field));
    }

    [Fact]
    public void A_mapping_naming_what_the_watershed_lacks_is_refused_element_by_element()
    {
        var mapping = new Dhis2Mapping(
            [new Dhis2ElementMapping("NOPE", "mean", "FcsMean0001"), new Dhis2ElementMapping("FCS", "percent:rich", "FcsPoorPct1"), new Dhis2ElementMapping("FCS", "n", "FcsHhCount1")],
            new Dictionary<string, string> { ["c1"] = "OuManzana01", ["elsewhere"] = "OuElsewh001", ["manzanares"] = "OuManzana02" });
        // The watershed's areas by id or code: c1 is Manzanares.
        var areas = new Dictionary<string, string> { ["c1"] = "c1", ["manzanares"] = "c1", ["d"] = "d" };

        Assert.Equal(["elements[0].indicator_code", "elements[1].metric", "org_units[elsewhere]", "org_units[manzanares]"],
            mapping.ValidateIn([FoodConsumptionScore.Info], key => areas.GetValueOrDefault(key)).Select(e => e.Field));
    }

    [Fact]
    public void A_mapping_may_name_an_area_by_its_code()
    {
        var mapping = Mapping with { OrgUnits = new Dictionary<string, string> { ["manzanares"] = "OuManzana01" } };

        var export = Dhis2Export.Build([FcsC1], mapping, key => key == "manzanares" ? "c1" : null);

        Assert.All(export.DataValueSet.DataValues, v => Assert.Equal("OuManzana01", v.OrgUnit));
        Assert.NotEmpty(export.DataValueSet.DataValues);
        Assert.Empty(export.UnmappedAreas);
    }

    [Fact]
    public void An_export_needs_a_mapping_with_data_elements()
    {
        var watershed = Guid.CreateVersion7();

        Assert.Same(Mapping, Dhis2Export.RequireMapping(Mapping, watershed));
        Assert.Equal(("DHIS2_MAPPING", watershed.ToString()), Refused(null));
        Assert.Equal(("DHIS2_MAPPING", watershed.ToString()), Refused(new Dhis2Mapping([], new Dictionary<string, string>())));

        (string, string) Refused(Dhis2Mapping? mapping)
        {
            var refused = Assert.Throws<PreconditionFailedException>(() => Dhis2Export.RequireMapping(mapping, watershed));
            return (refused.Type, refused.Subject);
        }
    }

    [Fact]
    public void A_watersheds_mapping_is_replaced_whole_and_only_by_a_valid_one()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var stored = WatershedDhis2Mapping.Create(Guid.CreateVersion7(), Mapping, start);
        var invalid = Mapping with { Elements = [new Dhis2ElementMapping("", "mean", "FcsMean0001")] };

        var refused = Assert.Throws<InvalidArgumentException>(() => stored.Replace(invalid, start.AddDays(1)));
        Assert.Equal(["elements[0].indicator_code"], refused.Violations.Select(v => v.Field));
        Assert.Equal((Mapping, start), (stored.Mapping, stored.UpdatedAt));
        var smaller = Mapping with { Elements = [Mapping.Elements[0]] };
        stored.Replace(smaller, start.AddDays(2));
        Assert.Equal((smaller, start.AddDays(2)), (stored.Mapping, stored.UpdatedAt));
    }

    [Fact]
    public void Areas_without_an_org_unit_are_left_out_and_listed()
    {
        var export = Dhis2Export.Build([FcsC1 with { AreaId = "c9" }], Mapping);

        Assert.Empty(export.DataValueSet.DataValues);
        Assert.Equal(["c9"], export.UnmappedAreas);
    }

    [Fact]
    public void Aggregate_csv_has_one_figure_per_row_with_n_first()
    {
        var writer = new StringWriter();

        AggregateCsv.Write(writer, [FcsC1], _ => ("manzanares", "Manzanares, anexo Ccayahuire"));
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("indicator_code,area_id,period,metric,value,area_code,area_name", lines[0]);
        Assert.Equal("FCS,c1,2026Q1,n,3,manzanares,\"Manzanares, anexo Ccayahuire\"", lines[1]);
        Assert.Equal("FCS,c1,2026Q1,n_missing,1,manzanares,\"Manzanares, anexo Ccayahuire\"", lines[2]);
        Assert.Contains("FCS,c1,2026Q1,mean,30,manzanares,\"Manzanares, anexo Ccayahuire\"", lines);
        Assert.Contains("FCS,c1,2026Q1,percent:poor,33.3333,manzanares,\"Manzanares, anexo Ccayahuire\"", lines);
        Assert.Equal(1 + 5 + (3 * 3), lines.Length);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("n_missing")]
    [InlineData("percent:poor")]
    [InlineData("weighted_count:borderline")]
    public void Metric_names_parse_and_format_back(string text) =>
        Assert.Equal(text, AggregateMetric.Parse(text).ToString());

    [Theory]
    [InlineData("percent")]
    [InlineData("mean:poor")]
    [InlineData("median")]
    public void Malformed_metric_names_are_refused(string text) =>
        Assert.False(AggregateMetric.TryParse(text, out _));
}
