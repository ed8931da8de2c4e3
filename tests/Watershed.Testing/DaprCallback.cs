using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Watershed.Testing;

/// <summary>
/// Calls a service's Dapr AppCallback as the sidecar does (Dapr.Protos ships only the server side of it), so a
/// test can deliver an event to the real endpoint over gRPC.
/// </summary>
public static class DaprCallback
{
    private const string Service = "dapr.proto.runtime.v1.AppCallback";

    private static readonly Method<TopicEventRequest, TopicEventResponse> OnTopicEvent = new(MethodType.Unary, Service, "OnTopicEvent",
        Marshallers.Create(m => m.ToByteArray(), TopicEventRequest.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), TopicEventResponse.Parser.ParseFrom));

    private static readonly Method<Empty, ListTopicSubscriptionsResponse> ListTopicSubscriptions = new(MethodType.Unary, Service, "ListTopicSubscriptions",
        Marshallers.Create(m => m.ToByteArray(), Empty.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), ListTopicSubscriptionsResponse.Parser.ParseFrom));

    /// <summary>Delivers <paramref name="message"/> as Dapr would, its data as protobuf JSON unless <paramref name="data"/> overrides it.</summary>
    /// <param name="topic">The topic the service subscribes the message on (ServiceDefaults' EventTopics.For).</param>
    /// <param name="appApiToken">The sidecar's app API token, sent as dapr-api-token, for a service that requires it.</param>
    public static async Task<TopicEventResponse.Types.TopicEventResponseStatus> DeliverAsync(ChannelBase channel, string topic, IMessage message,
        string eventId, string subject, string? data = null, string source = "watershed-test", string? appApiToken = null)
    {
        var request = new TopicEventRequest
        {
            Id = eventId,
            Type = message.Descriptor.FullName,
            Source = source,
            SpecVersion = "1.0",
            DataContentType = "application/json",
            Topic = topic,
            PubsubName = "pubsub",
            Data = ByteString.CopyFromUtf8(data ?? JsonFormatter.Default.Format(message)),
            Extensions = new Struct { Fields = { ["subject"] = Value.ForString(subject) } },
        };
        return (await OnTopicEventAsync(channel.CreateCallInvoker(), request, appApiToken)).Status;
    }

    public static async Task<TopicEventResponse> OnTopicEventAsync(CallInvoker invoker, TopicEventRequest request, string? appApiToken = null) =>
        await invoker.AsyncUnaryCall(OnTopicEvent, null, new CallOptions(appApiToken is null ? null : new Metadata { { "dapr-api-token", appApiToken } }), request);

    public static async Task<ListTopicSubscriptionsResponse> SubscriptionsAsync(CallInvoker invoker) =>
        await invoker.AsyncUnaryCall(ListTopicSubscriptions, null, default, new Empty());
}
