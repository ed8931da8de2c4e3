using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>
/// Aggregates from the sums PostgreSQL keeps (household_tallies) are exactly the figures the in-memory aggregator gives
/// over the same households, as the contract carries them, for every indicator, area, period and round of
/// the demo's weighted files and of unweighted and weighted test rounds, with households outside the bounds stored
/// before the ingest checked them (a value past ±10^12, a weight of 0 or past 10^6), and the same refusal where a
/// period mixes weighted and unweighted households. Scores changed in place (the UPDATE below) and removed households
/// keep the sums right through the triggers.
/// </summary>
public sealed class AggregateEquivalenceTests
{
    [Fact]
    public async Task Figures_summed_in_the_database_equal_the_households_aggregated_in_memory()
    {
        var database = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("indicators");
        await using var app = IndicatorsApp.OnPostgres(database, new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        var s = await Scenario.CreateAsync(app, "cusco");
        var baselineRound = await s.FcsRoundAsync("2025Q4");
        await s.ImportAsync(baselineRound, FcsCsv.Write(false, Households.Baseline()));
        await s.ImportAsync(await s.FcsRoundAsync("2026Q1", weighted: true), FcsCsv.Write(true,
            Households.Poor("w-1", "manzanares", "2026-02-10", "2"),
            Households.Acceptable39("w-2", "manzanares", "2026-02-10", "1.25"),
            Households.Borderline27("w-3", "conchacalla", "2026-02-11", "0.333"),
            Households.Acceptable52("w-4", "conchacalla", "2026-03-30", "7"),
            // 28 decimals: the weight times a score has more than a decimal holds, in the database as in memory.
            Households.Acceptable39("w-5", "manzanares", "2026-04-02", "0.1234567890123456789012345678")));
        // Unweighted households in a quarter that also holds weighted ones: that quarter is refused, its months are not.
        await s.ImportAsync(await s.FcsRoundAsync("2026Q1 extra"), FcsCsv.Write(false, Households.Poor("u-1", "manzanares", "2026-01-05")));
        // MDD-W of a repeat group: one score row per woman, with her household's weight; a woman with a blank group is missing.
        var womenRound = await WomenRepeatGroup.RoundAsync(s, "2026Q2 mujeres", weighted: true);
        var women = await WomenRepeatGroup.ImportAsync(s, womenRound,
            WomenRepeatGroup.MainSheet(
                new KoboHousehold(1, "m-1", "manzanares", "2026-05-10", "1.5"), new KoboHousehold(2, "m-2", "conchacalla", "2026-05-11", "0.75"),
                new KoboHousehold(3, "m-3", "conchacalla", "2026-06-02", "2"), new KoboHousehold(4, "m-4", "manzanares", "2026-06-03", "5")),
            WomenRepeatGroup.WomenSheet(true, new KoboWoman("m-1", 1, "30", 6), new KoboWoman("m-1", 1, "22", 3), new KoboWoman("m-2", 2, "40", 5),
                new KoboWoman("m-3", 3, "19", 1, EggsBlank: true), new KoboWoman("m-4", 4, "33", 8)));
        Assert.Empty(women.Errors);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
            // Stored before the ingest's bounds existed: left out of every figure and counted in n_missing.
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("""UPDATE household_scores SET "Value" = 2000000000000 WHERE "IndicatorCode" = 'FCS' AND "SubmissionRowId" = (SELECT "Id" FROM submissions WHERE "SubmissionId" = 'b-2')"""));
            Assert.Equal(2, await db.Database.ExecuteSqlRawAsync("""UPDATE household_scores SET "Weight" = 0 WHERE "SubmissionRowId" = (SELECT "Id" FROM submissions WHERE "SubmissionId" = 'w-2') AND "IndicatorCode" IN ('FCS', 'HDDS')"""));
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("""UPDATE household_scores SET "Weight" = 1000001 WHERE "SubmissionRowId" = (SELECT "Id" FROM submissions WHERE "SubmissionId" = 'w-4') AND "IndicatorCode" = 'FCS'"""));
        }

        // A removed household leaves every figure (its scores go with it, and their sums).
        await s.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = baselineRound.Id, SubmissionId = "b-3", Reason = "interviewed twice" });
        await s.Facilitator.Surveys.RemoveSubmissionAsync(new RemoveSubmissionRequest { SurveyRoundId = womenRound.Id, SubmissionId = "m-4", Reason = "fuera de muestra" });

        // The households outside the bounds are left out through the API too (n_missing), next to those that count.
        Task<Aggregate> FcsAsync(Area area, string period) =>
            s.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = area.Id, Period = period }).ResponseAsync.ContinueWith(t => t.Result.Aggregate);
        var baseline = await FcsAsync(s.Manzanares, "2025Q4");
        Assert.Equal((1, 1, 14.0), (baseline.N, baseline.NMissing, baseline.Mean));
        var february = await FcsAsync(s.District, "202602");
        Assert.Equal((2, 1, 2.333, 2 * 14 + 0.333 * 27), (february.N, february.NMissing, february.SumOfWeights, february.WeightedSum));
        var march = await FcsAsync(s.District, "202603");
        Assert.Equal((0, 1), (march.N, march.NMissing));
        // Women, not households: m-1's two women (1.5 each: 6 groups achieved, 3 not), m-2's one (0.75: achieved), m-3's
        // missing; m-4 removed. Σw = 3.75, achieving 2.25 → 60 %. Missing: m-3's woman and w-5, a household row (one
        // woman) of the FCS round, which asked no MDD-W.
        var mddw = (await s.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "MDDW", AreaId = s.District.Id, Period = "2026Q2" })).Aggregate;
        Assert.Equal((3, 2, 3.75), (mddw.N, mddw.NMissing, mddw.SumOfWeights));
        Assert.Equal(60.0, mddw.Distribution.Single(c => c.Category == "achieved").Percent, 9);

        List<Period> periods =
        [
            Period.ForYear(2025), Period.ForYear(2026),
            .. Period.Range(Period.ForQuarter(2025, 3), Period.ForQuarter(2026, 4)),
            .. Period.Range(Period.ForMonth(2025, 10), Period.ForMonth(2026, 9)),
        ];
        var compared = 0;
        var refused = 0;
        foreach (var watershedCode in new[] { "pomacanchi", "cusco" })
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
            var figures = scope.ServiceProvider.GetRequiredService<AreaFigures>();
            var areas = await db.AreasOfAsync(watershedCode, default);
            var watershed = areas.TopDown.First();
            var indicators = await db.IndicatorsAsync(watershed.Id, default);
            var ids = areas.TopDown.Select(a => a.Id).ToList();
            var rounds = await db.SurveyRounds.Where(r => r.WatershedId == watershed.Id).Select(r => (Guid?)r.Id).ToListAsync();
            Assert.NotEmpty(rounds);
            foreach (var round in rounds.Prepend(null))
            {
                var stored = await db.HouseholdScores.AsNoTracking().Where(h => ids.Contains(h.AreaId) && (round == null || h.SurveyRoundId == round)).ToListAsync();
                var households = stored.Select(h => new HouseholdObservation(
                    h.IndicatorCode, h.SubmissionRowId.ToString(), h.AreaId.ToString(), h.InterviewDate, h.Weight, h.Value, h.Category)).ToList();
                foreach (var period in periods)
                {
                    foreach (var onlyWithHouseholds in new[] { false, true })
                    {
                        var expected = Outcome(() => IndicatorAggregator.AggregateAreas(indicators, areas.Hierarchy, [.. ids.Select(i => i.ToString())], [period], households, onlyWithHouseholds));
                        var actual = Outcome(() => figures.ComputeAsync(areas, indicators, ids, [period], onlyWithHouseholds, default, round).GetAwaiter().GetResult());
                        Assert.Equal(expected, actual);
                        compared++;
                        refused += expected.StartsWith("refused", StringComparison.Ordinal) ? 1 : 0;
                    }
                }
            }
        }

        // Not vacuous: the comparison met figures with households, figures without, and refusals.
        Assert.True(compared > 100, $"{compared} comparisons");
        Assert.True(refused > 0, "no period mixed weighted and unweighted households");
    }

    /// <summary>
    /// A figure as the contract carries it (a double, written round-trip). The database's sums are exact where memory
    /// rounds each product to a decimal's 28 digits, and a sum kept by additions and subtractions may keep trailing zeros:
    /// neither reaches a caller, so both are compared as the caller receives them.
    /// </summary>
    private static string D(decimal? value) => value is { } v ? ((double)v).ToString("R", CultureInfo.InvariantCulture) : "none";

    /// <summary>Every figure written out as the contract carries it, or the refusal.</summary>
    private static string Outcome(Func<IReadOnlyList<IndicatorAggregate>> compute)
    {
        try
        {
            var text = new StringBuilder();
            foreach (var a in compute())
            {
                text.Append(CultureInfo.InvariantCulture, $"{a.IndicatorCode} {a.AreaId} {a.Period} n={a.N} missing={a.NMissing} Σw={D(a.SumOfWeights)} Σwx={D(a.WeightedSum)} mean={D(a.Mean)}");
                foreach (var c in a.Distribution)
                {
                    text.Append(CultureInfo.InvariantCulture, $" [{c.Category} {c.N} {D(c.SumOfWeights)} {D(c.Percent)}]");
                }

                text.Append('\n');
            }

            return text.ToString();
        }
        catch (MixedSurveyWeightsException ex)
        {
            return "refused " + ex.Message;
        }
    }
}
