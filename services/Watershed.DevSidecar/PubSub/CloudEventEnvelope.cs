using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Watershed.DevSidecar.PubSub;

/// <summary>
/// The CloudEvent daprd stores for a publish and the TopicEventRequest it makes of it for a gRPC subscriber,
/// following daprd 1.x (runtime/pubsub/cloudevents.go, components-contrib pubsub/envelope.go and
/// runtime/pubsub/subscriptions.go): same attributes, same defaults, same overrides.
/// </summary>
internal static class CloudEventEnvelope
{
    public const string CloudEventContentType = "application/cloudevents+json";
    public const string DefaultType = "com.dapr.event.sent";

    // What daprd names a structured event without a source, and a wrapped event without a content type.
    private const string PassThroughDefaultSource = "Dapr";
    private const string DefaultDataContentType = "text/plain";

    // Attributes that have their own TopicEventRequest field; every other attribute travels in extensions.
    private static readonly HashSet<string> OwnFields = ["id", "source", "datacontenttype", "type", "specversion", "data", "data_base64"];

    public static bool IsCloudEvent(string contentType) => Is(contentType, CloudEventContentType);

    /// <summary>A structured CloudEvent as published, completed as daprd completes it.</summary>
    /// <exception cref="JsonException">The data is not a JSON object.</exception>
    public static JsonObject FromStructured(ReadOnlySpan<byte> data, string pubsub, string topic, ActivityContext publishSpan, DateTimeOffset now)
    {
        var cloudEvent = JsonNode.Parse(data) as JsonObject ?? throw new JsonException("A structured CloudEvent is a JSON object.");
        cloudEvent.TryAdd("time", Time(now));

        // daprd only keeps the publisher's trace context when the event carries the legacy traceid attribute;
        // otherwise both become the context of its own publish span (which continues the caller's trace).
        if (!cloudEvent.ContainsKey("traceid"))
        {
            var traceParent = TraceContext.ToTraceParent(publishSpan);
            cloudEvent["traceid"] = traceParent;
            cloudEvent["traceparent"] = traceParent;
        }

        cloudEvent.TryAdd("tracestate", publishSpan.TraceState ?? string.Empty);
        cloudEvent["topic"] = topic;
        cloudEvent["pubsubname"] = pubsub;
        DefaultIfNull(cloudEvent, "source", PassThroughDefaultSource);
        DefaultIfNull(cloudEvent, "type", DefaultType);
        DefaultIfNull(cloudEvent, "specversion", "1.0");
        return cloudEvent;
    }

    /// <summary>The CloudEvent daprd wraps around a raw payload; metadata <c>cloudevent.*</c> overrides its attributes.</summary>
    public static JsonObject Wrap(ReadOnlySpan<byte> data, string contentType, IDictionary<string, string> metadata, string pubsub, string topic,
        string source, ActivityContext publishSpan, DateTimeOffset now)
    {
        var traceParent = Override(metadata, "traceparent") ?? Override(metadata, "traceid") ?? TraceContext.ToTraceParent(publishSpan);
        contentType = string.IsNullOrEmpty(contentType) ? DefaultDataContentType : contentType;
        var cloudEvent = new JsonObject
        {
            ["id"] = Override(metadata, "id") ?? Guid.NewGuid().ToString(),
            ["specversion"] = "1.0",
            ["datacontenttype"] = contentType,
            ["source"] = Override(metadata, "source") ?? source,
            ["type"] = Override(metadata, "type") ?? DefaultType,
            ["topic"] = topic,
            ["pubsubname"] = pubsub,
            ["traceid"] = traceParent,
            ["traceparent"] = traceParent,
            ["tracestate"] = Override(metadata, "tracestate") ?? publishSpan.TraceState ?? string.Empty,
            ["time"] = Time(now),
        };

        if (Is(contentType, "application/json"))
        {
            cloudEvent["data"] = ParseOrText(data);
        }
        else if (Is(contentType, "application/octet-stream") || Is(contentType, "application/cloudevents+protobuf"))
        {
            cloudEvent["data_base64"] = Convert.ToBase64String(data);
        }
        else
        {
            cloudEvent["data"] = Encoding.UTF8.GetString(data);
        }

        if (Override(metadata, "subject") is { } subject)
        {
            cloudEvent["subject"] = subject;
        }

        return cloudEvent;
    }

    /// <summary>What a gRPC subscriber receives for the stored event on <paramref name="topic"/>.</summary>
    /// <exception cref="FormatException">The event's data cannot be given as bytes (daprd retries such an event).</exception>
    public static TopicEventRequest ToTopicEvent(JsonObject cloudEvent, string pubsub, string topic, string path)
    {
        var request = new TopicEventRequest
        {
            Id = Text(cloudEvent, "id") ?? string.Empty,
            Source = Text(cloudEvent, "source") ?? string.Empty,
            DataContentType = Text(cloudEvent, "datacontenttype") ?? string.Empty,
            Type = Text(cloudEvent, "type") ?? string.Empty,
            SpecVersion = Text(cloudEvent, "specversion") ?? string.Empty,
            Topic = topic,
            PubsubName = pubsub,
            Path = path,
            Data = Data(cloudEvent, Text(cloudEvent, "datacontenttype") ?? string.Empty),
        };

        var extensions = new JsonObject();
        foreach (var (name, value) in cloudEvent)
        {
            if (!OwnFields.Contains(name))
            {
                extensions[name] = value?.DeepClone();
            }
        }

        request.Extensions = Struct.Parser.ParseJson(extensions.ToJsonString());
        return request;
    }

    public static string? Text(JsonObject cloudEvent, string attribute) =>
        cloudEvent[attribute] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static ByteString Data(JsonObject cloudEvent, string contentType)
    {
        if (cloudEvent["data_base64"] is { } base64)
        {
            return base64 is JsonValue value && value.TryGetValue<string>(out var encoded)
                ? ByteString.FromBase64(encoded)
                : throw new FormatException("data_base64 is not a string.");
        }

        if (cloudEvent["data"] is not { } data)
        {
            return ByteString.Empty;
        }

        if (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || Is(contentType, "application/xml"))
        {
            return data is JsonValue value && value.TryGetValue<string>(out var text)
                ? ByteString.CopyFromUtf8(text)
                : throw new FormatException($"data of a {contentType} event is not a string.");
        }

        // daprd gives JSON data as its JSON text, and nothing at all for any other content type.
        return Is(contentType, "application/json") || IsCloudEvent(contentType)
            ? ByteString.CopyFromUtf8(data.ToJsonString())
            : ByteString.Empty;
    }

    /// <summary>daprd compares content types without parameters and without case.</summary>
    private static bool Is(string contentType, string expected)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var bare = semicolon >= 0 ? contentType[..semicolon] : contentType;
        return string.Equals(bare, expected, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Invalid JSON under a JSON content type is kept as text, as daprd does.</summary>
    private static JsonNode? ParseOrText(ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonNode.Parse(data);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(data);
        }
    }

    /// <summary>Metadata <c>cloudevent.&lt;attribute&gt;</c>, any case; an empty value overrides nothing.</summary>
    private static string? Override(IDictionary<string, string> metadata, string attribute)
    {
        var key = "cloudevent." + attribute;
        foreach (var (name, value) in metadata)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(value))
            {
                return value;
            }
        }

        return null;
    }

    private static void DefaultIfNull(JsonObject cloudEvent, string attribute, string value)
    {
        if (cloudEvent[attribute] is null)
        {
            cloudEvent[attribute] = value;
        }
    }

    // RFC 3339 to the second, as daprd writes it.
    private static string Time(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
