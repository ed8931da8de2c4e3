using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Watershed.DevSidecar.PubSub;

/// <summary>
/// Runs one worker per lane (app, pubsub, topic): each takes its lane's oldest pending delivery, delivers it and
/// settles it before the next, so an app sees a topic's events in publish order while other apps and topics go on
/// independently. A publish wakes its lanes at once; at start every lane with pending deliveries is resumed.
/// </summary>
internal sealed partial class DeliveryDispatcher(
    EventStore store,
    EventDeliverer deliverer,
    SubscriptionDiscovery discovery,
    IOptions<SidecarOptions> options,
    TimeProvider clock,
    ILogger<DeliveryDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan PauseAfterFault = TimeSpan.FromSeconds(1);

    private readonly Channel<Lane> _wakeups = Channel.CreateUnbounded<Lane>(new UnboundedChannelOptions { SingleReader = true });

    // Touched only by the ExecuteAsync loop.
    private readonly Dictionary<Lane, LaneWorker> _lanes = [];

    public void Wake(IEnumerable<Lane> lanes)
    {
        foreach (var lane in lanes)
        {
            _wakeups.Writer.TryWrite(lane);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Wake(await store.PendingLanesAsync(stoppingToken));
            await foreach (var lane in _wakeups.Reader.ReadAllAsync(stoppingToken))
            {
                if (!_lanes.TryGetValue(lane, out var worker))
                {
                    worker = new LaneWorker();
                    worker.Run = Task.Run(() => RunLaneAsync(lane, worker, stoppingToken), CancellationToken.None);
                    _lanes.Add(lane, worker);
                }

                worker.Signal();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the lanes see the same token.
        }
        finally
        {
            await Task.WhenAll(_lanes.Values.Select(worker => worker.Run));
        }
    }

    private async Task RunLaneAsync(Lane lane, LaneWorker worker, CancellationToken stop)
    {
        var waitingForApp = false;
        while (!stop.IsCancellationRequested)
        {
            var pause = TimeSpan.Zero;
            try
            {
                var delivery = await store.NextPendingAsync(lane, stop);
                if (delivery is null)
                {
                    await worker.WaitAsync(stop);
                    continue;
                }

                var outcome = await deliverer.DeliverAsync(delivery, stop);
                if (outcome.Result == DeliveryResult.Unreachable)
                {
                    if (!waitingForApp)
                    {
                        waitingForApp = true;
                        discovery.MarkUnreached(lane.AppId);
                        LogWaitingForApp(logger, lane.AppId, lane.Topic, outcome.Detail, options.Value.UnreachableRetryDelay);
                    }

                    pause = options.Value.UnreachableRetryDelay;
                }
                else
                {
                    if (waitingForApp)
                    {
                        waitingForApp = false;
                        LogAppBack(logger, lane.AppId, lane.Topic);
                    }

                    pause = await SettleAsync(delivery, outcome, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLaneFault(logger, ex, lane.AppId, lane.Pubsub, lane.Topic);
                pause = PauseAfterFault;
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, clock, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Records the outcome; returns how long the lane waits before its next delivery (a retry's backoff).</summary>
    private async Task<TimeSpan> SettleAsync(PendingDelivery delivery, DeliveryOutcome outcome, CancellationToken stop)
    {
        var lane = delivery.Lane;
        var attempt = delivery.Attempts + 1;
        switch (outcome.Result)
        {
            case DeliveryResult.Delivered:
                await store.FinishAsync(delivery, DeliveryStates.Delivered, attempt, outcome.Detail, stop);
                LogDelivered(logger, delivery.EventId, lane.Pubsub, lane.Topic, lane.AppId, attempt);
                return TimeSpan.Zero;

            case DeliveryResult.Discard:
                await store.FinishAsync(delivery, DeliveryStates.Dead, attempt, $"{outcome.Detail}: dropped", stop);
                LogDiscarded(logger, delivery.EventId, lane.Topic, lane.AppId);
                return TimeSpan.Zero;

            case DeliveryResult.Drop:
                await DeadAsync(delivery, attempt, outcome.Detail, stop);
                return TimeSpan.Zero;

            default:
                var attempts = await store.RecordFailedAttemptAsync(delivery, outcome.Detail, stop);
                if (attempts >= options.Value.MaxAttempts)
                {
                    await DeadAsync(delivery, attempts, $"{outcome.Detail} on the last of {attempts} attempts", stop);
                    return TimeSpan.Zero;
                }

                var backoff = options.Value.BackoffAfter(attempts);
                LogRetrying(logger, delivery.EventId, lane.Topic, lane.AppId, outcome.Detail, attempts, backoff);
                return backoff;
        }
    }

    /// <summary>To the subscription's dead-letter topic as a new event with the same CloudEvent, or dropped.</summary>
    private async Task DeadAsync(PendingDelivery delivery, int attempts, string reason, CancellationToken stop)
    {
        var lane = delivery.Lane;
        if (delivery.DeadLetterTopic is { Length: > 0 } deadLetterTopic)
        {
            Wake(await store.DeadLetterAsync(delivery, deadLetterTopic, attempts, $"{reason}: sent to {deadLetterTopic}", stop));
            LogDeadLettered(logger, delivery.EventId, lane.Topic, lane.AppId, reason, deadLetterTopic);
        }
        else
        {
            await store.FinishAsync(delivery, DeliveryStates.Dead, attempts, $"{reason}: dropped, no dead-letter topic", stop);
            LogDropped(logger, delivery.EventId, lane.Topic, lane.AppId, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered event {EventId} on {Pubsub}/{Topic} to {AppId} (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string eventId, string pubsub, string topic, string appId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} on {Topic} to {AppId}: {Outcome} on attempt {Attempt}; next attempt in {Backoff}")]
    private static partial void LogRetrying(ILogger logger, string eventId, string topic, string appId, string outcome, int attempt, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} on {Topic} to {AppId}: {Reason}; sent to the dead-letter topic {DeadLetterTopic}")]
    private static partial void LogDeadLettered(ILogger logger, string eventId, string topic, string appId, string reason, string deadLetterTopic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} on {Topic} to {AppId}: {Reason}; dropped, the subscription has no dead-letter topic")]
    private static partial void LogDropped(ILogger logger, string eventId, string topic, string appId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} on {Topic} dropped: {AppId} answered UNIMPLEMENTED")]
    private static partial void LogDiscarded(ILogger logger, string eventId, string topic, string appId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{AppId} does not answer ({Detail}); its deliveries on {Topic} wait and are tried every {Delay}")]
    private static partial void LogWaitingForApp(ILogger logger, string appId, string topic, string detail, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "{AppId} answers again; its deliveries on {Topic} resume")]
    private static partial void LogAppBack(ILogger logger, string appId, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deliveries to {AppId} on {Pubsub}/{Topic} failed; trying again")]
    private static partial void LogLaneFault(ILogger logger, Exception exception, string appId, string pubsub, string topic);

    private sealed class LaneWorker
    {
        // One pending wake-up is enough: the worker reads the store for all that is pending.
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public Task Run { get; set; } = Task.CompletedTask;

        public void Signal() => _signal.Writer.TryWrite(true);

        public async Task WaitAsync(CancellationToken ct) => await _signal.Reader.ReadAsync(ct);
    }
}
