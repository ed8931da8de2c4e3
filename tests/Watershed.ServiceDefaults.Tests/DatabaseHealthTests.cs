using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Watershed.ServiceDefaults.Data;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>grpc.health.v1 readiness follows the database; liveness does not.</summary>
public sealed class DatabaseHealthTests
{
    private const HealthCheckResponse.Types.ServingStatus Serving = HealthCheckResponse.Types.ServingStatus.Serving;
    private const HealthCheckResponse.Types.ServingStatus NotServing = HealthCheckResponse.Types.ServingStatus.NotServing;

    private sealed class ProbeContext(DbContextOptions<ProbeContext> options) : DbContext(options);

    private static async Task<(WebApplication App, Health.HealthClient Client)> StartAsync(string provider, string connectionString, bool initialize)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["Database:ConnectionString"] = connectionString,
        });
        builder.Services.AddGrpc();
        builder.Services.AddServiceHealthChecks();
        builder.AddServiceDatabase<ProbeContext>();
        var app = builder.Build();
        app.MapGrpcHealthChecksService();
        if (initialize)
        {
            await app.Services.InitializeDatabaseAsync<ProbeContext>();
        }

        await app.StartAsync();
        return (app, new Health.HealthClient(GrpcChannel.ForAddress(app.Urls.First())));
    }

    [Fact]
    public async Task A_service_whose_postgres_does_not_answer_is_not_ready_but_alive()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (app, health) = await StartAsync("Postgres", $"Host=127.0.0.1;Port={closedPort};Username=postgres;Database=nowhere;Timeout=2", initialize: false);
        await using (app)
        {
            Assert.Equal(NotServing, (await health.CheckAsync(new HealthCheckRequest())).Status);
            Assert.Equal(NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Readiness })).Status);

            // A database outage must not make Kubernetes restart the pod: liveness asks no dependency.
            Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Liveness })).Status);
        }
    }

    [Fact]
    public async Task A_service_whose_database_answers_is_serving()
    {
        var file = Path.Combine(Path.GetTempPath(), $"health-{Guid.NewGuid():N}.db");
        var (app, health) = await StartAsync("Sqlite", $"Data Source={file}", initialize: true);
        await using (app)
        {
            Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
            Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Readiness })).Status);
            Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Liveness })).Status);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(file);
    }

    [Fact]
    public async Task Probes_of_a_postgres_service_reuse_pooled_connections()
    {
        // Every connection the service opens goes through a counting relay in front of PostgreSQL. A probe that opened
        // its own connection would cost a new server process per probe (Kubernetes probes every few seconds, the
        // benchmark thousands of times) and show here as one connection per probe.
        var postgres = await PostgresServer.GetAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("probe"));
        await using var relay = await CountingRelay.StartAsync(database.Port);
        database.Port = relay.Port;
        var (app, health) = await StartAsync("Postgres", database.ConnectionString, initialize: true);
        await using (app)
        {
            Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Readiness })).Status);
            var before = relay.Accepted;
            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(Serving, (await health.CheckAsync(new HealthCheckRequest { Service = HealthServices.Readiness })).Status);
            }

            Assert.True(before > 0, "the relay saw no connection at all, so it proves nothing");
            Assert.Equal(before, relay.Accepted);
        }
    }

    /// <summary>Forwards loopback TCP connections to a port and counts them.</summary>
    private sealed class CountingRelay : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly int _target;
        private int _accepted;

        private CountingRelay(int target) => _target = target;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Accepted => Volatile.Read(ref _accepted);

        public static Task<CountingRelay> StartAsync(int target)
        {
            var relay = new CountingRelay(target);
            relay._listener.Start();
            _ = relay.AcceptAsync();
            return Task.FromResult(relay);
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                Interlocked.Increment(ref _accepted);
                _ = PipeAsync(client);
            }
        }

        private async Task PipeAsync(TcpClient client)
        {
            using (client)
            using (var server = new TcpClient())
            {
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                    var a = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                    var b = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                    await Task.WhenAny(a, b);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
                {
                    // Either side went away: the relay closes both.
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
