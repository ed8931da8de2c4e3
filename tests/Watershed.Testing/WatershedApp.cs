using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Watershed.Testing;

/// <summary>
/// A service's real host on a real database (PostgreSQL or SQLite) with real token validation,
/// called through the in-memory test server or, for socket tests, through Kestrel on loopback.
/// </summary>
public class WatershedApp<TProgram> : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private static readonly CallRecorder Recorder = new();
    private readonly Dictionary<string, string?> _settings;

    protected WatershedApp(string provider, string connectionString, bool kestrel, IDictionary<string, string?>? settings = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connectionString,
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0",

            // No sidecar runs beside an API test: events wait in the outbox, where tests can read them.
            ["Events:RelayEnabled"] = "false",
        };

        // Test classes call one RPC many times with one token (bad-input tables, corpora): rate limits (the policies of
        // ServiceDefaults' RateLimitPolicies) stay out of their way unless a test sets its own (the rate-limit tests do).
        foreach (var policy in new[] { "votes", "proposals", "imports", "webhooks" })
        {
            _settings.TryAdd($"RateLimits:{policy}:PermitLimit", "1000000");
        }
        if (kestrel)
        {
            UseKestrel();
        }
    }

    /// <summary>"Postgres" or "Sqlite".</summary>
    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Every row of every table, to prove a refused call changed nothing.</summary>
    public Task<DatabaseSnapshot> SnapshotAsync() => DatabaseSnapshot.TakeAsync(Provider, ConnectionString);

    /// <summary>Extra service registrations for one test, applied after the service's own.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (ConfigureTestServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    /// <summary>
    /// Every gRPC method the host serves (its services, dead letters, Dapr's AppCallback, health, reflection where on), as
    /// its endpoints declare them: what the authorisation matrix must have a row for.
    /// </summary>
    public IReadOnlyList<IMethod> ServedGrpcMethods()
    {
        StartServer();
        return [.. Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method)
            .OfType<IMethod>()
            // grpc-dotnet's catch-alls for unknown services and methods answer UNIMPLEMENTED; they are no RPC of ours.
            .Where(m => !m.Name.Contains('{', StringComparison.Ordinal) && !m.ServiceName.Contains('{', StringComparison.Ordinal))
            .DistinctBy(m => m.FullName)];
    }

    /// <summary>The loopback address Kestrel bound (socket hosts only).</summary>
    public Uri SocketAddress()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.First());
    }

    public GrpcChannel Channel()
    {
        StartServer();
        return GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() });
    }

    /// <summary>A call invoker that sends <paramref name="token"/> as the bearer token (none when null).</summary>
    public CallInvoker Invoker(string? token) => Authorized(Channel(), token);

    public static CallInvoker Authorized(ChannelBase channel, string? token) =>
        token is null
            ? channel.Intercept(Recorder)
            : channel.Intercept(Recorder).Intercept(metadata =>
            {
                metadata.Add("Authorization", $"Bearer {token}");
                return metadata;
            });
}
