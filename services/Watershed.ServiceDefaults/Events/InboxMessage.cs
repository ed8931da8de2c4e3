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

    /// <summary>
    /// The delivered event as the table can hold it, whatever Dapr delivered (<see cref="StoredText"/>): a dead letter
    /// is kept even when its id, names or data could never be stored as they are.
    /// </summary>
    public static DeadLetter Kept(DeliveredEvent delivered, DateTimeOffset now) =>
        new(StoredIdOf(delivered), StoredText.Fit(delivered.OriginalTopic, EventModel.NameMaxLength), StoredText.Fit(delivered.Type, EventModel.NameMaxLength),
            StoredText.Fit(delivered.Source, EventModel.NameMaxLength), StoredText.Fit(delivered.Subject, EventModel.NameMaxLength),
            StoredText.WithoutNul(delivered.DataJson), now);

    /// <summary>The event id a dead letter is kept under (and found by when it is delivered again).</summary>
    public static string StoredIdOf(DeliveredEvent delivered) => StoredText.Fit(delivered.Id, EventModel.EventIdMaxLength);
}
