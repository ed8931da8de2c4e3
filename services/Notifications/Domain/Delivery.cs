using Watershed.Notifications.Domain.Messages;

namespace Watershed.Notifications.Domain;

/// <summary>The event a delivery tells of, as the delivery log names it.</summary>
public sealed record EventInfo(string EventId, string EventType, EventKind Kind, string WatershedCode);

/// <summary>
/// One entry of the delivery log: one (event, recipient, channel), never two (a unique key). The dispatcher takes
/// an entry whose time has come (<see cref="NextAttemptAt"/>), marks it sending, sends, and marks it sent or failed.
/// </summary>
public sealed class Delivery
{
    private readonly List<DigestItem> _digestItems = [];

    // For EF.
    private Delivery()
    {
        WatershedCode = EventId = EventType = Address = string.Empty;
    }

    private Delivery(Guid id, EventInfo info, PlannedDelivery plan, DateTimeOffset now)
    {
        Id = id;
        WatershedCode = info.WatershedCode;
        EventId = info.EventId;
        EventType = info.EventType;
        Kind = info.Kind;
        RecipientKind = plan.Recipient.Kind;
        RecipientId = plan.Recipient.Id;
        Channel = plan.Channel;
        Address = plan.Address;
        Language = plan.Language;
        NotBefore = plan.NotBefore;
        NextAttemptAt = plan.NotBefore;
        DeferReason = plan.DeferReason;
        State = plan.DeferReason is null ? DeliveryState.Queued : DeliveryState.Deferred;
        QuietStart = plan.QuietHours?.Start;
        QuietEnd = plan.QuietHours?.End;
        IsDigest = plan.Digest;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public string WatershedCode { get; private set; }

    /// <summary>The CloudEvent id, or a digest's "digest:&lt;kind&gt;:&lt;local start&gt;".</summary>
    public string EventId { get; private set; }

    public string EventType { get; private set; }

    public EventKind Kind { get; private set; }

    public RecipientKind RecipientKind { get; private set; }

    public Guid RecipientId { get; private set; }

    public Channel Channel { get; private set; }

    public string Address { get; private set; }

    public Language Language { get; private set; }

    public string Subject { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    public int SmsSegments { get; private set; }

    public DeliveryState State { get; private set; }

    public DeferReason? DeferReason { get; private set; }

    public DateTimeOffset NotBefore { get; private set; }

    /// <summary>When the dispatcher should take it next; null once it is sending, sent or finally failed.</summary>
    public DateTimeOffset? NextAttemptAt { get; private set; }

    public int Attempts { get; private set; }

    public string FailureReason { get; private set; } = string.Empty;

    public DateTimeOffset? SendingSince { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>W3C trace context of the event's processing, so the send continues the event's trace (null for digests).</summary>
    public string? TraceParent { get; private set; }

    /// <summary>The recipient's quiet hours when it was planned, so a retry does not land in them either.</summary>
    public TimeOnly? QuietStart { get; private set; }

    public TimeOnly? QuietEnd { get; private set; }

    public bool IsDigest { get; private set; }

    public IReadOnlyList<DigestItem> DigestItems => _digestItems;

    public RecipientRef Recipient => new(RecipientKind, RecipientId);

    /// <summary>A digest still collecting events (not yet taken by the dispatcher).</summary>
    public bool IsOpenDigest => IsDigest && State == DeliveryState.Deferred;

    /// <summary>A message for one event, written now.</summary>
    public static Delivery ForEvent(Guid id, EventInfo info, PlannedDelivery plan, RenderedMessage message, DateTimeOffset now, string? traceParent = null)
    {
        if (plan.Digest)
        {
            throw new ArgumentException("A digest collects events; open it with ForDigest.", nameof(plan));
        }

        return new Delivery(id, info, plan, now)
        {
            Subject = message.Subject, Body = message.Body, SmsSegments = message.SmsSegments, TraceParent = traceParent,
        };
    }

    /// <summary>An empty digest for one recipient, channel and span; written when it is sent.</summary>
    public static Delivery ForDigest(Guid id, string digestEventId, EventKind kind, string watershedCode, PlannedDelivery plan, DateTimeOffset now) =>
        plan.Digest
            ? new Delivery(id, new EventInfo(digestEventId, string.Empty, kind, watershedCode), plan, now)
            : throw new ArgumentException("Not a digest delivery.", nameof(plan));

    /// <summary>Adds one event to a digest still collecting; false when the event is in it already.</summary>
    public bool Collect(string eventId, ImportNotice notice, DateTimeOffset now)
    {
        if (!IsOpenDigest)
        {
            throw new InvalidOperationException($"Delivery {Id} is no digest collecting events.");
        }

        if (_digestItems.Any(i => i.EventId == eventId))
        {
            return false;
        }

        _digestItems.Add(new DigestItem(Id, eventId, notice.RoundName, notice.StoredRows, notice.AreaCount, now));
        return true;
    }

    /// <summary>
    /// Marks the attempt before anything is sent, so no other dispatcher takes it and a restart does not send it
    /// again. A digest is written now, from what it collected.
    /// </summary>
    public void StartAttempt(DateTimeOffset now, MessageTemplates templates)
    {
        if (NextAttemptAt is null || State is DeliveryState.Sending or DeliveryState.Sent)
        {
            throw new InvalidOperationException($"Delivery {Id} is not waiting to be sent.");
        }

        if (IsDigest && Attempts == 0)
        {
            var imports = _digestItems.OrderBy(i => i.AddedAt).ThenBy(i => i.EventId, StringComparer.Ordinal)
                .Select(i => new ImportNotice(WatershedCode, i.RoundName, i.StoredRows, i.AreaCount)).ToList();
            var message = Channel == Channel.Sms ? templates.DigestSms(imports, Language) : templates.DigestEmail(imports, Language);
            (Subject, Body, SmsSegments) = (message.Subject, message.Body, message.SmsSegments);
        }

        State = DeliveryState.Sending;
        Attempts++;
        SendingSince = now;
        NextAttemptAt = null;
    }

    public void MarkSent(DateTimeOffset now)
    {
        State = DeliveryState.Sent;
        SentAt = now;
        SendingSince = null;
        FailureReason = string.Empty;
    }

    /// <summary>
    /// A failed attempt: retried after the policy's backoff (moved past the recipient's quiet hours) while attempts
    /// remain and the failure is one a retry may cure; otherwise it stays failed.
    /// </summary>
    public void MarkFailed(string reason, bool retryable, DateTimeOffset now, RetryPolicy policy, TimeZoneInfo zone)
    {
        State = DeliveryState.Failed;
        FailureReason = reason;
        SendingSince = null;
        var next = retryable ? policy.NextAttempt(Attempts, now) : null;
        if (next is { } at && QuietStart is { } start && QuietEnd is { } end)
        {
            next = new QuietHours(start, end).DeferUntil(at, zone) ?? at;
        }

        NextAttemptAt = next;
    }

    /// <summary>
    /// Still sending after the lease: the process stopped between the send and the mark. Whether the message left is
    /// unknown. An SMS or e-mail sent again could reach the person twice, so it stays failed. A webhook is sent again
    /// as a retry (while attempts remain): its body is the CloudEvent, whose id lets the receiver recognise a repeat.
    /// </summary>
    public void MarkInterrupted(DateTimeOffset now, RetryPolicy policy, TimeZoneInfo zone)
    {
        if (State != DeliveryState.Sending)
        {
            throw new InvalidOperationException($"Delivery {Id} is not sending.");
        }

        if (Channel == Channel.Webhook)
        {
            MarkFailed("interrupted while sending; sent again (the receiver recognises a repeat by the event id)", retryable: true, now, policy, zone);
            return;
        }

        MarkFailed("outcome unknown: the service stopped while sending; not sent again, so it is never sent twice", retryable: false, now,
            new RetryPolicy(0, TimeSpan.Zero, TimeSpan.Zero), TimeZoneInfo.Utc);
    }
}

/// <summary>One event collected into a digest: what the digest says of it.</summary>
public sealed class DigestItem(Guid deliveryId, string eventId, string roundName, int storedRows, int areaCount, DateTimeOffset addedAt)
{
    public Guid DeliveryId { get; private set; } = deliveryId;

    public string EventId { get; private set; } = eventId;

    public string RoundName { get; private set; } = roundName;

    public int StoredRows { get; private set; } = storedRows;

    public int AreaCount { get; private set; } = areaCount;

    public DateTimeOffset AddedAt { get; private set; } = addedAt;
}
