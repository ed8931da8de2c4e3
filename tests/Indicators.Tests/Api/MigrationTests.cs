using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

public sealed class MigrationTests
{
    [Fact]
    public async Task The_migrations_match_the_model_and_apply_to_an_empty_postgres_database()
    {
        await using var app = await IndicatorsApp.OnPostgresAsync();
        app.StartServer();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures: add a migration.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(["20261123092527_Initial", "20261204145749_HouseStyle", "20261204161916_Events", "20261204181055_ApprovedPlanWatershed",
            "20261204211122_UnweightedDefaultMapping", "20261204213645_RoundLcsStrategies", "20261204220304_ScoreDetails", "20261204221717_ImportBatchesAndRemovals", "20261205084500_HouseholdTallies",
            "20261205121059_WomenOfRepeatGroup"], await db.Database.GetAppliedMigrationsAsync());
    }

    /// <summary>
    /// Households stored before household_tallies existed are summed when the migration creates it (and the migration
    /// goes down and up again cleanly): the figures read the same before and after.
    /// </summary>
    [Fact]
    public async Task Households_stored_before_the_summed_table_existed_are_summed_when_it_is_created()
    {
        await using var app = await IndicatorsApp.OnPostgresAsync();
        var s = await Scenario.CreateAsync(app);
        await s.ImportAsync(await s.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        var request = new V1.GetAggregateRequest { IndicatorCode = "FCS", AreaId = s.District.Id, Period = "2025Q4" };
        var before = (await s.Viewer.Aggregates.GetAggregateAsync(request)).Aggregate;

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261204221717_ImportBatchesAndRemovals");
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_tables WHERE tablename = 'household_tallies'").SingleAsync());
            await migrator.MigrateAsync();
        }

        var after = (await s.Viewer.Aggregates.GetAggregateAsync(request)).Aggregate;
        Assert.Equal((4, 33.0), (after.N, after.Mean));
        Assert.Equal(before, after);
    }

    /// <summary>
    /// The repeat group's migration goes down and up again cleanly with women stored: going down drops the women's score
    /// rows (their sums leave household_tallies with them), the households' own figures read the same throughout.
    /// </summary>
    [Fact]
    public async Task The_women_migration_goes_down_and_up_keeping_the_households_figures()
    {
        await using var app = await IndicatorsApp.OnPostgresAsync();
        var s = await Scenario.CreateAsync(app);
        await s.ImportAsync(await s.FcsRoundAsync("2025Q4"), FcsCsv.Write(false, Households.Baseline()));
        await WomenRepeatGroup.ImportAsync(s, await WomenRepeatGroup.RoundAsync(s, "mujeres"),
            WomenRepeatGroup.MainSheet(new KoboHousehold(1, "h1", "manzanares", "2025-11-03")),
            WomenRepeatGroup.WomenSheet(true, new KoboWoman("h1", 1, "30", 6), new KoboWoman("h1", 1, "31", 2)));
        var fcs = new V1.GetAggregateRequest { IndicatorCode = "FCS", AreaId = s.District.Id, Period = "2025Q4" };
        var mddw = new V1.GetAggregateRequest { IndicatorCode = "MDDW", AreaId = s.District.Id, Period = "2025Q4" };
        var fcsBefore = (await s.Viewer.Aggregates.GetAggregateAsync(fcs)).Aggregate;
        var mddwBefore = (await s.Viewer.Aggregates.GetAggregateAsync(mddw)).Aggregate;
        // Two women of h1; the baseline's four household rows asked no MDD-W (missing).
        Assert.Equal((2, 4), (mddwBefore.N, mddwBefore.NMissing));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261205084500_HouseholdTallies");
            await migrator.MigrateAsync();
        }

