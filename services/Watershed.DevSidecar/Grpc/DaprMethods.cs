using Dapr.AppCallback.Autogen.Grpc.v1;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using AppCallbackService = Dapr.AppCallback.Autogen.Grpc.v1.AppCallback;
using DaprService = Dapr.Client.Autogen.Grpc.v1.Dapr;

namespace Watershed.DevSidecar.Grpc;

/// <summary>
/// The Dapr methods the stand-in serves and calls, bound by hand: Dapr.Protos compiles a server base only for
/// AppCallback and a client only for the runtime, and the stand-in needs the opposite of each. Service names come
/// from the compiled descriptors, so they cannot drift from the contract.
/// </summary>
internal static class DaprMethods
{
    public static readonly Method<PublishEventRequest, Empty> PublishEvent =
        Unary(DaprService.Descriptor.FullName, "PublishEvent", PublishEventRequest.Parser, Empty.Parser);

    public static readonly Method<InvokeBindingRequest, InvokeBindingResponse> InvokeBinding =
        Unary(DaprService.Descriptor.FullName, "InvokeBinding", InvokeBindingRequest.Parser, InvokeBindingResponse.Parser);

    public static readonly Method<Empty, ListTopicSubscriptionsResponse> ListTopicSubscriptions =
        Unary(AppCallbackService.Descriptor.FullName, "ListTopicSubscriptions", Empty.Parser, ListTopicSubscriptionsResponse.Parser);

    public static readonly Method<TopicEventRequest, TopicEventResponse> OnTopicEvent =
        Unary(AppCallbackService.Descriptor.FullName, "OnTopicEvent", TopicEventRequest.Parser, TopicEventResponse.Parser);

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string service, string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, service, name, Marshal(request), Marshal(response));

    private static Marshaller<T> Marshal<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        Marshallers.Create(message => message.ToByteArray(), parser.ParseFrom);
}
