using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// Calls an app's dapr.proto.runtime.v1.AppCallback as daprd does. Dapr.Protos ships only the server side of
/// AppCallback, so the two methods are described here from its message types.
/// </summary>
public sealed class AppCallbackClient(CallInvoker invoker)
{
    private static readonly Method<TopicEventRequest, TopicEventResponse> OnTopicEvent = new(
        MethodType.Unary, AppCallback.Descriptor.FullName, "OnTopicEvent", Marshal(TopicEventRequest.Parser), Marshal(TopicEventResponse.Parser));

    private static readonly Method<Empty, ListTopicSubscriptionsResponse> ListTopicSubscriptions = new(
        MethodType.Unary, AppCallback.Descriptor.FullName, "ListTopicSubscriptions", Marshal(Empty.Parser), Marshal(ListTopicSubscriptionsResponse.Parser));

    public Task<TopicEventResponse> OnTopicEventAsync(TopicEventRequest request) =>
        invoker.AsyncUnaryCall(OnTopicEvent, null, new CallOptions(), request).ResponseAsync;

    public Task<ListTopicSubscriptionsResponse> ListTopicSubscriptionsAsync() =>
        invoker.AsyncUnaryCall(ListTopicSubscriptions, null, new CallOptions(), new Empty()).ResponseAsync;

    private static Marshaller<T> Marshal<T>(MessageParser<T> parser)
        where T : IMessage<T> => Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
}
