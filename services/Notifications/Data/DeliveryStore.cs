using Microsoft.EntityFrameworkCore;
using Watershed.Notifications.Domain;

namespace Watershed.Notifications.Data;

/// <summary>Loading and locking deliveries for the handlers and the dispatcher; it never decides.</summary>
public static class DeliveryStore
{
    /// <summary>
    /// Takes up to <paramref name="batch"/> entries whose time has come and locks them for this transaction: on
    /// PostgreSQL FOR UPDATE SKIP LOCKED, so replicas share the queue and never take the same entry; SQLite (one
    /// local process) serialises writers with its database lock.
    /// </summary>
    public static async Task<List<Delivery>> TakeDueAsync(this NotificationsDbContext db, DateTimeOffset now, int batch, CancellationToken ct)
    {
        List<Delivery> due;
        if (db.Database.IsNpgsql())
        {
            due = await db.Deliveries.FromSql($"""
                SELECT * FROM deliveries
                WHERE "NextAttemptAt" IS NOT NULL AND "NextAttemptAt" <= {now}
                ORDER BY "NextAttemptAt", "Id"
                LIMIT {batch}
                FOR UPDATE SKIP LOCKED
                """).AsTracking().ToListAsync(ct);
        }
        else
        {
            due = await db.Deliveries
                .Where(d => d.NextAttemptAt != null && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Take(batch).ToListAsync(ct);
        }

        var digests = due.Where(d => d.IsDigest).Select(d => d.Id).ToList();
        if (digests.Count > 0)
        {
            await db.DigestItems.Where(i => digests.Contains(i.DeliveryId)).LoadAsync(ct);
        }

        return due;
    }

    /// <summary>When the next waiting entry is due; null when none waits.</summary>
    public static Task<DateTimeOffset?> NextDueAsync(this NotificationsDbContext db, CancellationToken ct) =>
        db.Deliveries.AsNoTracking().Where(d => d.NextAttemptAt != null)
            .OrderBy(d => d.NextAttemptAt).Select(d => d.NextAttemptAt).FirstOrDefaultAsync(ct);

    /// <summary>Entries still marked sending since before <paramref name="since"/>.</summary>
    public static Task<List<Delivery>> SendingSinceBeforeAsync(this NotificationsDbContext db, DateTimeOffset since, CancellationToken ct) =>
        db.Deliveries.Where(d => d.SendingSince != null && d.SendingSince < since).ToListAsync(ct);

    /// <summary>
    /// The digest of one recipient, channel and span, locked for this transaction (FOR UPDATE on PostgreSQL, the
    /// write lock on SQLite), with what it collected; null when there is none yet.
    /// </summary>
    public static async Task<Delivery?> DigestForUpdateAsync(this NotificationsDbContext db, string digestEventId, RecipientRef recipient, Channel channel, CancellationToken ct)
    {
        var id = await db.Deliveries.AsNoTracking()
            .Where(d => d.EventId == digestEventId && d.RecipientKind == recipient.Kind && d.RecipientId == recipient.Id && d.Channel == channel)
            .Select(d => (Guid?)d.Id).SingleOrDefaultAsync(ct);
        if (id is null)
        {
            return null;
        }

        var digest = await ServiceDefaults.Data.Transactions.LoadForUpdateAsync<Delivery>(db, id.Value, "delivery", ct);
        await db.Entry(digest).Collection(d => d.DigestItems).LoadAsync(ct);
        return digest;
    }
}
