using System.Text.Json;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.V1;

namespace Watershed.Indicators.Tests.Api;

public sealed class ExportTests : PostgresApiTest
{
    [Fact]
    public async Task Dhis2_export_sends_mapped_figures_as_strings_and_ratios_as_their_parts()
    {
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        var mapping = new Dhis2Mapping
        {
            Elements =
            {
                new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "mean", DataElement = "FCSmean0001" },
                new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "n", DataElement = "FCShhN00001" },
                new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "percent:poor", DataElement = "FCSpoorPct1" },
                new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "weighted_count:poor", DataElement = "FCSpoorWc01", CategoryOptionCombo = "HllvX50cXC0" },
                new Dhis2ElementMapping { IndicatorCode = "FCS", Metric = "sum_weights", DataElement = "FCSsumW0001" },
            },
            // An area by its id, another by its code as a partner writes it.
            OrgUnits = { [S.Manzanares.Id] = "OuManzana01", ["Distrito"] = "OuDistrit01" },
        };
        await S.Facilitator.Aggregates.SetDhis2MappingAsync(new SetDhis2MappingRequest { WatershedId = S.Watershed.Id, Mapping = mapping });
        Assert.Equal(mapping, (await S.Viewer.Aggregates.GetDhis2MappingAsync(new GetDhis2MappingRequest { WatershedId = S.Watershed.Id })).Mapping);

        var export = await S.Viewer.Aggregates.ExportDhis2DataValueSetAsync(new ExportDhis2DataValueSetRequest
        {
            WatershedId = S.Watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4",
        });

        Assert.Equal(new[] { S.Watershed.Id, S.Conchacalla.Id }.Order(StringComparer.Ordinal), export.UnmappedAreaIds);
        Assert.Equal(export.UnmappedAreaIds.Select(id => id == S.Watershed.Id ? "pomacanchi" : "conchacalla"), export.UnmappedAreaCodes);
        using var json = JsonDocument.Parse(export.DataValueSetJson);
        var values = json.RootElement.GetProperty("dataValues").EnumerateArray().Select(v => (
            Element: v.GetProperty("dataElement").GetString(),
            Period: v.GetProperty("period").GetString(),
            OrgUnit: v.GetProperty("orgUnit").GetString(),
            Combo: v.TryGetProperty("categoryOptionCombo", out var c) ? c.GetString() : null,
            Value: v.GetProperty("value").GetString())).ToList();
        Assert.All(values, v => Assert.Equal("2025Q4", v.Period));
        // percent:poor goes as weighted_count:poor over sum_weights; the mean's numerator (sum) is not mapped, so the mean goes itself.
        Assert.DoesNotContain(values, v => v.Element == "FCSpoorPct1");
        var manzanares = values.Where(v => v.OrgUnit == "OuManzana01").ToDictionary(v => v.Element!, v => v.Value);
        Assert.Equal(new Dictionary<string, string?> { ["FCSmean0001"] = "26.6667", ["FCShhN00001"] = "3", ["FCSpoorWc01"] = "1", ["FCSsumW0001"] = "3" }, manzanares);
        Assert.Equal("HllvX50cXC0", values.First(v => v.Element == "FCSpoorWc01").Combo);
        Assert.Equal("4", values.Single(v => v.OrgUnit == "OuDistrit01" && v.Element == "FCShhN00001").Value);
    }

    [Fact]
    public async Task A_kobo_export_round_trips_through_import_and_export()
    {
        var original = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Demo", "2025Q4-manzanares.csv"));
        // The demo's survey is weighted: its round names the weight column and reads the rest as the default does.
        var round = (await S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = S.Watershed.Id, Name = "Línea de base", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = new V1.ColumnMapping { WeightColumn = "weight" },
        })).SurveyRound;
        var imported = await S.ImportAsync(round, original);
        Assert.Empty(imported.Errors);

        var exported = (await S.Facilitator.Surveys.ExportSubmissionsCsvAsync(new ExportSubmissionsCsvRequest { SurveyRoundId = round.Id })).Csv.ToStringUtf8();

        Assert.StartsWith("\"_uuid\";\"community_id\";\"household_id\";\"weight\";\"interview_date\";", exported, StringComparison.Ordinal);
        var before = KoboCsv.Read(new StringReader(original));
        var after = KoboCsv.Read(new StringReader(exported));
        Assert.Equal(before.Headers.Order(StringComparer.Ordinal), after.Headers.Order(StringComparer.Ordinal));
        Assert.Equal(before.Rows.Count, after.Rows.Count);
        foreach (var (a, b) in before.Rows.Zip(after.Rows))
        {
            Assert.Equal(a.Values.OrderBy(p => p.Key, StringComparer.Ordinal), b.Values.OrderBy(p => p.Key, StringComparer.Ordinal));
        }

        // The export is the same data in another column order: importing it again is recognised as a re-send.
        var again = await S.ImportAsync(round, exported);
        Assert.Equal((imported.AcceptedRows, 0, imported.AcceptedRows), (again.AcceptedRows, again.StoredRows, again.DuplicateRows));
    }

    [Fact]
    public async Task The_aggregates_csv_holds_the_api_figures_with_n()
    {
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));

        var csv = (await S.Viewer.Aggregates.ExportAggregatesCsvAsync(new ExportAggregatesCsvRequest
        {
            WatershedId = S.Watershed.Id, PeriodType = PeriodType.Quarter, FromPeriod = "2025Q4", ToPeriod = "2025Q4", IndicatorCodes = { "FCS" },
        })).Csv.ToStringUtf8();

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("indicator_code,area_id,period,metric,value,area_code,area_name", lines[0]);
        var figures = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => (f[1], f[3]), f => f[4]);
        // Every row names its area by id, code and name.
        Assert.Equal(
            new HashSet<(string, string, string)>
            {
                (S.Manzanares.Id, "manzanares", "Manzanares"), (S.Conchacalla.Id, "conchacalla", "Conchacalla"),
                (S.District.Id, "distrito", "Distrito de Pomacanchi"), (S.Watershed.Id, "pomacanchi", "Laguna de Pomacanchi"),
            },
            lines.Skip(1).Select(l => l.Split(',')).Select(f => (f[1], f[5], f[6])).ToHashSet());
        Assert.Equal("3", figures[(S.Manzanares.Id, "n")]);
        Assert.Equal("26.6667", figures[(S.Manzanares.Id, "mean")]);
        Assert.Equal("33", figures[(S.District.Id, "mean")]);
        Assert.Equal("25", figures[(S.Watershed.Id, "percent:poor")]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("FCS,", l, StringComparison.Ordinal));
    }
}
