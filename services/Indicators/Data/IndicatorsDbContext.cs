using Microsoft.EntityFrameworkCore;
using Watershed.ServiceDefaults.Data;

namespace Watershed.Indicators.Data;

public sealed class IndicatorsDbContext(DbContextOptions<IndicatorsDbContext> options) : DbContext(options)
{
    public DbSet<AreaRow> Areas => Set<AreaRow>();

    public DbSet<SurveyRoundRow> SurveyRounds => Set<SurveyRoundRow>();

    public DbSet<SubmissionRow> Submissions => Set<SubmissionRow>();

    public DbSet<HouseholdScoreRow> HouseholdScores => Set<HouseholdScoreRow>();

    public DbSet<CustomIndicatorRow> CustomIndicators => Set<CustomIndicatorRow>();

    public DbSet<Dhis2MappingRow> Dhis2Mappings => Set<Dhis2MappingRow>();

    public DbSet<PlanTargetRow> PlanTargets => Set<PlanTargetRow>();

    public DbSet<AlertRuleRow> AlertRules => Set<AlertRuleRow>();

    public DbSet<AlertRow> Alerts => Set<AlertRow>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseSortableInstantsOnSqlite(Database);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<AreaRow>(e =>
        {
            e.ToTable("areas");
            e.HasKey(a => a.Id);
            // Codes are what forms record, so one code names one area of the watershed whatever its level.
            e.HasIndex(a => new { a.WatershedCode, a.Code }).IsUnique();
            e.HasIndex(a => a.ParentId);
            e.HasOne<AreaRow>().WithMany().HasForeignKey(a => a.ParentId).OnDelete(DeleteBehavior.Restrict);
            e.Property(a => a.WatershedCode).HasMaxLength(40);
            e.Property(a => a.Code).HasMaxLength(60);
            e.Property(a => a.Name).HasMaxLength(200);
        });

        model.Entity<SurveyRoundRow>(e =>
        {
            e.ToTable("survey_rounds");
            e.HasKey(r => r.Id);
            e.HasOne<AreaRow>().WithMany().HasForeignKey(r => r.WatershedAreaId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(r => new { r.WatershedAreaId, r.Name }).IsUnique();
            e.Property(r => r.Name).HasMaxLength(200);
        });

        model.Entity<SubmissionRow>(e =>
        {
            e.ToTable("submissions");
            e.HasKey(s => s.Id);
            e.HasOne<SurveyRoundRow>().WithMany().HasForeignKey(s => s.SurveyRoundId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<AreaRow>().WithMany().HasForeignKey(s => s.AreaId).OnDelete(DeleteBehavior.Restrict);
            // Never stored twice, even when two imports of the same file race.
            e.HasIndex(s => new { s.SurveyRoundId, s.SubmissionId }).IsUnique();
            e.HasIndex(s => new { s.SurveyRoundId, s.AreaId });
            e.Property(s => s.SubmissionId).HasMaxLength(100);
            e.Property(s => s.HouseholdId).HasMaxLength(100);
            e.Property(s => s.Fingerprint).HasMaxLength(64);
        });

        model.Entity<HouseholdScoreRow>(e =>
        {
            e.ToTable("household_scores");
            e.HasKey(s => new { s.SubmissionRowId, s.IndicatorCode });
            e.HasOne<SubmissionRow>().WithMany().HasForeignKey(s => s.SubmissionRowId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(s => new { s.IndicatorCode, s.AreaId, s.InterviewDate });
            e.Property(s => s.IndicatorCode).HasMaxLength(32);
            e.Property(s => s.Category).HasMaxLength(40);
        });

        model.Entity<CustomIndicatorRow>(e =>
        {
            e.ToTable("custom_indicators");
            e.HasKey(c => c.Id);
            e.HasOne<AreaRow>().WithMany().HasForeignKey(c => c.WatershedAreaId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => new { c.WatershedAreaId, c.Code }).IsUnique();
            e.Property(c => c.Code).HasMaxLength(32);
            e.Property(c => c.Name).HasMaxLength(200);
            e.Property(c => c.Unit).HasMaxLength(60);
            e.Property(c => c.AnswerField).HasMaxLength(100);
        });

        model.Entity<Dhis2MappingRow>(e =>
        {
            e.ToTable("dhis2_mappings");
            e.HasKey(m => m.WatershedAreaId);
            e.HasOne<AreaRow>().WithMany().HasForeignKey(m => m.WatershedAreaId).OnDelete(DeleteBehavior.Restrict);
        });

        model.Entity<PlanTargetRow>(e =>
        {
            e.ToTable("plan_targets");
            e.HasKey(t => t.Id);
            e.HasOne<AreaRow>().WithMany().HasForeignKey(t => t.AreaId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(t => new { t.PlanId, t.CreatedAt });
            e.Property(t => t.IndicatorCode).HasMaxLength(32);
            e.Property(t => t.Metric).HasMaxLength(80);
            e.Property(t => t.BaselinePeriod).HasMaxLength(8);
        });

        model.Entity<AlertRuleRow>(e =>
        {
            e.ToTable("alert_rules");
            e.HasKey(r => r.Id);
            e.HasOne<AreaRow>().WithMany().HasForeignKey(r => r.AreaId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(r => new { r.AreaId, r.CreatedAt });
            e.Property(r => r.IndicatorCode).HasMaxLength(32);
            e.Property(r => r.Metric).HasMaxLength(80);
        });

        model.Entity<AlertRow>(e =>
        {
            e.ToTable("alerts");
            e.HasKey(a => a.Id);
            e.HasOne<AlertRuleRow>().WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(a => new { a.RuleId, a.ChangedAt });
            e.Property(a => a.Period).HasMaxLength(8);
        });
    }
}
