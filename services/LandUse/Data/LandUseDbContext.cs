using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Watershed.LandUse.Domain;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;

namespace Watershed.LandUse.Data;

/// <summary>
/// Plans are stored as aggregates: a plan, its versions and each version's zones save together, and each
/// call loads only the part it needs (<see cref="PlanQueries"/>).
/// Geometry is stored as WKB (the same on PostgreSQL and SQLite); all geometry work happens in process
/// with NetTopologySuite, so the store needs no spatial extension.
/// </summary>
public sealed class LandUseDbContext(DbContextOptions<LandUseDbContext> options) : DbContext(options)
{
    /// <summary>Bumped on every change of a plan, so two concurrent changes cannot both win.</summary>
    public const string PlanRevision = "Revision";

    /// <summary>A zone's version, a shadow key: the domain's zone belongs to its version's list.</summary>
    public const string ZoneVersionId = "PlanVersionId";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public DbSet<WatershedUnit> WatershedUnits => Set<WatershedUnit>();

    public DbSet<Plan> Plans => Set<Plan>();

    public DbSet<PlanVersion> PlanVersions => Set<PlanVersion>();

    public DbSet<Zone> Zones => Set<Zone>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseSortableInstantsOnSqlite(Database);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddOutbox().AddInbox();

        var geometry = new ValueConverter<Geometry, byte[]>(
            g => new WKBWriter().Write(g),
            b => PolygonalGeometry.Factory.CreateGeometry(new WKBReader().Read(b)));
        var geometryComparer = new ValueComparer<Geometry>(
            (a, b) => a == null ? b == null : b != null && a.EqualsExact(b),
            g => g.GetHashCode(),
            g => g.Copy());

        model.Entity<WatershedUnit>(e =>
        {
            e.ToTable("watershed_units");
            e.HasKey(w => w.Id);
            e.Property(w => w.Id).ValueGeneratedNever();
            e.Property(w => w.Code).HasMaxLength(40);
            e.HasIndex(w => w.Code).IsUnique();
            e.Property(w => w.Name).HasMaxLength(WatershedUnit.MaxNameLength);
            e.Property(w => w.Boundary).HasConversion(geometry, geometryComparer);
        });

        model.Entity<Plan>(e =>
        {
            e.ToTable("plans");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.WatershedId);
            e.Property(p => p.CreatedAt);
            e.Property(p => p.Title).HasMaxLength(Plan.MaxTitleLength);
            e.Property<int>(PlanRevision).IsConcurrencyToken();
            e.HasOne<WatershedUnit>().WithMany().HasForeignKey(p => p.WatershedId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(p => p.Versions).WithOne().HasForeignKey(v => v.PlanId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(p => p.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
            // ListPlans of one watershed, and of several, oldest first with the id as tie-breaker.
            e.HasIndex(p => new { p.WatershedId, p.CreatedAt, p.Id });
            e.HasIndex(p => new { p.CreatedAt, p.Id });
            e.Ignore(p => p.ApprovedVersion);
            e.Ignore(p => p.OpenVersion);
            e.Ignore(p => p.Latest);
        });

        model.Entity<PlanVersion>(e =>
        {
            e.ToTable("plan_versions");
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.Property(v => v.PlanId);
            e.Property(v => v.Number);
            e.Property(v => v.BasedOnVersionId);
            e.Property(v => v.CreatedAt);
            e.HasIndex(v => new { v.PlanId, v.Number }).IsUnique();
            e.ComplexProperty(v => v.Horizon);
            e.Property(v => v.Goals).HasConversion(
                g => JsonSerializer.Serialize(g, Json),
                s => JsonSerializer.Deserialize<List<string>>(s, Json) ?? new List<string>(),
                new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                    g => g.Aggregate(0, (h, x) => HashCode.Combine(h, x)),
                    g => g.ToList()));
            e.Property(v => v.WithdrawalReason).HasMaxLength(1000);
            e.HasMany(v => v.Zones).WithOne().HasForeignKey(ZoneVersionId).IsRequired().OnDelete(DeleteBehavior.Cascade);
            e.Navigation(v => v.Zones).UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Ignore(v => v.AreaHectares);
        });

        model.Entity<Zone>(e =>
        {
            e.ToTable("zones");
            e.HasKey(z => z.Id);
            e.Property(z => z.Id).ValueGeneratedNever();
            e.Property(z => z.Code).HasMaxLength(40);
            e.Property(z => z.Name).HasMaxLength(Zone.MaxNameLength);
            e.Property(z => z.Category);
            e.Property(z => z.Subcategory);
            e.Property(z => z.Notes).HasMaxLength(Zone.MaxNotesLength);
            e.Property(z => z.AreaHectares);
            e.Property(z => z.Geometry).HasConversion(geometry, geometryComparer);
            e.Property(z => z.Uses).HasConversion(
                u => JsonSerializer.Serialize(u, Json),
                s => JsonSerializer.Deserialize<List<AllowedUse>>(s, Json) ?? new List<AllowedUse>(),
                new ValueComparer<IReadOnlyList<AllowedUse>>(
                    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                    u => u.Aggregate(0, (h, x) => HashCode.Combine(h, x)),
                    u => u.ToList()));
            e.HasIndex(ZoneVersionId, nameof(Zone.Code)).IsUnique();
            e.Ignore(z => z.Label);
            e.Ignore(z => z.Content);
        });
    }
}
