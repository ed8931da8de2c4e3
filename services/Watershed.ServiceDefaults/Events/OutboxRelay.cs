using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dapr.Client;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using System.Data.Common;

namespace Watershed.ServiceDefaults.Events;

/// <summary>Events: pub/sub component name, how often the relay looks without being woken, and whether it runs.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>The Dapr pub/sub component every Watershed event goes through.</summary>
    public string PubsubName { get; set; } = "pubsub";

    /// <summary>False where nothing should publish (API tests without a sidecar); rows then wait in the outbox.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>A commit wakes the relay at once; this is only the fallback for rows other replicas left or failures to retry.</summary>
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(2);

    public int BatchSize { get; set; } = 50;
}

public static class Outbox
{
    /// <summary>Adds an event to the outbox; it is committed with the rest of the unit of work or not at all.</summary>
    public static OutboxMessage AddEvent(this DbContext db, IMessage message, string subject, DateTimeOffset now)
    {
        var row = OutboxMessage.For(message, subject, now);
        db.Set<OutboxMessage>().Add(row);
        return row;
    }
}

/// <summary>Wakes the relay; set after a commit that wrote outbox rows.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: one wake-up reads every committed row.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Wakes the relay when outbox rows are committed: after SaveChanges outside a transaction, or after the commit
/// of the transaction that saved them. Waking earlier would find nothing, since the rows are not yet visible.
/// </summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, object> PendingInTransaction = [];

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        WakeIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        WakeIfCommitted(eventData.Context);
        return result;
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    private static readonly object Marker = new();

    private static void Note(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            PendingInTransaction.AddOrUpdate(context, Marker);
        }
    }

    private void WakeIfCommitted(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null && PendingInTransaction.Remove(context))
        {
            signal.Set();
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && PendingInTransaction.Remove(context))
        {
            signal.Set();
        }
    }
}

/// <summary>Publishes one outbox row; the Dapr implementation is the real one, tests may count calls on top of it.</summary>
public interface IEventSender
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>Publishes through the Dapr sidecar as a structured CloudEvent, so the event keeps its id, type, subject and trace.</summary>
public sealed class DaprEventSender(DaprClient dapr, IOptions<EventOptions> options, ServiceIdentity service) : IEventSender
{
    public async Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        // The publish continues the trace of the request that changed the state (its context was stored with the row),
        // so one trace runs from that request through the sidecar to every subscriber, however late the relay runs.
        var parent = ActivityContext.TryParse(message.TraceParent, null, out var stored) ? stored : default;
        Activity.Current = null;
        using var activity = EventTelemetry.Source.StartActivity($"{message.Topic} publish", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "dapr");
        activity?.SetTag("messaging.destination.name", message.Topic);
        activity?.SetTag("messaging.message.id", message.Id.ToString());
        await dapr.PublishByteEventAsync(options.Value.PubsubName, message.Topic, CloudEvents.Serialize(message, service.Name),
            CloudEvents.ContentType, cancellationToken: ct);
    }
}

/// <summary>The events library's spans (publish, process); every service's tracing listens to this source.</summary>
public static class EventTelemetry
{
    public const string SourceName = "Watershed.Events";

    public static readonly ActivitySource Source = new(SourceName);
}

/// <summary>
/// Publishes committed outbox rows, oldest first, and marks them sent in the transaction that locked them. One
/// row per subject at a time: a row is taken only when no older row of its subject is unsent, so events about
/// one object keep their order. On PostgreSQL rows are taken with FOR UPDATE SKIP LOCKED, so replicas share the
/// work and never publish a row twice at once; a publish that succeeded just before a crash is published again
/// after the restart (at least once), with the same id, which consumers deduplicate.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IEventSender sender,
    TimeProvider clock,
    IOptions<EventOptions> options,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    private readonly ResiliencePipeline _publish = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
        })
        .AddTimeout(TimeSpan.FromSeconds(5))
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled || !HasOutbox())
        {
            return;
        }

        // Rows committed before a restart go out first.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RelayBatchAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRelayFailed(logger, ex);
            }

            try
            {
                await signal.WaitAsync(options.Value.IdlePoll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A service that only consumes events maps no outbox: there is nothing to relay.</summary>
    private bool HasOutbox()
    {
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetRequiredService<TContext>().Model.FindEntityType(typeof(OutboxMessage)) is not null;
    }

    /// <summary>Publishes one batch; returns how many rows were sent (0 when nothing was ready).</summary>
    public async Task<int> RelayBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var rows = await ReadyRowsAsync(db, now, ct);
            var sent = 0;
            foreach (var row in rows)
            {
                try
                {
                    await _publish.ExecuteAsync(async token => await sender.SendAsync(row, token), ct);
                    row.MarkSent(clock.GetUtcNow());
                    sent++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    row.MarkFailed(clock.GetUtcNow());
                    LogPublishFailed(logger, ex, row.Id, row.Topic, row.Attempts);
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return sent;
        });
    }

    private async Task<List<OutboxMessage>> ReadyRowsAsync(TContext db, DateTimeOffset now, CancellationToken ct)
    {
        var batch = options.Value.BatchSize;
        if (db.Database.IsNpgsql())
        {
            return await db.Set<OutboxMessage>().FromSql($"""
                SELECT * FROM outbox_messages o
                WHERE o."SentAt" IS NULL AND (o."NextAttemptAt" IS NULL OR o."NextAttemptAt" <= {now})
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages p
                                  WHERE p."Subject" = o."Subject" AND p."SentAt" IS NULL AND p."Sequence" < o."Sequence")
                ORDER BY o."Sequence"
                LIMIT {batch}
                FOR UPDATE SKIP LOCKED
                """).AsTracking().ToListAsync(ct);
        }

        // SQLite is the single-process local default: its write lock serialises relays, no row locks needed.
        var rows = db.Set<OutboxMessage>();
        return await rows
            .Where(o => o.SentAt == null && (o.NextAttemptAt == null || o.NextAttemptAt <= now)
                && !rows.Any(p => p.Subject == o.Subject && p.SentAt == null && p.Sequence < o.Sequence))
            .OrderBy(o => o.Sequence)
            .Take(batch)
            .ToListAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing event {EventId} on {Topic} failed (attempt {Attempts}); it stays in the outbox")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, Guid eventId, string topic, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox relay failed; it tries again")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}
