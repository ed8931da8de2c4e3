using Microsoft.EntityFrameworkCore;

namespace Watershed.ServiceDefaults.Events;

/// <summary>Maps the outbox, inbox and dead-letter tables into a service's own DbContext (call from OnModelCreating).</summary>
public static class EventModel
{
    /// <summary>The longest event id the inbox and the dead letters record (a UUID has 36 characters).</summary>
    public const int EventIdMaxLength = 100;

    /// <summary>The length of the topic, type, source and subject columns.</summary>
    public const int NameMaxLength = 200;

    public static ModelBuilder AddOutbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Sequence);
            e.Property(m => m.Sequence).ValueGeneratedOnAdd();
            e.HasIndex(m => m.Id).IsUnique();
            e.Property(m => m.Topic).HasMaxLength(200);
            e.Property(m => m.Type).HasMaxLength(200);
            e.Property(m => m.Subject).HasMaxLength(200);
            e.Property(m => m.TraceParent).HasMaxLength(55);
            e.Property(m => m.TraceState).HasMaxLength(512);

            // The relay looks for the oldest unsent row of each subject; sent rows drop out of the index.
            e.HasIndex(m => new { m.Subject, m.Sequence }).HasFilter("\"SentAt\" IS NULL").HasDatabaseName("ix_outbox_messages_unsent");
        });
        return model;
    }

    public static ModelBuilder AddInbox(this ModelBuilder model)
    {
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.Consumer, m.EventId });
            e.Property(m => m.Consumer).HasMaxLength(200);
            e.Property(m => m.EventId).HasMaxLength(EventIdMaxLength);
        });
        model.Entity<DeadLetter>(e =>
        {
            e.ToTable("dead_letters");
            e.HasKey(m => m.Sequence);
            e.Property(m => m.Sequence).ValueGeneratedOnAdd();
            e.HasIndex(m => m.EventId).IsUnique();
            e.Property(m => m.EventId).HasMaxLength(EventIdMaxLength);
            e.Property(m => m.Topic).HasMaxLength(NameMaxLength);
            e.Property(m => m.Type).HasMaxLength(NameMaxLength);
            e.Property(m => m.Source).HasMaxLength(NameMaxLength);
            e.Property(m => m.Subject).HasMaxLength(NameMaxLength);
        });
        return model;
    }
}
