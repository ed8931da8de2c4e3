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

    private static ServiceProvider Client(string address)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:probe:Address"] = address,
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
        var server = WebApplication.CreateBuilder();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        server.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        server.Services.AddGrpc();
        server.Services.AddGrpcHealthChecks().AddCheck("self", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        await using var app = server.Build();
        app.MapGrpcHealthChecksService();
        await app.StartAsync();

        await using var services = Client(app.Urls.First());
        var reply = await services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        await app.StopAsync();
    }
}
