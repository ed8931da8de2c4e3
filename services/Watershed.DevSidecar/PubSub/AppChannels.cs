using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;

namespace Watershed.DevSidecar.PubSub;

/// <summary>
/// One h2c channel per configured app, made on first use and kept: HTTP/2 reconnects by itself after the app restarts.
/// Every call carries the app's API token in <c>dapr-api-token</c> when one is set, as daprd sends APP_API_TOKEN.
/// </summary>
internal sealed class AppChannels(IOptions<SidecarOptions> options) : IDisposable
{
    public const string TokenHeader = "dapr-api-token";

    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    public string? AddressOf(string appId) => options.Value.Apps.TryGetValue(appId, out var app) ? app.Address : null;

    /// <summary>Null for an app the configuration does not name (any more).</summary>
    public CallInvoker? For(string appId)
    {
        if (AddressOf(appId) is not { } address)
        {
            return null;
        }

        var invoker = _channels.GetOrAdd(appId, _ => Create(address)).CreateCallInvoker();
        return options.Value.AppApiTokenFor(appId) is { } token
            ? invoker.Intercept(headers =>
            {
                headers.Add(TokenHeader, token);
                return headers;
            })
            : invoker;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    private static GrpcChannel Create(string address) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(5),
                EnableMultipleHttp2Connections = true,

                // The trace context sent to the app is the event's (or the delivery span's), set per call; the
                // handler must not replace it with whatever Activity happens to be current.
                ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
            },
            ThrowOperationCanceledOnCancellation = true,
        });
}
