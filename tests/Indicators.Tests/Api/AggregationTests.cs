using Watershed.Indicators.V1;

namespace Watershed.Indicators.Tests.Api;

/// <summary>Figures checked against hand computation (see <see cref="Households"/>).</summary>
public sealed class AggregationTests : PostgresApiTest
{
    private Task<GetAggregateResponse> GetAsync(Area area, string period) =>
        S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = area.Id, Period = period }).ResponseAsync;

    private static CategoryShare Share(Aggregate a, string category) => a.Distribution.Single(c => c.Category == category);

    [Fact]
    public async Task Unweighted_means_and_shares_come_with_n_per_community_and_district()
    {
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));

        var community = (await GetAsync(S.Manzanares, "2025Q4")).Aggregate;
        Assert.Equal((3, 0, 3.0), (community.N, community.NMissing, community.SumOfWeights));
        Assert.Equal(80.0 / 3, community.Mean, 9);
        Assert.Equal(80.0, community.WeightedSum, 9);
        Assert.Equal((1, 100.0 / 3), (Share(community, "poor").N, Share(community, "poor").Percent));
        Assert.Equal((1, 100.0 / 3), (Share(community, "borderline").N, Share(community, "borderline").Percent));
        Assert.Equal(1, Share(community, "acceptable").N);

        // The district's figure comes from its households (14, 39, 27, 52), not from its communities' means.
        var district = (await GetAsync(S.District, "2025Q4")).Aggregate;
        Assert.Equal(4, district.N);
        Assert.Equal(33.0, district.Mean, 9);
        Assert.Equal((25.0, 25.0, 50.0), (Share(district, "poor").Percent, Share(district, "borderline").Percent, Share(district, "acceptable").Percent));

        var monthly = (await GetAsync(S.Watershed, "202511")).Aggregate;
        Assert.Equal((4, 33.0), (monthly.N, monthly.Mean));
        var empty = (await GetAsync(S.Manzanares, "2025Q3")).Aggregate;
        Assert.Equal(0, empty.N);
        Assert.False(empty.HasMean);
    }

    [Fact]
    public async Task Weighted_means_and_shares_use_the_survey_weights()
    {
        var round = await S.FcsRoundAsync("2026Q1", weighted: true);
        await S.ImportAsync(round, FcsCsv.Write(true,
            Households.Poor("w-1", "manzanares", "2026-02-10", "2"),
            Households.Acceptable39("w-2", "manzanares", "2026-02-10", "1"),
            Households.Borderline27("w-3", "manzanares", "2026-02-11", "1")));

        // (2×14 + 39 + 27) / (2 + 1 + 1) = 94 / 4.
        var a = (await GetAsync(S.Manzanares, "2026Q1")).Aggregate;
        Assert.Equal((3, 4.0), (a.N, a.SumOfWeights));
        Assert.Equal(23.5, a.Mean, 9);
        Assert.Equal((1, 2.0, 50.0), (Share(a, "poor").N, Share(a, "poor").SumOfWeights, Share(a, "poor").Percent));
        Assert.Equal(25.0, Share(a, "acceptable").Percent);
    }

    [Fact]
    public async Task Listing_walks_the_areas_inside_and_the_periods_with_households()
    {
        await S.ImportAsync(await S.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        await S.ImportAsync(await S.FcsRoundAsync("2026Q1"), FcsCsv.Write(false, Households.Acceptable52("l-1", "manzanares", "2026-01-20")));

        var list = await S.Viewer.Aggregates.ListAggregatesAsync(new ListAggregatesRequest
        {
            IndicatorCode = "FCS", AreaId = S.District.Id, IncludeDescendants = true,
            PeriodType = PeriodType.Quarter, FromPeriod = "2025Q3", ToPeriod = "2026Q2",
        });

        var rows = list.Aggregates.Select(a => (a.AreaId, a.Period, a.N)).ToArray();
        Assert.Equal(
            [(S.District.Id, "2025Q4", 4), (S.District.Id, "2026Q1", 1), (S.Conchacalla.Id, "2025Q4", 1), (S.Manzanares.Id, "2025Q4", 3), (S.Manzanares.Id, "2026Q1", 1)],
            rows);
    }

    [Fact]
    public async Task A_custom_share_indicator_scores_stored_households_and_new_ones()
    {
        var mapping = FcsCsv.Mapping(false);
        mapping.AnswerColumns["custom.water_minutes"] = "water_min";
        var round = (await S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = S.Watershed.Id, Name = "agua", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping,
        })).SurveyRound;
        string File(params (string Id, string Minutes)[] rows) =>
            "\"_uuid\";\"community\";\"hh\";\"date\";\"water_min\"\n" + string.Concat(rows.Select(r => $"\"{r.Id}\";\"manzanares\";\"h{r.Id}\";\"2025-11-03\";\"{r.Minutes}\"\n"));
        await S.ImportAsync(round, File(("c-1", "10"), ("c-2", "45")));

        await S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = S.Watershed.Id, Code = "WATER_30", Name = "Agua a 30 minutos o menos", Unit = "% de hogares",
            Direction = Direction.HigherIsBetter,
            Definition = new CustomDefinition
            {
                Aggregation = CustomAggregation.ShareMeetingCondition, AnswerField = "custom.water_minutes",
                Condition = new Condition { Operator = ComparisonOperator.LessThanOrEqual, Threshold = "30" },
            },
        });
        await S.ImportAsync(round, File(("c-3", "20"), ("c-4", "")));

        var a = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "WATER_30", AreaId = S.Manzanares.Id, Period = "2025" })).Aggregate;
        Assert.Equal((3, 1), (a.N, a.NMissing));
        Assert.Equal(200.0 / 3, Share(a, "meets").Percent, 9);
        var listed = await S.Viewer.Indicators.ListIndicatorsAsync(new ListIndicatorsRequest { WatershedId = S.Watershed.Id });
        Assert.Equal(["FCS", "RCSI", "HDDS", "MDDW", "HHS", "FIES_RAW", "MAHFP", "CARI", "WATER_30"], listed.Indicators.Select(i => i.Code).ToArray());
    }
}
