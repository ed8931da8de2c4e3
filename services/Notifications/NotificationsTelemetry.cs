using System.Diagnostics.Metrics;
using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults;

namespace Watershed.Notifications;

/// <summary>Spans and counters of notifications: what was queued, sent and failed, per channel and kind (never who).</summary>
public sealed class NotificationsTelemetry : ServiceTelemetry
{
    private readonly Counter<long> _queued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;

    public NotificationsTelemetry(IMeterFactory meters, ServiceIdentity service)
        : base(meters, service)
    {
        _queued = Meter.CreateCounter<long>("watershed.notifications.deliveries.queued", "{delivery}",
            "Deliveries written to the log for an event (a digest once, when it opens).");
        _sent = Meter.CreateCounter<long>("watershed.notifications.deliveries.sent", "{delivery}", "Deliveries the channel accepted.");
        _failed = Meter.CreateCounter<long>("watershed.notifications.deliveries.failed", "{delivery}",
            "Failed attempts; final=true when the delivery is not tried again.");
    }

    // Tags are bounded sets (watershed, channel, kind): ids go on spans, never on counters.
    public void Queued(string watershed, Channel channel, EventKind kind, bool deferred) =>
        _queued.Add(1, new("watershed", watershed), new("channel", Tag(channel)), new("kind", Tag(kind)), new("deferred", deferred));

    public void Sent(string watershed, Channel channel, EventKind kind) =>
        _sent.Add(1, new("watershed", watershed), new("channel", Tag(channel)), new("kind", Tag(kind)));

    public void Failed(string watershed, Channel channel, EventKind kind, bool final) =>
        _failed.Add(1, new("watershed", watershed), new("channel", Tag(channel)), new("kind", Tag(kind)), new("final", final));

    private static string Tag<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
