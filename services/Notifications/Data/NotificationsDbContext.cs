using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Notifications.Data;

/// <summary>
/// Watchers, preferences and the delivery log, plus the events library's inbox (an event has its effect once)
/// and dead letters. Notifications publishes nothing, so it maps no outbox.
/// </summary>
public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options)
{
    public DbSet<Watcher> Watchers => Set<Watcher>();

    public DbSet<RecipientPreferences> Preferences => Set<RecipientPreferences>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<DigestItem> DigestItems => Set<DigestItem>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseSortableInstantsOnSqlite(Database);
    }

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.AddInbox();

        model.Entity<Watcher>(e =>
        {
            e.ToTable("watchers");
            e.HasKey(w => w.Id);
            e.Property(w => w.Id).ValueGeneratedNever();
            e.Property(w => w.WatershedCode).HasMaxLength(40);
            e.Property(w => w.Name).HasMaxLength(WatcherDetails.MaxNameLength);
            e.Property(w => w.Organization).HasMaxLength(WatcherDetails.MaxOrganizationLength);
            e.Property(w => w.PhoneNumber).HasMaxLength(16);
            e.Property(w => w.Email).HasMaxLength(WatcherDetails.MaxEmailLength);
            e.Property(w => w.WebhookUrl).HasMaxLength(WatcherDetails.MaxUrlLength);
            e.Property(w => w.WebhookSecret).HasMaxLength(100);
            EnumList(e.Property(w => w.Kinds));
            EnumList(e.Property(w => w.Channels));
            e.Property(w => w.Revision).IsConcurrencyToken();

            // Listed by name within a watershed; one watcher of a name per watershed.
            e.HasIndex(w => new { w.WatershedCode, w.Name }).IsUnique();
        });

        model.Entity<RecipientPreferences>(e =>
        {
            e.ToTable("recipient_preferences");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.WatershedCode).HasMaxLength(40);
            EnumList(e.Property(p => p.Channels));
            EnumList(e.Property(p => p.MutedKinds));
            e.Ignore(p => p.Recipient);
            e.Ignore(p => p.Choices);

            // One set per recipient and watershed: two first SetPreferences at once cannot both insert.
            e.HasIndex(p => new { p.WatershedCode, p.RecipientKind, p.RecipientId }).IsUnique();
        });

        model.Entity<Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.HasKey(d => d.Id);
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.WatershedCode).HasMaxLength(40);
            e.Property(d => d.EventId).HasMaxLength(100);
            e.Property(d => d.EventType).HasMaxLength(200);
            e.Property(d => d.Address).HasMaxLength(WatcherDetails.MaxUrlLength);
            e.Property(d => d.Subject).HasMaxLength(1000);
            e.Property(d => d.FailureReason).HasMaxLength(1000);
            e.Property(d => d.TraceParent).HasMaxLength(55);
            e.Ignore(d => d.Recipient);
            e.Ignore(d => d.IsOpenDigest);
            e.HasMany(d => d.DigestItems).WithOne().HasForeignKey(i => i.DeliveryId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(d => d.DigestItems).UsePropertyAccessMode(PropertyAccessMode.Field);

            // Never the same (event, recipient, channel) twice.
            e.HasIndex(d => new { d.EventId, d.RecipientKind, d.RecipientId, d.Channel }).IsUnique();

            // The dispatcher's queue: only entries waiting to be sent are in it.
            e.HasIndex(d => new { d.NextAttemptAt, d.Id }).HasFilter("\"NextAttemptAt\" IS NOT NULL").HasDatabaseName("ix_deliveries_due");
            e.HasIndex(d => d.SendingSince).HasFilter("\"SendingSince\" IS NOT NULL").HasDatabaseName("ix_deliveries_sending");

            // The log's lists: newest first within a watershed, by event, recipient or state.
            e.HasIndex(d => new { d.WatershedCode, d.CreatedAt, d.Id });
            e.HasIndex(d => new { d.WatershedCode, d.EventId, d.CreatedAt, d.Id });
            e.HasIndex(d => new { d.WatershedCode, d.RecipientKind, d.RecipientId, d.CreatedAt, d.Id });
            e.HasIndex(d => new { d.WatershedCode, d.State, d.CreatedAt, d.Id });
        });

        model.Entity<DigestItem>(e =>
        {
            e.ToTable("delivery_digest_items");
            e.HasKey(i => new { i.DeliveryId, i.EventId });
            e.Property(i => i.EventId).HasMaxLength(100);
            e.Property(i => i.RoundName).HasMaxLength(200);
        });
    }

    /// <summary>A short list of enum values as their numbers, e.g. "1,3".</summary>
    private static void EnumList<T>(PropertyBuilder<IReadOnlyList<T>> property)
        where T : struct, Enum
    {
        property.HasConversion(
            new ValueConverter<IReadOnlyList<T>, string>(
                list => string.Join(",", list.Select(x => Convert.ToInt32(x, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture))),
                text => text.Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(x => (T)Enum.ToObject(typeof(T), int.Parse(x, CultureInfo.InvariantCulture))).ToList()),
            new ValueComparer<IReadOnlyList<T>>(
                (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                list => list.Aggregate(0, (h, x) => HashCode.Combine(h, x)),
                list => list.ToList()))
            .HasMaxLength(100);
    }
}
