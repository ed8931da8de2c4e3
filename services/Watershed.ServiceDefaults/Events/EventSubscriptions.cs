using System.Diagnostics;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Status = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.ServiceDefaults.Events;

/// <summary>
/// What a handler knows of the event besides its message: the CloudEvent's attributes, and its data exactly as
/// delivered (a consumer that forwards the event keeps fields newer than its own contracts).
/// </summary>
public sealed record EventContext(string EventId, string Subject, DateTimeOffset? Time, string Source, string Type = "", string DataJson = "");

/// <summary>
/// Reacts to one event type. It runs in the consumer's transaction: what it changes through the service's
/// DbContext is committed together with the inbox entry that makes a redelivery a no-op. It must not commit.
/// Throw <see cref="PoisonEventException"/> (or an <see cref="InvalidArgumentException"/>) for an event that can
/// never be processed: it is dropped to the dead-letter topic. Any other exception asks Dapr to retry.
/// </summary>
public interface IEventHandler<in TMessage>
    where TMessage : IMessage
{
    Task HandleAsync(TMessage message, EventContext context, CancellationToken ct);
}

/// <summary>The event can never be processed as it is; it goes to the dead-letter topic.</summary>
public sealed class PoisonEventException(string message) : Exception(message);

/// <summary>One subscription: the topic follows from the message type, the consumer name keys the inbox.</summary>
public sealed record EventSubscription(string Topic, Google.Protobuf.Reflection.MessageDescriptor Descriptor, string MessageType, string Consumer, System.Type HandlerType,
    Func<IServiceProvider, IMessage, EventContext, CancellationToken, Task> Invoke);

public sealed class EventSubscriptionRegistry
{
    private readonly Dictionary<string, EventSubscription> _byTopic = new(StringComparer.Ordinal);

    public IReadOnlyCollection<EventSubscription> All => _byTopic.Values;

    public void Add(EventSubscription subscription)
    {
        if (!_byTopic.TryAdd(subscription.Topic, subscription))
        {
            throw new InvalidOperationException($"Two handlers subscribe to {subscription.Topic}; one handler per topic.");
        }
    }

    public EventSubscription? For(string topic) => _byTopic.GetValueOrDefault(topic);
}

