using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.Client.Autogen.Grpc.v1;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Watershed.DevSidecar.Grpc;

namespace Watershed.DevSidecar.PubSub;

/// <summary>PublishEvent: validate as daprd does, make the CloudEvent, store it with its deliveries, wake the lanes.</summary>
internal sealed partial class Publisher(
    EventStore store,
    DeliveryDispatcher dispatcher,
    SidecarTelemetry telemetry,
    IOptions<SidecarOptions> options,
    TimeProvider clock,
    ILogger<Publisher> logger)
{
    public async Task PublishAsync(PublishEventRequest request, Metadata headers)
    {
        var pubsub = request.PubsubName;
        var topic = request.Topic;
        if (string.IsNullOrEmpty(pubsub))
        {
            throw DaprErrors.PubsubNameEmpty();
        }

        if (!options.Value.PubsubNames.Contains(pubsub))
        {
            throw DaprErrors.PubsubNotFound(pubsub);
        }

        if (string.IsNullOrEmpty(topic))
        {
            throw DaprErrors.TopicEmpty(pubsub);
        }

        if (request.Metadata.TryGetValue("rawPayload", out var raw) && bool.TryParse(raw, out var isRaw) && isRaw)
        {
            throw DaprErrors.RawPayloadUnsupported();
        }

        var parent = TraceContext.Parse(headers.GetValue("traceparent"), headers.GetValue("tracestate"));
        using var span = telemetry.StartPublish(pubsub, topic, parent);
        var publishSpan = TraceContext.ChildOf(parent, span);

        JsonObject cloudEvent;
        if (CloudEventEnvelope.IsCloudEvent(request.DataContentType))
        {
            try
            {
                cloudEvent = CloudEventEnvelope.FromStructured(request.Data.Span, pubsub, topic, publishSpan, clock.GetUtcNow());
            }
            catch (JsonException)
            {
                throw DaprErrors.CloudEventCreation();
            }
        }
        else
        {
            cloudEvent = CloudEventEnvelope.Wrap(request.Data.Span, request.DataContentType, request.Metadata, pubsub, topic,
                options.Value.AppId, publishSpan, clock.GetUtcNow());
        }

        var eventId = CloudEventEnvelope.Text(cloudEvent, "id") ?? string.Empty;
        span?.SetTag("messaging.message.id", eventId);

        // Not cancelled with the call: a caller that gave up may still have published, as with any broker.
        var lanes = await store.PublishAsync(pubsub, topic, eventId, cloudEvent.ToJsonString(), CancellationToken.None);
        dispatcher.Wake(lanes);
        LogPublished(logger, eventId, pubsub, topic, lanes.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored event {EventId} on {Pubsub}/{Topic} for {Subscribers} subscriber(s)")]
    private static partial void LogPublished(ILogger logger, string eventId, string pubsub, string topic, int subscribers);
}
