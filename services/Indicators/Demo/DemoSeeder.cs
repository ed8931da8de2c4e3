using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;
using Watershed.Indicators.Grpc;

namespace Watershed.Indicators.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the Pomacanchi demo data at start (run-local sets Demo__Seed=true).</summary>
    public bool Seed { get; set; }
}

public static class DemoSeeding
{
    public static async Task SeedDemoIfAskedAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (!services.GetRequiredService<IOptions<DemoOptions>>().Value.Seed)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(cancellationToken);
    }
}

/// <summary>
/// The Pomacanchi demo: the watershed, its district and four communities (surveys in two), a baseline (2025Q4) and a follow-up
/// (2026Q3) survey imported from Kobo-style exports through the same ingest as a real import, and an alert rule on
/// poor food consumption. The plan target that cites the land-use plan's goal is created through the API by the
/// connected demo (services/Watershed.Demo) once the assembly has approved the plan. Every step first looks for what it would create, so seeding again
/// changes nothing.
/// </summary>
public sealed partial class DemoSeeder(IndicatorsDbContext db, SubmissionIngest ingest, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public const string WatershedCode = "pomacanchi";
    public const string BaselineRound = "Línea de base 2025Q4";
    public const string FollowUpRound = "Seguimiento 2026Q3";

    public async Task SeedAsync(CancellationToken ct)
    {
        var watershed = await AreaAsync(AreaLevel.Watershed, null, WatershedCode, "Laguna de Pomacanchi", ct);
        var district = await AreaAsync(AreaLevel.District, watershed, "distrito-pomacanchi", "Distrito de Pomacanchi", ct);
        await AreaAsync(AreaLevel.Community, district, "tocorani", "Comunidad Campesina Tocorani", ct);
        await AreaAsync(AreaLevel.Community, district, "santa-lucia", "Comunidad Campesina Santa Lucía", ct);
        await AreaAsync(AreaLevel.Community, district, "manzanares", "Comunidad Campesina Manzanares", ct);
        await AreaAsync(AreaLevel.Community, district, "conchacalla", "Comunidad Campesina Conchacalla", ct);

        // The rule exists before the surveys arrive, so the imports raise (baseline) and clear (follow-up) it.
        if (!await db.AlertRules.AnyAsync(r => r.AreaId == district.Id && r.IndicatorCode == FoodConsumptionScore.Info.Code, ct))
        {
            db.AlertRules.Add(AlertRule.Create(FoodConsumptionScore.Info, district.Id, AggregateMetric.Percent("poor"),
                new Condition(ComparisonOperator.GreaterThan, 20m), PeriodType.Quarter, clock.GetUtcNow()));
            await db.SaveChangesAsync(ct);
        }

        foreach (var (name, prefix) in new[] { (BaselineRound, "2025Q4"), (FollowUpRound, "2026Q3") })
        {
            var round = await RoundAsync(watershed, name, ct);
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Demo"), $"{prefix}-*.csv").Order(StringComparer.Ordinal))
            {
                using var reader = new StreamReader(file);
                var plan = (await ingest.IngestAsync(round, KoboCsv.Read(reader), ImportMode.AllOrNothing, IngestOrigin.File("demo"), ct)).Plan;
                if (plan.Errors.Count > 0)
                {
                    throw new InvalidOperationException($"Demo file {file} has bad rows: {string.Join("; ", plan.Errors)}");
                }

                LogImported(logger, Path.GetFileName(file), plan.ToStore.Count, plan.DuplicateRows);
            }
        }
    }

    private async Task<Area> AreaAsync(AreaLevel level, Area? parent, string code, string name, CancellationToken ct)
    {
        var watershedCode = parent?.WatershedCode ?? code;
        var existing = await db.Areas.AsNoTracking().SingleOrDefaultAsync(a => a.WatershedCode == watershedCode && a.Code == code, ct);
        if (existing is not null)
        {
            return existing;
        }

        var area = Area.Create(level, parent, code, name, null, clock.GetUtcNow());
        db.Areas.Add(area);
        await db.SaveChangesAsync(ct);
        return area;
    }

    private async Task<SurveyRound> RoundAsync(Area watershed, string name, CancellationToken ct)
    {
        var existing = await db.SurveyRounds.AsNoTracking().SingleOrDefaultAsync(r => r.WatershedId == watershed.Id && r.Name == name, ct);
        if (existing is not null)
        {
            return existing;
        }

        // The exports follow the default mapping; the survey is weighted, so the round names its weight column.
        var weighted = ColumnMapping.Empty with { WeightColumn = "weight" };
        var round = SurveyRound.Create(watershed, name, FcsCutoffs.Standard2135, weighted, null, clock.GetUtcNow());
        db.SurveyRounds.Add(round);
        await db.SaveChangesAsync(ct);
        return round;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo survey {File}: {Stored} households stored, {Duplicates} already there")]
    private static partial void LogImported(ILogger logger, string file, int stored, int duplicates);
}
