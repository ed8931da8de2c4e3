using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Watershed.DevSidecar.PubSub;

/// <summary>Deliveries to one app of one topic go one at a time, in publish order.</summary>
internal readonly record struct Lane(string AppId, string Pubsub, string Topic);

internal sealed record SubscriptionRecord(string AppId, string Pubsub, string Topic, string? DeadLetterTopic, string Path, bool Declared);

internal sealed record PendingDelivery(long EventSeq, string EventId, Lane Lane, int Attempts, string CloudEvent, string Path, string? DeadLetterTopic);

internal sealed record StoredEvent(long Seq, string Pubsub, string Topic, string StoredAt, string CloudEvent);

internal sealed record DeliveryRecord(long EventSeq, string EventId, string AppId, string Pubsub, string Topic, string State, int Attempts, string? Outcome, string UpdatedAt);

internal static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";

    public static bool IsKnown(string? state) => state is Pending or Delivered or Dead;
}

/// <summary>
/// The durable broker: events, the subscriptions they fan out to and one delivery row per subscriber, in one
/// SQLite file. A publish is committed (WAL, synchronous=NORMAL) before the caller hears OK, so a killed sidecar
/// loses no accepted event and a restart resumes every pending delivery. NORMAL skips the fsync per commit (about
/// 4 ms each here, twice per event): only a power cut or an OS crash could lose the last commits, which a
/// development stand-in may; a production broker is Dapr's component, not this. One connection behind a gate: a development
/// sidecar's load needs no more, and SQLite would serialise the writes anyway.
/// </summary>
internal sealed class EventStore : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL,
            pubsub TEXT NOT NULL,
            topic TEXT NOT NULL,
            cloud_event TEXT NOT NULL,
            stored_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS events_by_topic ON events (pubsub, topic, seq);
        CREATE TABLE IF NOT EXISTS subscriptions (
            app_id TEXT NOT NULL,
            pubsub TEXT NOT NULL,
            topic TEXT NOT NULL,
            dead_letter_topic TEXT,
            path TEXT NOT NULL,
            declared INTEGER NOT NULL,
            PRIMARY KEY (app_id, pubsub, topic));
        CREATE INDEX IF NOT EXISTS subscriptions_by_topic ON subscriptions (pubsub, topic);
        CREATE TABLE IF NOT EXISTS deliveries (
            event_seq INTEGER NOT NULL REFERENCES events (seq),
            app_id TEXT NOT NULL,
            pubsub TEXT NOT NULL,
            topic TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
            attempts INTEGER NOT NULL,
            outcome TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (app_id, event_seq));
        CREATE INDEX IF NOT EXISTS deliveries_by_lane ON deliveries (app_id, pubsub, topic, state, event_seq);
        CREATE INDEX IF NOT EXISTS deliveries_by_state ON deliveries (state, event_seq);
        """;

    private readonly SqliteConnection _db;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _clock;

    public EventStore(IOptions<SidecarOptions> options, TimeProvider clock)
    {
        _clock = clock;
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);

        // Unpooled, so that disposing releases the file for the next sidecar on the same directory.
        var file = Path.Combine(directory, "sidecar.db");
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        _db.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;" + Schema);
    }

    /// <summary>Stores the event and a pending delivery for every subscription of its topic; returns the lanes to wake.</summary>
    public Task<IReadOnlyList<Lane>> PublishAsync(string pubsub, string topic, string eventId, string cloudEvent, CancellationToken ct) =>
        LockedAsync<IReadOnlyList<Lane>>(() =>
        {
            using var transaction = _db.BeginTransaction();
            var lanes = Insert(pubsub, topic, eventId, cloudEvent);
            transaction.Commit();
            return lanes;
        }, ct);

    /// <summary>The app's current list replaces what it said before; a declared subscription of the same topic wins.</summary>
    public Task ReplaceDiscoveredAsync(string appId, IReadOnlyList<SubscriptionRecord> subscriptions, CancellationToken ct) =>
        LockedAsync(() =>
        {
            using var transaction = _db.BeginTransaction();
            Execute("DELETE FROM subscriptions WHERE app_id = $app AND declared = 0", ("$app", appId));
            foreach (var subscription in subscriptions)
            {
                Save(subscription, "INSERT OR IGNORE");
            }

            transaction.Commit();
            return true;
        }, ct);

    public Task ReplaceDeclaredAsync(IReadOnlyList<SubscriptionRecord> subscriptions, CancellationToken ct) =>
        LockedAsync(() =>
        {
            using var transaction = _db.BeginTransaction();
            Execute("DELETE FROM subscriptions WHERE declared = 1");
            foreach (var subscription in subscriptions)
            {
                Save(subscription, "INSERT OR REPLACE");
            }

            transaction.Commit();
            return true;
        }, ct);

    public Task<IReadOnlyList<SubscriptionRecord>> SubscriptionsAsync(CancellationToken ct) =>
        LockedAsync<IReadOnlyList<SubscriptionRecord>>(() => Query(
            "SELECT app_id, pubsub, topic, dead_letter_topic, path, declared FROM subscriptions ORDER BY app_id, pubsub, topic",
            r => new SubscriptionRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetInt64(5) == 1)), ct);

    public Task<IReadOnlyList<Lane>> PendingLanesAsync(CancellationToken ct) =>
        LockedAsync<IReadOnlyList<Lane>>(() => Query(
            "SELECT DISTINCT app_id, pubsub, topic FROM deliveries WHERE state = 'pending'",
            r => new Lane(r.GetString(0), r.GetString(1), r.GetString(2))), ct);

    /// <summary>The oldest pending delivery of the lane, with the subscription's current route and dead-letter topic.</summary>
    public Task<PendingDelivery?> NextPendingAsync(Lane lane, CancellationToken ct) =>
        LockedAsync(() => Query(
            """
            SELECT d.event_seq, e.event_id, d.attempts, e.cloud_event, COALESCE(s.path, ''), s.dead_letter_topic
            FROM deliveries d
            JOIN events e ON e.seq = d.event_seq
            LEFT JOIN subscriptions s ON s.app_id = d.app_id AND s.pubsub = d.pubsub AND s.topic = d.topic
            WHERE d.app_id = $app AND d.pubsub = $pubsub AND d.topic = $topic AND d.state = 'pending'
            ORDER BY d.event_seq
            LIMIT 1
            """,
            r => new PendingDelivery(r.GetInt64(0), r.GetString(1), lane, r.GetInt32(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)),
            ("$app", lane.AppId), ("$pubsub", lane.Pubsub), ("$topic", lane.Topic)).FirstOrDefault(), ct);

    /// <summary>Counts a failed attempt and returns how many there have been.</summary>
    public Task<int> RecordFailedAttemptAsync(PendingDelivery delivery, string outcome, CancellationToken ct) =>
        LockedAsync(() => Query(
            "UPDATE deliveries SET attempts = attempts + 1, outcome = $outcome, updated_at = $now WHERE app_id = $app AND event_seq = $seq RETURNING attempts",
            r => r.GetInt32(0),
            ("$outcome", outcome), ("$now", Now()), ("$app", delivery.Lane.AppId), ("$seq", delivery.EventSeq)).Single(), ct);

    public Task FinishAsync(PendingDelivery delivery, string state, int attempts, string outcome, CancellationToken ct) =>
        LockedAsync(() => Finish(delivery, state, attempts, outcome), ct);

    /// <summary>
    /// Marks the delivery dead and publishes its CloudEvent, unchanged, on the dead-letter topic, in one
    /// transaction; returns the lanes to wake.
    /// </summary>
    public Task<IReadOnlyList<Lane>> DeadLetterAsync(PendingDelivery delivery, string deadLetterTopic, int attempts, string outcome, CancellationToken ct) =>
        LockedAsync<IReadOnlyList<Lane>>(() =>
        {
            using var transaction = _db.BeginTransaction();
            Finish(delivery, DeliveryStates.Dead, attempts, outcome);
            var lanes = Insert(delivery.Lane.Pubsub, deadLetterTopic, delivery.EventId, delivery.CloudEvent);
            transaction.Commit();
            return lanes;
        }, ct);

    /// <summary>The newest <paramref name="limit"/> events of a topic, oldest first.</summary>
    public Task<IReadOnlyList<StoredEvent>> TopicEventsAsync(string pubsub, string topic, int limit, CancellationToken ct) =>
        LockedAsync<IReadOnlyList<StoredEvent>>(() => Query(
            """
            SELECT seq, pubsub, topic, stored_at, cloud_event FROM (
                SELECT * FROM events WHERE pubsub = $pubsub AND topic = $topic ORDER BY seq DESC LIMIT $limit)
            ORDER BY seq
            """,
            r => new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)),
            ("$pubsub", pubsub), ("$topic", topic), ("$limit", limit)), ct);

    /// <summary>The newest <paramref name="limit"/> deliveries in a state, oldest first.</summary>
    public Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string state, int limit, CancellationToken ct) =>
        LockedAsync<IReadOnlyList<DeliveryRecord>>(() => Query(
            """
            SELECT d.event_seq, e.event_id, d.app_id, d.pubsub, d.topic, d.state, d.attempts, d.outcome, d.updated_at FROM (
                SELECT * FROM deliveries WHERE state = $state ORDER BY event_seq DESC LIMIT $limit) d
            JOIN events e ON e.seq = d.event_seq
            ORDER BY d.event_seq, d.app_id
            """,
            r => new DeliveryRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8)),
            ("$state", state), ("$limit", limit)), ct);

    public void Dispose()
    {
        _db.Dispose();
        _gate.Dispose();
    }

    private List<Lane> Insert(string pubsub, string topic, string eventId, string cloudEvent)
    {
        var seq = Query(
            "INSERT INTO events (event_id, pubsub, topic, cloud_event, stored_at) VALUES ($id, $pubsub, $topic, $event, $now) RETURNING seq",
            r => r.GetInt64(0),
            ("$id", eventId), ("$pubsub", pubsub), ("$topic", topic), ("$event", cloudEvent), ("$now", Now())).Single();
        return Query(
            """
            INSERT INTO deliveries (event_seq, app_id, pubsub, topic, state, attempts, updated_at)
            SELECT $seq, app_id, pubsub, topic, 'pending', 0, $now FROM subscriptions WHERE pubsub = $pubsub AND topic = $topic
            RETURNING app_id
            """,
            r => new Lane(r.GetString(0), pubsub, topic),
            ("$seq", seq), ("$now", Now()), ("$pubsub", pubsub), ("$topic", topic));
    }

    private bool Finish(PendingDelivery delivery, string state, int attempts, string outcome) =>
        Execute(
            "UPDATE deliveries SET state = $state, attempts = $attempts, outcome = $outcome, updated_at = $now WHERE app_id = $app AND event_seq = $seq",
            ("$state", state), ("$attempts", attempts), ("$outcome", outcome), ("$now", Now()), ("$app", delivery.Lane.AppId), ("$seq", delivery.EventSeq)) == 1;

    private void Save(SubscriptionRecord subscription, string insert) =>
        Execute(
            $"{insert} INTO subscriptions (app_id, pubsub, topic, dead_letter_topic, path, declared) VALUES ($app, $pubsub, $topic, $dlt, $path, $declared)",
            ("$app", subscription.AppId), ("$pubsub", subscription.Pubsub), ("$topic", subscription.Topic),
            ("$dlt", (object?)subscription.DeadLetterTopic ?? DBNull.Value), ("$path", subscription.Path), ("$declared", subscription.Declared ? 1 : 0));

    private string Now() => _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private async Task<T> LockedAsync<T>(Func<T> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = _db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
