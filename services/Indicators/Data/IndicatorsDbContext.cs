using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Indicators.Data;

/// <summary>
/// The domain types are the entities, mapped here. Values without a column type of their own (a period, a metric,
/// a column mapping, a submission's answers) are stored as the text they are written as.
/// </summary>
public sealed class IndicatorsDbContext(DbContextOptions<IndicatorsDbContext> options) : DbContext(options)
{
    public DbSet<Area> Areas => Set<Area>();

    public DbSet<SurveyRound> SurveyRounds => Set<SurveyRound>();

    public DbSet<Submission> Submissions => Set<Submission>();

    public DbSet<HouseholdScore> HouseholdScores => Set<HouseholdScore>();

    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();

    public DbSet<SubmissionRemoval> SubmissionRemovals => Set<SubmissionRemoval>();

    public DbSet<CustomIndicator> CustomIndicators => Set<CustomIndicator>();

    public DbSet<WatershedDhis2Mapping> Dhis2Mappings => Set<WatershedDhis2Mapping>();

    public DbSet<PlanTarget> PlanTargets => Set<PlanTarget>();

    public DbSet<ApprovedPlan> ApprovedPlans => Set<ApprovedPlan>();

    public DbSet<AlertRule> AlertRules => Set<AlertRule>();

    public DbSet<Alert> Alerts => Set<Alert>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseSortableInstantsOnSqlite(Database);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        var period = new ValueConverter<Period, string>(p => p.ToString(), text => Period.Parse(text));
        var metric = new ValueConverter<AggregateMetric, string>(m => m.ToString(), text => AggregateMetric.Parse(text));

        model.Entity<Area>(e =>
        {
            e.ToTable("areas");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            // Codes are what forms record, so one code names one area of the watershed whatever its level.
            e.HasIndex(a => new { a.WatershedCode, a.Code }).IsUnique();
            // ListAreas: a watershed's areas (or a parent's) top down, then by name.
            e.HasIndex(a => new { a.WatershedCode, a.Level, a.Name, a.Id });
            e.HasIndex(a => new { a.ParentId, a.Level, a.Name, a.Id });
            e.HasOne<Area>().WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.Property(a => a.WatershedCode).HasMaxLength(40);
            e.Property(a => a.Code).HasMaxLength(AreaRules.MaxCodeLength);
            e.Property(a => a.Name).HasMaxLength(AreaRules.MaxNameLength);
        });

        model.Entity<SurveyRound>(e =>
        {
            e.ToTable("survey_rounds");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.WatershedId).HasColumnName("WatershedAreaId");
            e.HasOne<Area>().WithMany().HasForeignKey(r => r.WatershedId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(r => new { r.WatershedId, r.Name }).IsUnique();
            // ListSurveyRounds: a watershed's rounds by id (UUID v7: in creation order).
            e.HasIndex(r => new { r.WatershedId, r.Id });
            e.Property(r => r.Name).HasMaxLength(SurveyRound.MaxNameLength);
            e.Ignore(r => r.LcsStrategies);
            e.Ignore(r => r.Form);
            e.Property<string?>("_lcsStrategyFields").HasColumnName("LcsStrategies").HasMaxLength(1100);
            e.Property(r => r.ColumnMapping).HasColumnName("ColumnMappingJson")
                .HasConversion(new ValueConverter<ColumnMapping?, string?>(m => ColumnMappingJson.Write(m), json => ColumnMappingJson.Read(json)))
                .Metadata.SetValueComparer(new ValueComparer<ColumnMapping?>(
                    (a, b) => ColumnMappingJson.Write(a) == ColumnMappingJson.Write(b),
                    m => (ColumnMappingJson.Write(m) ?? "").GetHashCode(StringComparison.Ordinal),
                    m => m));
        });

