using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Watershed.Testing;

/// <summary>
/// Seeds for Dapr's AppCallback, which every Watershed service serves on its gRPC port (without a token): the
/// subscription list, the callbacks no service implements, and events as daprd delivers them.
/// </summary>
public static class DaprCallbackSeeds
{
    /// <summary>
    /// Seeds every AppCallback RPC: ListTopicSubscriptions, the callbacks the services do not serve (OnInvoke,
    /// ListInputBindings, OnBindingEvent, OnBulkTopicEvent, OnJobEvent), and OnTopicEvent with an event on a topic the
    /// app does not subscribe and a dead letter on the app's dead-letter topic. Add one OnTopicEvent seed per
    /// subscribed topic with <see cref="Event"/>, so hostile data reach each handler. A hostile event answered RETRY is a
    /// failure: only a passing fault (the database down) may ask daprd to deliver it again. Events are seeded fresh (a new
    /// event id per case): a consumer does nothing with an id it has seen, so a reused id would test the inbox only.
    /// </summary>
    /// <param name="appId">The app id Dapr knows the service by (its dead-letter topic is "&lt;app&gt;.dead_letter.v1").</param>
    public static HostileCorpus<T> SeedDaprAppCallback<T>(this HostileCorpus<T> corpus, string appId) => corpus
        .Seed("ListTopicSubscriptions", _ => new Empty())
        .Seed("OnInvoke", _ => new Dapr.Client.Autogen.Grpc.v1.InvokeRequest { Method = "anything", HttpExtension = new Dapr.Client.Autogen.Grpc.v1.HTTPExtension() })
        .Seed("ListInputBindings", _ => new Empty())
        .Seed("OnBindingEvent", _ => new BindingEventRequest { Name = "cron", Data = ByteString.CopyFromUtf8("tick") })
        .Seed("OnBulkTopicEvent", _ => new TopicEventBulkRequest
        {
            Id = Guid.NewGuid().ToString(),
            Topic = "landuse.plan_version_approved.v1",
            PubsubName = "pubsub",
            Entries = { new TopicEventBulkRequestEntry { EntryId = "1", Bytes = ByteString.CopyFromUtf8("{}"), ContentType = "application/json" } },
        })
        .Seed("OnJobEvent", _ => new JobEventRequest { Name = "job", Method = "job/run" })
        .SeedAsync("OnTopicEvent", _ => Task.FromResult(Event("elsewhere.something_happened.v1", "watershed.elsewhere.v1.SomethingHappened", "{}", "things/1")),
            fresh: true, label: "a topic the app does not subscribe")
        .SeedAsync("OnTopicEvent", _ =>
        {
            var dead = Event($"{appId}.dead_letter.v1", "watershed.landuse.v1.PlanVersionApproved", "{\"zoneCount\":3}", "plans/1");
            dead.Extensions.Fields["topic"] = Value.ForString("landuse.plan_version_approved.v1");
            return Task.FromResult(dead);
        }, fresh: true, label: "a dead letter")
        .Expect<TopicEventResponse>("OnTopicEvent", (hostile, response) =>
            response.Status == TopicEventResponse.Types.TopicEventResponseStatus.Retry
                ? "answered RETRY: daprd would deliver an event that can never succeed again and again (poison is DROP)"
                : null);

    /// <summary>An event as daprd delivers it to OnTopicEvent: CloudEvent attributes, extensions, the data as JSON.</summary>
    /// <param name="topic">The topic (ServiceDefaults' EventTopics.For gives a Watershed event's).</param>
    /// <param name="type">The CloudEvent type: the protobuf message's full name for a Watershed event.</param>
    public static TopicEventRequest Event(string topic, string type, string dataJson, string subject) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Source = "watershed-test",
        Type = type,
        SpecVersion = "1.0",
        DataContentType = "application/json",
        Data = ByteString.CopyFromUtf8(dataJson),
        Topic = topic,
        PubsubName = "pubsub",
        Extensions = new Struct
        {
            Fields =
            {
                ["subject"] = Value.ForString(subject),
                ["time"] = Value.ForString("2026-12-04T15:00:00Z"),
                ["traceparent"] = Value.ForString("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            },
        },
    };

    /// <summary>A Watershed event message as daprd delivers it, its data as protobuf JSON.</summary>
    public static TopicEventRequest Event(string topic, IMessage message, string subject) =>
        Event(topic, message.Descriptor.FullName, JsonFormatter.Default.Format(message), subject);
}
