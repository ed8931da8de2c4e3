using System.Diagnostics;
using Microsoft.Extensions.Options;
using Watershed.Notifications.Data;
using Watershed.Notifications.Domain;
using Watershed.Notifications.Domain.Messages;
using Watershed.ServiceDefaults.Data;

namespace Watershed.Notifications.Sending;

/// <summary>
/// Sends the delivery log's entries whose time has come. Each entry is marked SENDING (its attempt counted) and
/// committed just before it leaves — only as many as are sent at once — so two dispatchers (replicas) never send the
/// same entry and a process that dies leaves no waiting entry marked. If the process dies between a send and its
/// mark, the entry stays SENDING; after the send lease an SMS or e-mail is marked FAILED "outcome unknown" and not
/// retried (neither channel can recognise a repeat: at most once, so nobody gets a message twice, at the price of
/// one that may be lost — the log shows which), while a webhook is sent again (its body is the CloudEvent, whose id
/// lets the receiver recognise a repeat). Failures with a known outcome are retried with exponential backoff up to
/// the configured attempts. A commit of new deliveries wakes it; otherwise it sleeps
/// until the next entry is due (a deferred one, a digest, a retry) or the idle poll.
/// </summary>
public sealed partial class DeliveryDispatcher(
    IServiceScopeFactory scopes,
    DeliverySignal signal,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    NotificationsTelemetry telemetry,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatcherEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                while (await DispatchDueAsync(stoppingToken) > 0)
                {
                }

                await using var scope = scopes.CreateAsyncScope();
                next = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().NextDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDispatchFailed(logger, ex);
            }

            var wait = options.Value.IdlePoll;
            if (next is { } due && due - clock.GetUtcNow() < wait)
            {
                wait = due - clock.GetUtcNow();
            }

            if (wait <= TimeSpan.Zero)
            {
                continue;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                await Task.WhenAny(signal.WaitAsync(Timeout.InfiniteTimeSpan, wake.Token), Task.Delay(wait, clock, wake.Token));
            }
            finally
            {
                await wake.CancelAsync();
            }
        }
    }

    /// <summary>Recovers interrupted sends, then sends one batch of due entries; returns how many it attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var zone = settings.Zone();
        await RecoverInterruptedAsync(ct);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var templates = new MessageTemplates(zone);
        var taken = await db.InTransactionAsync(async token =>
        {
            var now = clock.GetUtcNow();
            var due = await db.TakeDueAsync(now, settings.SendConcurrency, token);
            foreach (var delivery in due)
            {
                delivery.StartAttempt(now, templates);
            }

            await db.SaveChangesAsync(token);
            return due;
        }, ct);

        await Parallel.ForEachAsync(taken, new ParallelOptions { MaxDegreeOfParallelism = settings.SendConcurrency, CancellationToken = ct },
            async (delivery, token) => await SendOneAsync(delivery.Id, delivery, token));
        return taken.Count;
    }

    private async Task SendOneAsync(Guid id, Delivery taken, CancellationToken ct)
    {
        // The send continues the trace of the event that queued it (stored with the entry), however late it runs.
        Activity.Current = null;
        using var activity = telemetry.Source.StartActivity("SendDelivery", ActivityKind.Internal,
            ActivityContext.TryParse(taken.TraceParent, null, out var parent) ? parent : default);
        activity?.SetTag("delivery.id", id.ToString());
        activity?.SetTag("delivery.channel", taken.Channel.ToString());
        activity?.SetTag("event.id", taken.EventId);

        SendOutcome outcome;
        try
        {
            await using var sendScope = scopes.CreateAsyncScope();
            outcome = await sendScope.ServiceProvider.GetRequiredService<IDeliverySender>().SendAsync(taken, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(logger, ex, id);
            outcome = SendOutcome.Retry($"unexpected failure ({ex.GetType().Name})");
        }

        // The mark must land even when the service is stopping: the message may already be out.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var delivery = await db.Deliveries.FindAsync([id], CancellationToken.None)
            ?? throw new InvalidOperationException($"Delivery {id} disappeared while it was being sent.");
        var now = clock.GetUtcNow();
        if (outcome.Sent)
        {
            delivery.MarkSent(now);
            telemetry.Sent(delivery.WatershedCode, delivery.Channel, delivery.Kind);
        }
        else
        {
            var settings = options.Value;
            delivery.MarkFailed(outcome.Reason, outcome.Retryable, now, settings.Retry(), settings.Zone());
            telemetry.Failed(delivery.WatershedCode, delivery.Channel, delivery.Kind, final: delivery.NextAttemptAt is null);
            LogAttemptFailed(logger, id, delivery.Channel, delivery.Attempts, delivery.NextAttemptAt is null);
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task RecoverInterruptedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.GetUtcNow();
        var stale = await db.SendingSinceBeforeAsync(now - options.Value.SendLease, ct);
        foreach (var delivery in stale)
        {
            delivery.MarkInterrupted(now, options.Value.Retry(), options.Value.Zone());
            telemetry.Failed(delivery.WatershedCode, delivery.Channel, delivery.Kind, final: delivery.NextAttemptAt is null);
            LogInterrupted(logger, delivery.Id);
        }

        if (stale.Count > 0)
        {
            await db.SaveChangesAsync(ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The delivery dispatcher failed; it tries again")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending delivery {DeliveryId} failed unexpectedly")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} on {Channel} failed (attempt {Attempts}, final {Final})")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, Channel channel, int attempts, bool final);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} was still sending after the lease: an SMS or e-mail is marked failed with an unknown outcome, a webhook is sent again")]
    private static partial void LogInterrupted(ILogger logger, Guid deliveryId);
}
