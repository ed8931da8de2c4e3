using Dapr.AppCallback.Autogen.Grpc.v1;
using Grpc.Core;
using Watershed.Testing;

namespace Watershed.Notifications.Tests.Api;

/// <summary>Calls the notifications host's dapr.proto.runtime.v1.AppCallback as daprd does (through the shared DaprCallback).</summary>
public sealed class AppCallbackClient(CallInvoker invoker)
{
    public Task<TopicEventResponse> OnTopicEventAsync(TopicEventRequest request) => DaprCallback.OnTopicEventAsync(invoker, request);

    public Task<ListTopicSubscriptionsResponse> ListTopicSubscriptionsAsync() => DaprCallback.SubscriptionsAsync(invoker);
}
