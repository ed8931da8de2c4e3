using System.Collections.Concurrent;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Watershed.DevSidecar.Grpc;

namespace Watershed.DevSidecar.PubSub;

/// <summary>
/// Learns each app's subscriptions as daprd does for an app with app protocol grpc: by calling its
/// AppCallback/ListTopicSubscriptions. An app not reached yet, or one whose deliveries found it gone, is asked
/// again every <see cref="SidecarOptions.DiscoveryInterval"/>. What an app said is stored, so its events are kept
/// for it while it is down, across sidecar restarts too.
/// </summary>
internal sealed partial class SubscriptionDiscovery(
    AppChannels apps,
    EventStore store,
    IOptions<SidecarOptions> options,
    TimeProvider clock,
    ILogger<SubscriptionDiscovery> logger) : BackgroundService
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, AppState> _apps = new(StringComparer.Ordinal);

    private enum AppState
    {
        Unknown,
        Reached,
        Unreachable,
    }

    /// <summary>The app stopped answering: ask it again when it is back, as it may come back with other subscriptions.</summary>
    public void MarkUnreached(string appId) => _apps[appId] = AppState.Unknown;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var appId in options.Value.Apps.Keys)
            {
                if (_apps.GetValueOrDefault(appId) != AppState.Reached)
                {
                    await DiscoverAsync(appId, stoppingToken);
                }
            }

            await Task.Delay(options.Value.DiscoveryInterval, clock, stoppingToken);
        }
    }

    private async Task DiscoverAsync(string appId, CancellationToken stop)
    {
        var app = apps.For(appId)!;
        List<SubscriptionRecord> subscriptions;
        try
        {
            var response = await app.AsyncUnaryCall(DaprMethods.ListTopicSubscriptions, null,
                new CallOptions(deadline: clock.GetUtcNow().UtcDateTime + CallTimeout, cancellationToken: stop), new Empty());
            subscriptions = response.Subscriptions.Where(s => Known(appId, s)).Select(s => Record(appId, s)).ToList();
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            // An app without the AppCallback service subscribes to nothing (daprd reads it the same way).
            subscriptions = [];
        }
        catch (RpcException ex)
        {
            if (_apps.GetValueOrDefault(appId) != AppState.Unreachable)
            {
                _apps[appId] = AppState.Unreachable;
                LogNotReached(logger, appId, apps.AddressOf(appId)!, ex.StatusCode, options.Value.DiscoveryInterval);
            }

            return;
        }

        await store.ReplaceDiscoveredAsync(appId, subscriptions, stop);
        _apps[appId] = AppState.Reached;
        LogDiscovered(logger, appId, subscriptions.Count, string.Join(", ", subscriptions.Select(s => $"{s.Pubsub}/{s.Topic}")));
    }

    private bool Known(string appId, TopicSubscription subscription)
    {
        if (options.Value.PubsubNames.Contains(subscription.PubsubName))
        {
            return true;
        }

        LogUnknownPubsub(logger, appId, subscription.Topic, subscription.PubsubName);
        return false;
    }

    private SubscriptionRecord Record(string appId, TopicSubscription subscription)
    {
        // Routing rules are CEL expressions over the event; the stand-in does not evaluate them.
        if (subscription.Routes?.Rules.Count > 0)
        {
            LogRulesIgnored(logger, appId, subscription.Topic);
        }

        return new SubscriptionRecord(appId, subscription.PubsubName, subscription.Topic,
            string.IsNullOrEmpty(subscription.DeadLetterTopic) ? null : subscription.DeadLetterTopic,
            subscription.Routes?.Default ?? string.Empty, Declared: false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{AppId} subscribes to {Count} topic(s): {Topics}")]
    private static partial void LogDiscovered(ILogger logger, string appId, int count, string topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "{AppId} at {Address} does not answer ListTopicSubscriptions ({Status}); asking every {Interval}")]
    private static partial void LogNotReached(ILogger logger, string appId, string address, StatusCode status, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{AppId} subscribes to {Topic} on {Pubsub}, which is not in Sidecar:Pubsubs; ignored")]
    private static partial void LogUnknownPubsub(ILogger logger, string appId, string topic, string pubsub);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{AppId} routes {Topic} by rules; the dev sidecar does not evaluate them and delivers every event to the default route")]
    private static partial void LogRulesIgnored(ILogger logger, string appId, string topic);
}
