using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Watershed.ServiceDefaults.Events;

/// <summary>
/// CloudEvents 1.0 in JSON (structured mode) for what the outbox publishes: Dapr receives it with content type
/// <c>application/cloudevents+json</c> and passes it on unchanged, so id, type, source, subject and the trace
/// context reach every subscriber as written here. <c>data</c> is the event's protobuf JSON, readable in any language.
/// </summary>
public static class CloudEvents
{
    public const string ContentType = "application/cloudevents+json";

    public static byte[] Serialize(OutboxMessage message, string source)
    {
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = message.Id.ToString(),
            ["source"] = source,
            ["type"] = message.Type,
            ["subject"] = message.Subject,
            ["time"] = message.OccurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            ["datacontenttype"] = "application/json",
            ["data"] = JsonNode.Parse(message.Data),
        };
        if (message.TraceParent is { } traceParent)
        {
            // Dapr keeps a structured event's trace context only when it also carries traceid; with traceparent
            // alone it substitutes the publish call's own context (components-contrib pubsub/envelope.go).
            envelope["traceparent"] = traceParent;
            envelope["traceid"] = traceParent;
            if (!string.IsNullOrEmpty(message.TraceState))
            {
                envelope["tracestate"] = message.TraceState;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }
}

/// <summary>One event as Dapr delivered it to this app (AppCallback.OnTopicEvent).</summary>
public sealed record DeliveredEvent(
    string Id,
    string Type,
    string Source,
    string? Subject,
    DateTimeOffset? Time,
    string Topic,
    string? OriginalTopic,
    string DataJson,
    string? TraceParent);