/// <summary>
/// The one delivery style of every Watershed service: Dapr's AppCallback gRPC service on the service's own
/// gRPC port (app protocol grpc). Dapr learns the subscriptions from ListTopicSubscriptions and delivers each
/// event to OnTopicEvent. Every subscription names the app's dead-letter topic, to which the app itself
/// subscribes and where it keeps what it could not process.
/// </summary>
public sealed partial class EventCallbackService<TContext>(
    EventSubscriptionRegistry registry,
    IServiceScopeFactory scopes,
    IOptions<EventOptions> options,
    ServiceIdentity service,
    AppIdentity app,
    TimeProvider clock,
    ILogger<EventCallbackService<TContext>> logger) : AppCallback.AppCallbackBase
    where TContext : DbContext
{
    private static readonly ActivitySource Source = EventTelemetry.Source;

    // A newer publisher may add fields; an older consumer ignores them (protobuf's own compatibility rule).
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context)
    {
        var response = new ListTopicSubscriptionsResponse();
        var deadLetters = EventTopics.DeadLetterFor(app.AppId);
        foreach (var subscription in registry.All.OrderBy(s => s.Topic, StringComparer.Ordinal))
        {
            response.Subscriptions.Add(new TopicSubscription
            {
                PubsubName = options.Value.PubsubName,
                Topic = subscription.Topic,
                DeadLetterTopic = deadLetters,
            });
        }

        response.Subscriptions.Add(new TopicSubscription { PubsubName = options.Value.PubsubName, Topic = deadLetters });
        return Task.FromResult(response);
    }

    public override async Task<TopicEventResponse> OnTopicEvent(TopicEventRequest request, ServerCallContext context)
    {
        var delivered = Read(request);
        using var activity = Source.StartActivity($"{request.Topic} process", ActivityKind.Consumer,
            Activity.Current?.Context ?? (ActivityContext.TryParse(delivered.TraceParent, null, out var parent) ? parent : default));
        activity?.SetTag("messaging.system", "dapr");
        activity?.SetTag("messaging.destination.name", Echo.Of(request.Topic, EventModel.NameMaxLength));
        activity?.SetTag("messaging.message.id", Echo.Of(delivered.Id, EventModel.EventIdMaxLength));

        if (request.Topic == EventTopics.DeadLetterFor(app.AppId))
        {
            return await KeepDeadLetterAsync(delivered, context.CancellationToken);
        }

        var subscription = registry.For(request.Topic);
        if (subscription is null)
        {
            LogDropped(logger, Echo.Of(delivered.Id), Echo.Of(request.Topic), "no handler for the topic");
            return Reply(Status.Drop);
        }

        IMessage message;
        try
        {
            // The inbox records the id exactly, so an id it cannot hold could never be marked processed: daprd would
            // deliver the event for ever. No publisher of Watershed (nor Dapr) makes such an id; it is poison.
            if (UnrecordableId(delivered.Id) is { } idFault)
            {
                throw new PoisonEventException($"the event id {idFault}");
            }

            if (delivered.Type != subscription.MessageType)
            {
                throw new PoisonEventException($"type {Echo.Of(delivered.Type)} is not {subscription.MessageType}");
            }

            message = Json.Parse(delivered.DataJson, subscription.Descriptor);
        }
        catch (Exception ex) when (ex is PoisonEventException or InvalidProtocolBufferException or InvalidJsonException)
        {
            LogDropped(logger, Echo.Of(delivered.Id), request.Topic, Echo.Of(ex.Message, ReasonMaxLength));
            return Reply(Status.Drop);
        }

        var eventContext = new EventContext(delivered.Id, delivered.Subject ?? string.Empty, delivered.Time, delivered.Source, delivered.Type, delivered.DataJson);
        try
        {
            var effect = await HandleOnceAsync(subscription, message, eventContext, context.CancellationToken);
            LogHandled(logger, delivered.Id, request.Topic, effect ? "handled" : "duplicate");
            return Reply(Status.Success);
        }
        catch (Exception ex) when (ex is PoisonEventException or InvalidArgumentException)
        {
            // A handler's reason names fields and ids; cut, as a handler may quote what the event carried.
            LogDropped(logger, delivered.Id, request.Topic, Echo.Of(ex.Message, ReasonMaxLength));
            return Reply(Status.Drop);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            LogRetry(logger, ex, delivered.Id, request.Topic);
            return Reply(Status.Retry);
        }
    }

    /// <summary>Runs the handler and records the event in the inbox in one transaction; false when it was processed before.</summary>
    private async Task<bool> HandleOnceAsync(EventSubscription subscription, IMessage message, EventContext eventContext, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var inbox = db.Set<InboxMessage>();
        if (await inbox.AnyAsync(i => i.Consumer == subscription.Consumer && i.EventId == eventContext.EventId, ct))
        {
            return false;
        }

        try
        {
            return await db.InTransactionAsync(async token =>
            {
                // The inbox row goes in first: a second delivery of the same event waits on its key and then finds the
                // event processed, instead of racing on the effect's own keys in another order (a deadlock).
                inbox.Add(InboxMessage.Processed(subscription.Consumer, eventContext.EventId, clock.GetUtcNow()));
                await db.SaveChangesAsync(token);
                await subscription.Invoke(scope.ServiceProvider, message, eventContext, token);
                await db.SaveChangesAsync(token);
                return true;
            }, ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The same event delivered twice at once: when the other delivery's transaction won, this one had no effect.
            if (await ProcessedMeanwhileAsync(subscription, eventContext, ct))
            {
                return false;
            }

            throw;
        }
    }

    private async Task<bool> ProcessedMeanwhileAsync(EventSubscription subscription, EventContext eventContext, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Set<InboxMessage>().AnyAsync(i => i.Consumer == subscription.Consumer && i.EventId == eventContext.EventId, ct);
    }

    /// <summary>
    /// Keeps what arrived on the app's dead-letter topic, whatever it carries (<see cref="DeadLetter.Kept"/> makes any
    /// value storable), so nothing here is poison; a failure to write (the database away) asks daprd to deliver it again.
    /// </summary>
    private async Task<TopicEventResponse> KeepDeadLetterAsync(DeliveredEvent delivered, CancellationToken ct)
    {
        var kept = DeadLetter.Kept(delivered, clock.GetUtcNow());
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            if (!await db.Set<DeadLetter>().AnyAsync(d => d.EventId == kept.EventId, ct))
            {
                db.Set<DeadLetter>().Add(kept);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException ex) when (ex.IsUniqueViolation())
                {
                    // Kept by a concurrent delivery of the same dead letter.
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRetry(logger, ex, Echo.Of(kept.EventId, EventModel.EventIdMaxLength), delivered.Topic);
            return Reply(Status.Retry);
        }

        LogDeadLetterKept(logger, Echo.Of(kept.EventId, EventModel.EventIdMaxLength), kept.Topic.Length > 0 ? Echo.Of(kept.Topic) : "unknown", service.Name);
        return Reply(Status.Success);
    }

    /// <summary>Why the inbox cannot record <paramref name="eventId"/> exactly, or null when it can.</summary>
    private static string? UnrecordableId(string eventId) =>
        eventId.Length == 0 ? "is empty"
        : eventId.Length > EventModel.EventIdMaxLength ? $"has {eventId.Length} characters; at most {EventModel.EventIdMaxLength} are recorded"
        : Validation.HasControlCharacter(eventId) ? "holds control characters"
        : null;

    /// <summary>How much of a reason for dropping an event a log line repeats.</summary>
    private const int ReasonMaxLength = 300;

    private static DeliveredEvent Read(TopicEventRequest request)
    {
        string? Extension(string name) =>
            request.Extensions?.Fields.TryGetValue(name, out var value) == true && value.KindCase == Value.KindOneofCase.StringValue
                ? value.StringValue
                : null;

        var time = DateTimeOffset.TryParse(Extension("time"), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTimeOffset?)null;

        // On a dead-letter topic the original topic travels as the CloudEvent's topic extension.
        return new DeliveredEvent(request.Id, request.Type, request.Source, Extension("subject"), time, request.Topic,
            Extension("topic") ?? request.Topic, request.Data.ToStringUtf8(), Extension("traceparent"));
    }

    private static TopicEventResponse Reply(Status status) => new() { Status = status };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} on {Topic}: {Outcome}")]
    private static partial void LogHandled(ILogger logger, string eventId, string topic, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} on {Topic} dropped to the dead-letter topic: {Reason}")]
    private static partial void LogDropped(ILogger logger, string eventId, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} on {Topic} failed; Dapr will deliver it again")]
    private static partial void LogRetry(ILogger logger, Exception exception, string eventId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letter {EventId} from {Topic} kept by {Service}")]
    private static partial void LogDeadLetterKept(ILogger logger, string eventId, string topic, string service);
}

/// <summary>The app id Dapr knows this service by (consultation, landuse, indicators, notifications).</summary>
public sealed record AppIdentity(string AppId);