        Assert.Equal(fcsBefore, (await s.Viewer.Aggregates.GetAggregateAsync(fcs)).Aggregate);
        var mddwAfter = (await s.Viewer.Aggregates.GetAggregateAsync(mddw)).Aggregate;
        Assert.Equal((0, 4), (mddwAfter.N, mddwAfter.NMissing));
    }

    /// <summary>
    /// Ingest on PostgreSQL writes households and scores by binary COPY with its own column lists: a column the model
    /// gains must be written there too, or it would be left at its default without any error.
    /// </summary>
    [Fact]
    public async Task The_binary_copy_of_an_ingest_writes_every_column_of_submissions_and_scores()
    {
        await using var app = await IndicatorsApp.OnPostgresAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        string[] Columns<T>() => [.. db.Model.FindEntityType(typeof(T))!.GetProperties().Select(p => p.GetColumnName()).Order(StringComparer.Ordinal)];

        Assert.Equal(Columns<Watershed.Indicators.Domain.Ingest.Submission>(), Writes.SubmissionColumns.Order(StringComparer.Ordinal));
        Assert.Equal(Columns<Watershed.Indicators.Domain.Ingest.HouseholdScore>(), Writes.ScoreColumns.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_round_stored_on_the_old_weighted_default_keeps_reading_its_weights()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("indicators");
        await using var db = new IndicatorsDbContext(new DbContextOptionsBuilder<IndicatorsDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history")).Options);
        await db.GetService<IMigrator>().MigrateAsync("20261204181055_ApprovedPlanWatershed");
        var (watershed, old, own) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        const string ownMapping = """{"SubmissionIdColumns":["id"],"AreaColumn":"c","HouseholdColumn":"h","WeightColumn":null,"InterviewDateColumn":"d","AnswerColumns":[["fcs.staples","s"]]}""";
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO areas ("Id", "WatershedCode", "Level", "ParentId", "Code", "Name", "CreatedAt") VALUES ({watershed}, 'pomacanchi', 1, NULL, 'pomacanchi', 'Pomacanchi', now());
            INSERT INTO survey_rounds ("Id", "WatershedAreaId", "Name", "FcsCutoffs", "ColumnMappingJson", "CreatedAt") VALUES
              ({old}, {watershed}, 'por defecto', 1, NULL, now()),
              ({own}, {watershed}, 'propio', 1, {ownMapping}, now());
            """);

        await db.Database.MigrateAsync();

        var rounds = await db.SurveyRounds.ToDictionaryAsync(r => r.Id);
        // The round that followed the default read "weight"; it still does, and reads every other column as the default does.
        Assert.Equal(("weight", "community_id", "FCSStap"), (rounds[old].Form.WeightColumn, rounds[old].Form.AreaColumn, rounds[old].Form.Primary.AnswerColumns["fcs.staples"]));
        Assert.Equal(((string?)null, "c", "s"), (rounds[own].Form.WeightColumn, rounds[own].Form.AreaColumn, rounds[own].Form.Primary.AnswerColumns["fcs.staples"]));
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task The_house_style_migration_keeps_stored_data_meaning_what_it_meant()
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("indicators");
        await using var db = new IndicatorsDbContext(new DbContextOptionsBuilder<IndicatorsDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history")).Options);
        await db.GetService<IMigrator>().MigrateAsync("20261123092527_Initial");

        // Rows as the first schema stored them: enums numbered from 0 (standard cut-offs, lower-is-better,
        // share, ≤, higher-is-better, >, quarter), alerts without area or sequence.
        var (watershed, community, round, custom, target, rule) =
            (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (raised, cleared) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO areas ("Id", "WatershedCode", "Level", "ParentId", "Code", "Name", "CreatedAt") VALUES
              ({watershed}, 'pomacanchi', 1, NULL, 'pomacanchi', 'Pomacanchi', now()),
              ({community}, 'pomacanchi', 3, {watershed}, 'manzanares', 'Manzanares', now());
            INSERT INTO survey_rounds ("Id", "WatershedAreaId", "Name", "FcsCutoffs", "CreatedAt") VALUES ({round}, {watershed}, '2025Q4', 0, now());
            INSERT INTO custom_indicators ("Id", "WatershedAreaId", "Code", "Name", "Unit", "Direction", "Aggregation", "ConditionOperator", "ConditionThreshold", "AnswerField", "CreatedAt")
              VALUES ({custom}, {watershed}, 'WATER_30', 'Water', '%', 1, 2, 1, 30, 'custom.water_minutes', now());
            INSERT INTO plan_targets ("Id", "PlanId", "GoalId", "IndicatorCode", "AreaId", "Metric", "Direction", "BaselineValue", "BaselinePeriod", "TargetValue", "TargetDate", "CreatedAt")
              VALUES ({target}, {Guid.CreateVersion7()}, {Guid.CreateVersion7()}, 'FCS', {community}, 'mean', 0, 30, '2025Q4', 50, '2028-12-31', now());
            INSERT INTO alert_rules ("Id", "IndicatorCode", "AreaId", "Metric", "Operator", "Threshold", "PeriodType", "CreatedAt")
              VALUES ({rule}, 'FCS', {community}, 'percent:poor', 2, 20, 1, now());
            INSERT INTO alerts ("Id", "RuleId", "State", "Period", "PeriodStart", "ObservedValue", "N", "ChangedAt") VALUES
              ({cleared}, {rule}, 2, '2026Q3', '2026-07-01', 0, 2, now()),
              ({raised}, {rule}, 1, '2025Q4', '2025-10-01', 33.3333, 3, now() - interval '1 day');
            """);

        await db.Database.MigrateAsync();

        Assert.Equal(FcsCutoffs.Standard2135, (await db.SurveyRounds.SingleAsync()).FcsCutoffs);
        var indicator = await db.CustomIndicators.SingleAsync();
        Assert.Equal((Direction.LowerIsBetter, CustomAggregation.ShareMeetingCondition, new Condition(ComparisonOperator.LessThanOrEqual, 30m)),
            (indicator.Direction, indicator.Aggregation, indicator.Condition));
        Assert.Equal(Direction.HigherIsBetter, (await db.PlanTargets.SingleAsync()).Direction);
        var storedRule = await db.AlertRules.SingleAsync();
        Assert.Equal((new Condition(ComparisonOperator.GreaterThan, 20m), PeriodType.Quarter), (storedRule.Condition, storedRule.PeriodType));
        Assert.Equal(
            [(raised, 1, AlertState.Raised, community), (cleared, 2, AlertState.Cleared, community)],
            (await db.Alerts.OrderBy(a => a.Sequence).ToListAsync()).Select(a => (a.Id, a.Sequence, a.State, a.AreaId)));
        Assert.False(db.Database.HasPendingModelChanges());
    }
}
