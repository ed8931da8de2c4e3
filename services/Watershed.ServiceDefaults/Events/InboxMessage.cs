namespace Watershed.ServiceDefaults.Events;

/// <summary>
/// An event a consumer has processed, written in the same transaction as the event's effect: a second
/// delivery of the same event id finds it and has no effect.
/// </summary>
public sealed class InboxMessage
{
    private InboxMessage(string consumer, string eventId, DateTimeOffset processedAt)
    {
        Consumer = consumer;
        EventId = eventId;
        ProcessedAt = processedAt;
    }

    /// <summary>The handler that processed it; two handlers of one event each have their own entry.</summary>
    public string Consumer { get; private set; }

    public string EventId { get; private set; }

    public DateTimeOffset ProcessedAt { get; private set; }

    public static InboxMessage Processed(string consumer, string eventId, DateTimeOffset now) => new(consumer, eventId, now);
}

/// <summary>An event this service could never process, kept as it was delivered on its dead-letter topic.</summary>
public sealed class DeadLetter
{
    private DeadLetter(string eventId, string topic, string type, string source, string subject, string data, DateTimeOffset receivedAt)
    {
        EventId = eventId;
        Topic = topic;
        Type = type;
        Source = source;
        Subject = subject;
        Data = data;
        ReceivedAt = receivedAt;
    }

    public long Sequence { get; private set; }

    public string EventId { get; private set; }

    public string Topic { get; private set; }

    public string Type { get; private set; }

    public string Source { get; private set; }

    public string Subject { get; private set; }

    public string Data { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    public static DeadLetter Kept(DeliveredEvent delivered, DateTimeOffset now) =>
        new(delivered.Id, delivered.OriginalTopic ?? string.Empty, delivered.Type, delivered.Source, delivered.Subject ?? string.Empty,
            delivered.DataJson, now);
}
