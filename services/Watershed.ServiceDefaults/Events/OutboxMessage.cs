using System.Diagnostics;
using Google.Protobuf;

namespace Watershed.ServiceDefaults.Events;

/// <summary>
/// An event waiting to be published, written in the same transaction as the state change it reports, so
/// the change and its event are committed together or not at all. <see cref="Id"/> is the CloudEvent id:
/// a republished row keeps it, and consumers deduplicate on it.
/// </summary>
public sealed class OutboxMessage
{
    private OutboxMessage(Guid id, string topic, string type, string subject, string data, DateTimeOffset occurredAt,
        string? traceParent, string? traceState)
    {
        Id = id;
        Topic = topic;
        Type = type;
        Subject = subject;
        Data = data;
        OccurredAt = occurredAt;
        TraceParent = traceParent;
        TraceState = traceState;
    }

    /// <summary>Assigned by the store in commit order; events of one subject are published in this order.</summary>
    public long Sequence { get; private set; }

    public Guid Id { get; private set; }

    public string Topic { get; private set; }

    /// <summary>The protobuf message's full name, e.g. <c>watershed.consultation.v1.BallotClosed</c>.</summary>
    public string Type { get; private set; }

    /// <summary>The resource name of the object the event is about (e.g. <c>ballots/0190…</c>); also the ordering key.</summary>
    public string Subject { get; private set; }

    /// <summary>The message as protobuf JSON.</summary>
    public string Data { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>W3C trace context of the request that caused the event, carried on to every consumer.</summary>
    public string? TraceParent { get; private set; }

    public string? TraceState { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>After a failed publish, the row (and every later row of its subject) waits until then.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    public static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static OutboxMessage For(IMessage message, string subject, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        var activity = Activity.Current;
        return new OutboxMessage(Guid.CreateVersion7(), EventTopics.For(message.Descriptor), message.Descriptor.FullName, subject,
            Json.Format(message), now,
            activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null,
            activity?.TraceStateString);
    }

    public void MarkSent(DateTimeOffset now)
    {
        SentAt = now;
        NextAttemptAt = null;
    }

    /// <summary>Backs off exponentially from 1 s to 5 min; the row is never given up.</summary>
    public void MarkFailed(DateTimeOffset now)
    {
        Attempts++;
        NextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Min(Attempts - 1, 9))));
    }
}
