using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Watershed.DevSidecar.Bindings;
using Watershed.DevSidecar.Grpc;
using Watershed.DevSidecar.Http;
using Watershed.DevSidecar.PubSub;

namespace Watershed.DevSidecar;

/// <summary>
/// The stand-in as a started web application on its two ports (gRPC h2c and HTTP/1.1). Program runs it; tests
/// start it in-process on ports of their choosing (0 for any) and read back where it listens.
/// </summary>
public sealed class SidecarHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SidecarHost(WebApplication app, Uri grpcAddress, Uri httpAddress)
    {
        _app = app;
        GrpcAddress = grpcAddress;
        HttpAddress = httpAddress;
    }

    /// <summary>Where Dapr's gRPC API is served (what DAPR_GRPC_ENDPOINT should say).</summary>
    public Uri GrpcAddress { get; }

    /// <summary>Where health and the /dev pages are served (what DAPR_HTTP_ENDPOINT should say).</summary>
    public Uri HttpAddress { get; }

    /// <param name="args">Command-line configuration, as for any ASP.NET Core host.</param>
    /// <param name="settings">Configuration that overrides every other source (tests).</param>
    public static async Task<SidecarHost> StartAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // One line per request from the framework would drown the stand-in's own lines (one per publish and delivery);
        // refusals are answered to the caller, and daprd logs them at debug too.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc.AspNetCore", LogLevel.Warning);

        var section = builder.Configuration.GetSection(SidecarOptions.Section);
        var configured = section.Get<SidecarOptions>() ?? new SidecarOptions();
        ListenOptions? grpcEndpoint = null;
        ListenOptions? httpEndpoint = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(EndPoint(configured.GrpcUrl, "GrpcUrl"), listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                grpcEndpoint = listen;
            });
            kestrel.Listen(EndPoint(configured.HttpUrl, "HttpUrl"), listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                httpEndpoint = listen;
            });
        });

        builder.Services.AddOptions<SidecarOptions>().Bind(section).ValidateOnStart()
            .PostConfigure(options => options.AppApiToken ??= builder.Configuration["APP_API_TOKEN"]);
        builder.Services.AddSingleton<IValidateOptions<SidecarOptions>, SidecarOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SidecarTelemetry>();
        builder.Services.AddSingleton<EventStore>();
        builder.Services.AddSingleton<AppChannels>();
        builder.Services.AddSingleton<EventDeliverer>();
        builder.Services.AddSingleton<Publisher>();
        builder.Services.AddSingleton<OutputBindings>();
        builder.Services.AddSingleton<SubscriptionDiscovery>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SubscriptionDiscovery>());
        builder.Services.AddSingleton<DeliveryDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryDispatcher>());
        builder.Services.AddGrpc();
        AddTracing(builder);

        var app = builder.Build();
        app.MapGrpcService<DaprRuntimeService>();
        app.MapDevEndpoints();
        try
        {
            // Declared subscriptions are in the store before the first publish can arrive.
            var options = app.Services.GetRequiredService<IOptions<SidecarOptions>>().Value;
            await app.Services.GetRequiredService<EventStore>().ReplaceDeclaredAsync(
                options.Subscriptions.Select(s => new SubscriptionRecord(s.AppId, s.Pubsub, s.Topic,
                    string.IsNullOrEmpty(s.DeadLetterTopic) ? null : s.DeadLetterTopic, string.Empty, Declared: true)).ToList(),
                CancellationToken.None);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        // Kestrel writes the bound endpoint back into the listen options, so port 0 reads as the port it got.
        return new SidecarHost(app, Address(grpcEndpoint!), Address(httpEndpoint!));
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>OTLP export where a collector is configured, like every Watershed service; otherwise no listener, no spans.</summary>
    private static void AddTracing(WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(SidecarTelemetry.Name))
            .WithTracing(tracing => tracing.AddSource(SidecarTelemetry.Name))
            .UseOtlpExporter();
    }

    private static IPEndPoint EndPoint(string url, string key)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"Sidecar:{key} must be an http:// address with a port (the stand-in serves no TLS); it is '{url}'.");
        }

        var address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(uri.Host, out var parsed) => parsed,
            _ => throw new InvalidOperationException($"Sidecar:{key} must name an IP address or localhost; it is '{url}'."),
        };
        return new IPEndPoint(address, uri.Port);
    }

    private static Uri Address(ListenOptions endpoint)
    {
        var bound = endpoint.IPEndPoint!;
        var host = bound.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : bound.Address;
        return new Uri($"http://{new IPEndPoint(host, bound.Port)}");
    }
}