        model.Entity<Submission>(e =>
        {
            e.ToTable("submissions");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.HasOne<SurveyRound>().WithMany().HasForeignKey(s => s.SurveyRoundId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Area>().WithMany().HasForeignKey(s => s.AreaId).OnDelete(DeleteBehavior.Restrict);
            // Never stored twice, even when two imports of the same file race.
            e.HasIndex(s => new { s.SurveyRoundId, s.SubmissionId }).IsUnique();
            e.HasIndex(s => new { s.SurveyRoundId, s.AreaId });
            // ListSubmissions and the export: a round's submissions in the order they were stored.
            e.HasIndex(s => new { s.SurveyRoundId, s.StoredAt, s.Row, s.Id });
            e.Property(s => s.SubmissionId).HasMaxLength(100);
            e.Property(s => s.HouseholdId).HasMaxLength(100);
            e.Property(s => s.Fingerprint).HasMaxLength(64);
            e.Property(s => s.Answers).HasColumnName("AnswersJson")
                .HasConversion(new ValueConverter<IReadOnlyDictionary<string, string>, string>(a => AnswersJson.Write(a), json => AnswersJson.Read(json)))
                .Metadata.SetValueComparer(new ValueComparer<IReadOnlyDictionary<string, string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    a => a.Count,
                    a => a));
            e.Property(s => s.Women).HasColumnName("WomenJson").HasDefaultValue(Array.Empty<IReadOnlyDictionary<string, string>>())
                .HasConversion(new ValueConverter<IReadOnlyList<IReadOnlyDictionary<string, string>>, string>(w => WomenJson.Write(w), json => WomenJson.Read(json)))
                .Metadata.SetValueComparer(new ValueComparer<IReadOnlyList<IReadOnlyDictionary<string, string>>>(
                    (a, b) => WomenJson.Write(a!) == WomenJson.Write(b!),
                    w => w.Count,
                    w => w));
            e.HasOne<ImportBatch>().WithMany().HasForeignKey(s => s.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
            // RemoveImportBatch: a batch's households.
            e.HasIndex(s => s.ImportBatchId);
            e.HasMany(s => s.Scores).WithOne().HasForeignKey(h => h.SubmissionRowId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(s => s.Scores).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        model.Entity<HouseholdScore>(e =>
        {
            e.ToTable("household_scores");
            e.HasKey(s => new { s.SubmissionRowId, s.IndicatorCode, s.Woman });
            e.HasOne<SurveyRound>().WithMany().HasForeignKey(s => s.SurveyRoundId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Area>().WithMany().HasForeignKey(s => s.AreaId).OnDelete(DeleteBehavior.Restrict);
            // Aggregation: one indicator's households of some areas over a date range.
            e.HasIndex(s => new { s.IndicatorCode, s.AreaId, s.InterviewDate });
            e.Property(s => s.IndicatorCode).HasMaxLength(32);
            e.Property(s => s.Category).HasMaxLength(40);
            e.Property(s => s.MissingFields)
                .HasConversion(new ValueConverter<IReadOnlyList<string>, string>(f => string.Join(' ', f), text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
                .Metadata.SetValueComparer(new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    f => f.Count,
                    f => f));
            e.Property(s => s.Details).HasColumnName("DetailsJson")
                .HasConversion(new ValueConverter<ScoreDetails?, string?>(d => ScoreDetailsJson.Write(d), json => ScoreDetailsJson.Read(json)))
                .Metadata.SetValueComparer(new ValueComparer<ScoreDetails?>(
                    (a, b) => ScoreDetailsJson.Write(a) == ScoreDetailsJson.Write(b),
                    d => (ScoreDetailsJson.Write(d) ?? "").GetHashCode(StringComparison.Ordinal),
                    d => d));
        });

        model.Entity<ImportBatch>(e =>
        {
            e.ToTable("import_batches");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).ValueGeneratedNever();
            e.HasOne<SurveyRound>().WithMany().HasForeignKey(b => b.SurveyRoundId).OnDelete(DeleteBehavior.Restrict);
            // ListImportBatches: a round's batches in the order they were stored.
            e.HasIndex(b => new { b.SurveyRoundId, b.StoredAt, b.Id });
            e.Property(b => b.StoredBy).HasMaxLength(200);
            e.Ignore(b => b.IsRemoved);
        });

        model.Entity<SubmissionRemoval>(e =>
        {
            e.ToTable("submission_removals");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.HasOne<SurveyRound>().WithMany().HasForeignKey(r => r.SurveyRoundId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ImportBatch>().WithMany().HasForeignKey(r => r.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
            // ListRemovals: a round's removals in the order they happened.
            e.HasIndex(r => new { r.SurveyRoundId, r.RemovedAt, r.Id });
            e.Property(r => r.RemovedBy).HasMaxLength(200);
            e.Property(r => r.Reason).HasMaxLength(SubmissionRemoval.MaxReasonLength);
            e.Property(r => r.SubmissionIds).HasColumnName("SubmissionIdsJson")
                .HasConversion(new ValueConverter<IReadOnlyList<string>, string>(ids => JsonSerializer.Serialize(ids, (JsonSerializerOptions?)null), json => JsonSerializer.Deserialize<string[]>(json, (JsonSerializerOptions?)null) ?? Array.Empty<string>()))
                .Metadata.SetValueComparer(new ValueComparer<IReadOnlyList<string>>((a, b) => a!.SequenceEqual(b!), ids => ids.Count, ids => ids));
            e.Property(r => r.AreaIds).HasColumnName("AreaIdsJson")
                .HasConversion(new ValueConverter<IReadOnlyList<Guid>, string>(ids => JsonSerializer.Serialize(ids, (JsonSerializerOptions?)null), json => JsonSerializer.Deserialize<Guid[]>(json, (JsonSerializerOptions?)null) ?? Array.Empty<Guid>()))
                .Metadata.SetValueComparer(new ValueComparer<IReadOnlyList<Guid>>((a, b) => a!.SequenceEqual(b!), ids => ids.Count, ids => ids));
        });

        model.Entity<CustomIndicator>(e =>
        {
            e.ToTable("custom_indicators");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.WatershedId).HasColumnName("WatershedAreaId");
            e.HasOne<Area>().WithMany().HasForeignKey(c => c.WatershedId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => new { c.WatershedId, c.Code }).IsUnique();
            e.Property(c => c.Code).HasMaxLength(32);
            e.Property(c => c.Name).HasMaxLength(CustomIndicator.MaxNameLength);
            e.Property(c => c.Unit).HasMaxLength(CustomIndicator.MaxUnitLength);
            e.Property(c => c.AnswerField).HasMaxLength(100);
            e.Property<CustomAggregation>("_aggregation").HasColumnName("Aggregation");
            e.Property<Domain.ComparisonOperator?>("_conditionOperator").HasColumnName("ConditionOperator");
            e.Property<decimal?>("_conditionThreshold").HasColumnName("ConditionThreshold");
        });

        model.Entity<WatershedDhis2Mapping>(e =>
        {
            e.ToTable("dhis2_mappings");
            e.HasKey(m => m.WatershedId);
            e.Property(m => m.WatershedId).HasColumnName("WatershedAreaId").ValueGeneratedNever();
            e.HasOne<Area>().WithMany().HasForeignKey(m => m.WatershedId).OnDelete(DeleteBehavior.Restrict);
            e.Property(m => m.Mapping).HasColumnName("MappingJson")
                .HasConversion(new ValueConverter<Dhis2Mapping, string>(m => Dhis2MappingJson.Write(m), json => Dhis2MappingJson.Read(json)))
                .Metadata.SetValueComparer(new ValueComparer<Dhis2Mapping>(
                    (a, b) => Dhis2MappingJson.Write(a!) == Dhis2MappingJson.Write(b!),
                    m => Dhis2MappingJson.Write(m).GetHashCode(StringComparison.Ordinal),
                    m => m));
        });

        model.Entity<PlanTarget>(e =>
        {
            e.ToTable("plan_targets");
            e.HasKey(t => t.Id);
            e.Property(t => t.Id).ValueGeneratedNever();
            e.HasOne<Area>().WithMany().HasForeignKey(t => t.AreaId).OnDelete(DeleteBehavior.Restrict);
            // ListPlanTargets: a plan's targets in the order they were set.
            e.HasIndex(t => new { t.PlanId, t.CreatedAt, t.Id });
            e.Property(t => t.IndicatorCode).HasMaxLength(32);
            e.Property(t => t.Metric).HasMaxLength(80).HasConversion(metric);
            e.Property<decimal>("_baselineValue").HasColumnName("BaselineValue");
            e.Property<Period>("_baselinePeriod").HasColumnName("BaselinePeriod").HasMaxLength(8).HasConversion(period);
            e.Property<decimal>("_targetValue").HasColumnName("TargetValue");
            e.Property<DateOnly>("_targetDate").HasColumnName("TargetDate");
            e.Ignore(t => t.GoalDropped);
        });

        model.Entity<ApprovedPlan>(e =>
        {
            e.ToTable("approved_plans");
            e.HasKey(p => p.PlanId);
            e.Property(p => p.PlanId).ValueGeneratedNever();
            e.Property(p => p.WatershedCode).HasMaxLength(40);
            e.HasMany(p => p.Goals).WithOne().HasForeignKey(g => g.PlanId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(p => p.Goals).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        model.Entity<PlanGoal>(e =>
        {
            e.ToTable("plan_goals");
            e.HasKey(g => new { g.PlanId, g.GoalId });
        });

        model.Entity<AlertRule>(e =>
        {
            e.ToTable("alert_rules");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.HasOne<Area>().WithMany().HasForeignKey(r => r.AreaId).OnDelete(DeleteBehavior.Restrict);
            // ListAlertRules and the rules an ingest evaluates: an area's rules in the order they were made.
            e.HasIndex(r => new { r.AreaId, r.CreatedAt, r.Id });
            e.Property(r => r.IndicatorCode).HasMaxLength(32);
            e.Property(r => r.Metric).HasMaxLength(80).HasConversion(metric);
            e.Property<Domain.ComparisonOperator>("_operator").HasColumnName("Operator");
            e.Property<decimal>("_threshold").HasColumnName("Threshold");
        });

        model.Entity<Alert>(e =>
        {
            e.ToTable("alerts");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.HasOne<AlertRule>().WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Area>().WithMany().HasForeignKey(a => a.AreaId).OnDelete(DeleteBehavior.Restrict);
            // One record per change of a rule's state: two evaluations that raced cannot both record the n-th.
            e.HasIndex(a => new { a.RuleId, a.Sequence }).IsUnique();
            // ListAlerts: an area's alerts (of one state or all) by period, then when they changed.
            e.HasIndex(a => new { a.AreaId, a.PeriodStart, a.ChangedAt, a.Id });
            e.HasIndex(a => new { a.AreaId, a.State, a.PeriodStart, a.ChangedAt, a.Id });
            e.Property(a => a.Period).HasMaxLength(8).HasConversion(period);
        });

        model.AddOutbox();
        model.AddInbox();
    }
}

/// <summary>Answers stored as [column, value] pairs, so an export gives the columns back in the file's order.</summary>
internal static class AnswersJson
{
    public static string Write(IReadOnlyDictionary<string, string> answers) =>
        JsonSerializer.Serialize(answers.Select(p => new[] { p.Key, p.Value }));

    public static IReadOnlyDictionary<string, string> Read(string json)
    {
        var pairs = JsonSerializer.Deserialize<string[][]>(json) ?? [];
        var answers = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            answers[pair[0]] = pair[1];
        }

        return answers;
    }
}

/// <summary>A household's women as stored: a list of each woman's [column, value] pairs, "[]" for none.</summary>
internal static class WomenJson
{
    public static string Write(IReadOnlyList<IReadOnlyDictionary<string, string>> women) =>
        JsonSerializer.Serialize(women.Select(w => w.Select(p => new[] { p.Key, p.Value })));

    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string json) =>
        [.. (JsonSerializer.Deserialize<string[][][]>(json) ?? []).Select(w => (IReadOnlyDictionary<string, string>)w.ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal))];
}

/// <summary>A round's own column mapping as stored; null for the default mapping. A mapping stored without a date format is ISO.</summary>
internal static class ColumnMappingJson
{
    private sealed record Stored(
        List<string> SubmissionIdColumns, string AreaColumn, string HouseholdColumn, string? WeightColumn, string InterviewDateColumn, List<string[]> AnswerColumns,
        InterviewDateFormat? InterviewDateFormat = null, string? WomenSubmissionIdColumn = null, string? WomenParentIndexColumn = null, string? ParentIndexColumn = null);

    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string? Write(ColumnMapping? mapping) => mapping is null ? null : JsonSerializer.Serialize(new Stored(
        [.. mapping.SubmissionIdColumns], mapping.AreaColumn, mapping.HouseholdColumn, mapping.WeightColumn, mapping.InterviewDateColumn,
        [.. mapping.AnswerColumns.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[] { p.Key, p.Value })],
        mapping.InterviewDateFormat == InterviewDateFormat.Iso ? null : mapping.InterviewDateFormat,
        NullIfBlank(mapping.WomenSubmissionIdColumn), NullIfBlank(mapping.WomenParentIndexColumn), NullIfBlank(mapping.ParentIndexColumn)), Options);

    private static string? NullIfBlank(string column) => column.Length == 0 ? null : column;

    public static ColumnMapping? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new InvalidOperationException("A stored column mapping is empty.");
        return new ColumnMapping(stored.SubmissionIdColumns, stored.AreaColumn, stored.HouseholdColumn, stored.WeightColumn, stored.InterviewDateColumn,
            stored.AnswerColumns.ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal))
        {
            InterviewDateFormat = stored.InterviewDateFormat ?? InterviewDateFormat.Iso,
            WomenSubmissionIdColumn = stored.WomenSubmissionIdColumn ?? "",
            WomenParentIndexColumn = stored.WomenParentIndexColumn ?? "",
            ParentIndexColumn = stored.ParentIndexColumn ?? "",
        };
    }
}

/// <summary>A score's details as stored: FCS-N's sums, CARI's parts; null when the score has none.</summary>
internal static class ScoreDetailsJson
{
    private sealed record Nutrients(int? VitaminA, int? Protein, int? HaemIron);

    private sealed record Parts(int? CurrentStatus, int? LivelihoodCoping, decimal? FoodExpenditureShare, int? FoodExpenditureClass);

    private sealed record Stored(Nutrients? FcsN, Parts? Cari);

    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string? Write(ScoreDetails? details) => details is null ? null : JsonSerializer.Serialize(new Stored(
        details.Nutrients is { } n ? new Nutrients(n.VitaminA, n.Protein, n.HaemIron) : null,
        details.CariParts is { } p ? new Parts(p.CurrentStatus, p.LivelihoodCoping, p.FoodExpenditure?.Share, p.FoodExpenditure?.Class) : null), Options);

    public static ScoreDetails? Read(string? json)
    {
        if (json is null)
        {
            return null;
        }

        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new InvalidOperationException("Stored score details are empty.");
        return new ScoreDetails(
            stored.FcsN is { } n ? new FcsNutrients(n.VitaminA, n.Protein, n.HaemIron) : null,
            stored.Cari is { } p ? new CariParts(p.CurrentStatus, p.LivelihoodCoping,
                p.FoodExpenditureShare is { } share && p.FoodExpenditureClass is { } cls ? new FesScore(share, cls) : null) : null);
    }
}

/// <summary>A watershed's DHIS2 mapping as stored.</summary>
internal static class Dhis2MappingJson
{
    private sealed record Stored(List<Dhis2ElementMapping> Elements, Dictionary<string, string> OrgUnits);

    public static string Write(Dhis2Mapping mapping) => JsonSerializer.Serialize(new Stored([.. mapping.Elements], mapping.OrgUnits.ToDictionary()));

    public static Dhis2Mapping Read(string json)
    {
        var stored = JsonSerializer.Deserialize<Stored>(json) ?? throw new InvalidOperationException("A stored DHIS2 mapping is empty.");
        return new Dhis2Mapping(stored.Elements, stored.OrgUnits);
    }
}
