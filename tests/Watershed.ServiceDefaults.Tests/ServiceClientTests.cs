using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>Cross-service clients against a real socket where nothing listens, and against a live server.</summary>
public sealed class ServiceClientTests
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ServiceProvider Client(string address) => Client(new Dictionary<string, string?> { ["Services:probe:Address"] = address });

    private static ServiceProvider Client(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:probe:MaxAttempts"] = "2",
            ["Services:probe:BreakerMinimumThroughput"] = "2",
            ["Services:probe:BreakerDuration"] = "00:01:00",
            ["Auth:Issuer"] = Watershed.Testing.TestTokens.Issuer,
            ["Auth:Audience"] = Watershed.Testing.TestTokens.Audience,
            ["Auth:SigningKey"] = Watershed.Testing.TestTokens.SigningKey,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<Watershed.ServiceDefaults.Security.AuthOptions>().Bind(builder.Configuration.GetSection("Auth"));
        builder.AddServiceToken("probe");
        builder.AddServiceClient<Health.HealthClient>("probe", CallIdentity.Service);
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_dependency_that_does_not_listen_is_unavailable_then_the_breaker_opens()
    {
        await using var services = Client($"http://127.0.0.1:{ClosedPort()}");
        var client = services.GetRequiredService<Health.HealthClient>();

        var first = await Assert.ThrowsAsync<DependencyUnavailableException>(() => client.CheckAsync(new HealthCheckRequest()).ResponseAsync);
        Assert.Equal("probe", first.Dependency);
        Assert.Contains("did not answer", first.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DependencyUnavailableException>(() => client.CheckAsync(new HealthCheckRequest()).ResponseAsync);

        var paused = await Assert.ThrowsAsync<DependencyUnavailableException>(() => client.CheckAsync(new HealthCheckRequest()).ResponseAsync);
        Assert.Contains("paused", paused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_dependency_answers_through_the_same_client()
    {
        var calls = new List<(string Path, string? AppId)>();
        await using var app = await HealthServerAsync(calls);

        await using var services = Client(app.Urls.First());
        var reply = await services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        Assert.Equal([("/grpc.health.v1.Health/Check", (string?)null)], calls);
        await app.StopAsync();
    }

    [Fact]
    public async Task With_a_dapr_app_id_calls_go_to_the_sidecar_endpoint_naming_the_app_and_not_to_the_address()
    {
        var sidecar = new List<(string Path, string? AppId)>();
        await using var sidecarApp = await HealthServerAsync(sidecar);
        var direct = new List<(string Path, string? AppId)>();
        await using var directApp = await HealthServerAsync(direct);

        await using var services = Client(new Dictionary<string, string?>
        {
            ["Services:probe:Address"] = directApp.Urls.First(),
            ["Services:probe:DaprAppId"] = "consultation",
            ["DAPR_GRPC_ENDPOINT"] = sidecarApp.Urls.First(),
        });
        var reply = await services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        Assert.Equal([("/grpc.health.v1.Health/Check", (string?)"consultation")], sidecar);
        Assert.Empty(direct);
    }

    [Fact]
    public async Task With_a_dapr_app_id_and_only_dapr_grpc_port_the_sidecar_is_on_loopback_at_that_port()
    {
        var sidecar = new List<(string Path, string? AppId)>();
        await using var sidecarApp = await HealthServerAsync(sidecar);

        await using var services = Client(new Dictionary<string, string?>
        {
            ["Services:probe:DaprAppId"] = "landuse",
            ["DAPR_GRPC_PORT"] = new Uri(sidecarApp.Urls.First()).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest());

        Assert.Equal([("/grpc.health.v1.Health/Check", (string?)"landuse")], sidecar);
    }

    [Theory]
    [InlineData(null, null, null, "Services:probe:Address must be an absolute URL")]
    [InlineData(null, "Consultation!", null, "Services:probe:DaprAppId must be a Dapr app id")]
    [InlineData(null, "consultation", "not a url", "DAPR_GRPC_ENDPOINT")]
    public void A_client_with_no_usable_destination_fails_at_start_naming_the_setting(string? address, string? appId, string? sidecar, string expected)
    {
        using var services = Client(new Dictionary<string, string?>
        {
            ["Services:probe:Address"] = address,
            ["Services:probe:DaprAppId"] = appId,
            ["DAPR_GRPC_ENDPOINT"] = sidecar,
        });

        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ServiceClientOptions>>().Get("probe"));
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A gRPC health server on a loopback port that records each call's path and <c>dapr-app-id</c> header.</summary>
    private static async Task<WebApplication> HealthServerAsync(List<(string Path, string? AppId)> calls)
    {
        var server = WebApplication.CreateBuilder();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        server.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        server.Services.AddGrpc();
        server.Services.AddGrpcHealthChecks().AddCheck("self", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        var app = server.Build();
        app.Use(async (context, next) =>
        {
            lock (calls)
            {
                calls.Add((context.Request.Path.Value!, context.Request.Headers.TryGetValue("dapr-app-id", out var id) ? id.ToString() : null));
            }

            await next();
        });
        app.MapGrpcHealthChecksService();
        await app.StartAsync();
        return app;
    }
}
