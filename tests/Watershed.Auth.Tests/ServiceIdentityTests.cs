using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Watershed.DevIdentity;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Auth.Tests;

/// <summary>
/// Whose token a cross-service call carries, seen by the callee: a service host with the real ServiceDefaults
/// (bearer validation against the development provider, client credentials for its own identity) calls a recording
/// gRPC server from a user's call, from an anonymous endpoint (where Dapr's AppCallback and so the event handlers
/// run) and from background work.
/// </summary>
public sealed class ServiceIdentityTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _received = new();
    private DevIdentityHost _provider = null!;
    private WebApplication _callee = null!;

    public async Task InitializeAsync()
    {
        _provider = await Identity.StartAsync();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Configure(new ConfigurationBuilder().Build());
            k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_received);
        _callee = builder.Build();
        _callee.MapGrpcService<RecordingHealth>();
        await _callee.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _callee.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private sealed class RecordingHealth(ConcurrentQueue<string> received) : Health.HealthBase
    {
        public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
        {
            received.Enqueue(context.RequestHeaders.GetValue("authorization") ?? string.Empty);
            return Task.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving });
        }
    }

    /// <summary>A host that validates the provider's tokens and calls the recording server with <paramref name="identity"/>.</summary>
    private async Task<WebApplication> CallerAsync(CallIdentity identity)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Configure(new ConfigurationBuilder().Build());
            k.Listen(System.Net.IPAddress.Loopback, 0);
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(Identity.ServiceSettings(_provider, "landuse").Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)))
        {
            ["Services:probe:Address"] = _callee.Urls.First(),
        });
        builder.AddServiceDefaults("watershed-probe");
        builder.AddServiceToken("landuse");
        builder.AddServiceClient<Health.HealthClient>("probe", identity);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGet("/as-user", async (Health.HealthClient probe) => (await probe.CheckAsync(new HealthCheckRequest())).Status.ToString());
        app.MapGet("/anonymous", async (Health.HealthClient probe) => (await probe.CheckAsync(new HealthCheckRequest())).Status.ToString()).AllowAnonymous();
        await app.StartAsync();
        return app;
    }

    private static async Task CallAsync(WebApplication caller, string path, string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(caller.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
    }

    private string Received()
    {
        Assert.True(_received.TryDequeue(out var authorization));
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        return Identity.Read(authorization["Bearer ".Length..]).Subject;
    }

    [Fact]
    public async Task Calling_for_a_user_forwards_the_users_token_and_otherwise_the_service_asks_the_provider_for_its_own()
    {
        await using var caller = await CallerAsync(CallIdentity.UserOrService);
        var user = await Identity.UserTokenAsync(_provider, "facilitator.pomacanchi");

        await CallAsync(caller, "/as-user", user);
        Assert.Equal("facilitator.pomacanchi", Received());

        // An anonymous endpoint (as Dapr's AppCallback, where event handlers run) never passes on what its caller sent.
        await CallAsync(caller, "/anonymous", user);
        Assert.Equal("service:landuse", Received());

        // Background work has no incoming call at all.
        await caller.Services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest());
        Assert.Equal("service:landuse", Received());
    }

    [Fact]
    public async Task A_client_calling_as_the_service_never_forwards_the_users_token()
    {
        await using var caller = await CallerAsync(CallIdentity.Service);
        var user = await Identity.UserTokenAsync(_provider, "admin");

        await CallAsync(caller, "/as-user", user);
        Assert.Equal("service:landuse", Received());
        await CallAsync(caller, "/anonymous", user);
        Assert.Equal("service:landuse", Received());
    }
}
