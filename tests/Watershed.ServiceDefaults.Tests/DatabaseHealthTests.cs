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
}
