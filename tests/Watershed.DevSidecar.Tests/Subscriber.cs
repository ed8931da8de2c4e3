using System.Net;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResponseStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.DevSidecar.Tests;

/// <summary>One OnTopicEvent call as the app saw it, with the trace context and Dapr's app API token of its gRPC metadata.</summary>
internal sealed record Received(TopicEventRequest Request, string? TraceParent, string? TraceState, string? ApiToken = null);

/// <summary>What a subscribing app says and hears; it outlives the app, so a restarted app answers the same.</summary>
internal sealed class SubscriberState
{
    private readonly Lock _lock = new();
    private readonly List<Received> _received = [];

    public List<TopicSubscription> Subscriptions { get; } = [];

    /// <summary>The dapr-api-token metadata of each ListTopicSubscriptions call (null where there was none).</summary>
    public List<string?> SubscriptionQueryTokens { get; } = [];

    /// <summary>The answer to an event, given how many times (1, 2, …) that event id has arrived on that topic.</summary>
    public Func<TopicEventRequest, int, ResponseStatus> Answer { get; set; } = (_, _) => ResponseStatus.Success;

    public IReadOnlyList<Received> On(string topic)
    {
        lock (_lock)
        {
            return _received.Where(r => r.Request.Topic == topic).ToList();
        }
    }

    public IReadOnlyList<string> IdsOn(string topic) => On(topic).Select(r => r.Request.Id).ToList();

    public ResponseStatus Record(TopicEventRequest request, Metadata headers)
    {
        int arrival;
        lock (_lock)
        {
            _received.Add(new Received(request, headers.GetValue("traceparent"), headers.GetValue("tracestate"), headers.GetValue("dapr-api-token")));
            arrival = _received.Count(r => r.Request.Topic == request.Topic && r.Request.Id == request.Id);
        }

        return Answer(request, arrival);
    }
}

/// <summary>A subscribing app: Dapr's AppCallback service on an h2c loopback port, as Watershed services serve it.</summary>
internal sealed class Subscriber : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Subscriber(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    /// <param name="port">0 for any free port; an earlier subscriber's port to come back where it was.</param>
    public static async Task<Subscriber> StartAsync(SubscriberState state, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.MapGrpcService<CallbackService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Subscriber(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class CallbackService(SubscriberState state) : AppCallback.AppCallbackBase
    {
        public override Task<ListTopicSubscriptionsResponse> ListTopicSubscriptions(Empty request, ServerCallContext context)
        {
            lock (state.SubscriptionQueryTokens)
            {
                state.SubscriptionQueryTokens.Add(context.RequestHeaders.GetValue("dapr-api-token"));
            }

            return Task.FromResult(new ListTopicSubscriptionsResponse { Subscriptions = { state.Subscriptions } });
        }

        public override Task<TopicEventResponse> OnTopicEvent(TopicEventRequest request, ServerCallContext context) =>
            Task.FromResult(new TopicEventResponse { Status = state.Record(request, context.RequestHeaders) });
    }
}
