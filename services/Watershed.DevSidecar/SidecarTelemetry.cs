using System.Diagnostics;

namespace Watershed.DevSidecar;

/// <summary>
/// The stand-in's spans: one per publish and one per delivery, so a trace runs publisher → sidecar → subscriber
/// as it does through daprd. Spans exist only when someone listens (OTLP export is configured); the W3C context
/// that travels with the event is computed either way.
/// </summary>
internal sealed class SidecarTelemetry : IDisposable
{
    public const string Name = "watershed-dev-sidecar";

    private readonly ActivitySource _source = new(Name);

    public Activity? StartPublish(string pubsub, string topic, ActivityContext parent)
    {
        var activity = _source.StartActivity("PublishEvent", ActivityKind.Server, parent);
        activity?.SetTag("messaging.system", "dapr");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("dapr.pubsub", pubsub);
        return activity;
    }

    public Activity? StartDelivery(string appId, string topic, string eventId, ActivityContext parent)
    {
        // Named like daprd's delivery span; without a parent it must be a root, not a child of whatever ran last.
        Activity.Current = null;
        var activity = _source.StartActivity("pubsub/" + topic, ActivityKind.Client, parent);
        activity?.SetTag("messaging.system", "dapr");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.message.id", eventId);
        activity?.SetTag("dapr.app_id", appId);
        return activity;
    }

    public Activity? StartBinding(string name, string operation, ActivityContext parent)
    {
        Activity.Current = null;
        var activity = _source.StartActivity("bindings/" + name, ActivityKind.Server, parent);
        activity?.SetTag("dapr.binding", name);
        activity?.SetTag("dapr.binding.operation", operation);
        return activity;
    }

    public void Dispose() => _source.Dispose();
}

/// <summary>W3C trace context as text, the form it takes in CloudEvents and gRPC metadata.</summary>
internal static class TraceContext
{
    public static ActivityContext Parse(string? traceParent, string? traceState) =>
        ActivityContext.TryParse(traceParent, traceState, out var context) ? context : default;

    /// <summary>
    /// The context of a span under <paramref name="parent"/>: the span's own when one was started, else a new span
    /// id in the parent's trace (a new trace without a parent), as daprd has a span context even when not sampling.
    /// </summary>
    public static ActivityContext ChildOf(ActivityContext parent, Activity? span) =>
        span?.Context ?? new ActivityContext(
            parent.TraceId == default ? ActivityTraceId.CreateRandom() : parent.TraceId,
            ActivitySpanId.CreateRandom(),
            parent.TraceFlags,
            parent.TraceState);

    public static string ToTraceParent(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";
}
