using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Notifications.Data;
using Delivery = Watershed.Notifications.Domain.Delivery;
using Watershed.Notifications.Sending;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// The real notifications host on a fresh PostgreSQL database, with real token validation. Its dispatcher is off
/// unless a test turns it on: tests send due deliveries themselves (<see cref="DispatchAsync"/>) at the time they set.
/// </summary>
public sealed class NotificationsApp : WatershedApp<Program>
{
    private NotificationsApp(string provider, string connectionString, IDictionary<string, string?> settings)
        : base(provider, connectionString, kestrel: false, settings)
    {
    }

    /// <param name="consultation">Where consultation's ContactService answers (default: a port where nothing listens).</param>
    /// <param name="clock">The host's clock (default: the system's).</param>
    public static async Task<NotificationsApp> OnPostgresAsync(
        Uri? consultation = null,
        TimeProvider? clock = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var postgres = await PostgresServer.GetAsync();
        var all = new Dictionary<string, string?>
        {
            ["Services:consultation:Address"] = (consultation ?? Sample.ClosedPort()).ToString(),
            ["Services:consultation:Deadline"] = "00:00:05",
            ["Services:consultation:MaxAttempts"] = "2",
            ["Notifications:DispatcherEnabled"] = "false",
            ["Notifications:Webhook:RetryDelay"] = "00:00:00.050",
            ["Notifications:AllowLoopbackWebhooks"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new NotificationsApp("Postgres", await postgres.CreateDatabaseAsync("notifications"), all)
        {
            ConfigureTestServices = s =>
            {
                if (clock is not null)
                {
                    s.AddSingleton(clock);
                }

                services?.Invoke(s);
            },
        };
    }

    /// <summary>The local default: a SQLite file, its schema created from the model.</summary>
    public static NotificationsApp OnSqlite(string file, TimeProvider clock, Action<IServiceCollection> services) =>
        new("Sqlite", $"Data Source={file}", new Dictionary<string, string?>
        {
            ["Services:consultation:Address"] = Sample.ClosedPort().ToString(),
            ["Notifications:DispatcherEnabled"] = "false",
            ["Notifications:AllowLoopbackWebhooks"] = "true",
        })
        {
            ConfigureTestServices = s =>
            {
                s.AddSingleton(clock);
                services(s);
            },
        };

    public WatcherService.WatcherServiceClient Watchers(string? token) => new(Invoker(token));

    public PreferenceService.PreferenceServiceClient Preferences(string? token) => new(Invoker(token));

    public DeliveryService.DeliveryServiceClient Deliveries(string? token) => new(Invoker(token));

    /// <summary>Dapr's side of the AppCallback: what a sidecar calls to deliver an event (no token, as from daprd).</summary>
    public AppCallbackClient Callback() => new(Invoker(null));

    /// <summary>Sends what is due now, as the dispatcher does when woken; returns how many entries it attempted.</summary>
    /// <summary>Sends everything due now, batch after batch as the running dispatcher does; returns how many it attempted.</summary>
    public async Task<int> DispatchAsync()
    {
        var dispatcher = Services.GetRequiredService<DeliveryDispatcher>();
        var total = 0;
        for (int attempted; (attempted = await dispatcher.DispatchDueAsync(CancellationToken.None)) > 0;)
        {
            total += attempted;
        }

        return total;
    }

    public async Task<List<Delivery>> StoredDeliveriesAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Deliveries.AsNoTracking().Include(d => d.DigestItems).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync();
    }

    public async Task<T> WithDbAsync<T>(Func<NotificationsDbContext, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<NotificationsDbContext>());
    }
}
