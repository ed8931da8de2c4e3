using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watershed.Notifications.Sending;
using Watershed.Notifications.V1;
using Watershed.Testing;
using DeliveryState = Watershed.Notifications.Domain.DeliveryState;
using DomainChannel = Watershed.Notifications.Domain.Channel;

namespace Watershed.Notifications.Tests.Api;

/// <summary>The local default store: the same queue, digests and log on SQLite (instants as sortable ticks, the write lock for row locks).</summary>
public sealed class SqliteTests
{
    [Fact]
    public async Task Events_queue_defer_digest_and_send_on_sqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"notifications-{Guid.NewGuid():N}.db");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 3, 30, 0, TimeSpan.Zero));
        var sender = new RecordingSender();
        try
        {
            await using (var app = NotificationsApp.OnSqlite(file, clock, s => s.AddSingleton<IDeliverySender>(sender)))
            {
                var request = Sample.Watcher("Mesa de alertas", Channel.Sms, Channel.Webhook);
                request.WebhookUrl = "http://127.0.0.1:9/hook";
                var watcher = (await app.Watchers(TestTokens.Facilitator(Sample.Watershed)).CreateWatcherAsync(request)).Watcher.Id;
                await app.Preferences(TestTokens.Facilitator(Sample.Watershed)).SetPreferencesAsync(new SetPreferencesRequest
                {
                    WatcherId = watcher, QuietHours = new QuietHours { Start = "21:00", End = "06:00" },
                });
                var callback = app.Callback();
                await callback.OnTopicEventAsync(Sample.Delivered(Sample.AlertRaised(), "evt-sqlite-alert", "alert_rules/e001/areas/e002"));
                await callback.OnTopicEventAsync(Sample.Delivered(Sample.Imported("Línea de base Manzanares", 32), "evt-sqlite-imp-1", "survey_rounds/f001"));
                await callback.OnTopicEventAsync(Sample.Delivered(Sample.Imported("Línea de base Conchacalla", 26), "evt-sqlite-imp-2", "survey_rounds/f001"));

                // At 22:30: the three webhooks go; the alert SMS waits for 06:00, the imports' digest for 08:00.
                Assert.Equal(3, await app.DispatchAsync());
                clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero));
                Assert.Equal(1, await app.DispatchAsync());
                clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 13, 0, 0, TimeSpan.Zero));
                Assert.Equal(1, await app.DispatchAsync());

                var deliveries = await app.StoredDeliveriesAsync();
                Assert.All(deliveries, d => Assert.Equal(DeliveryState.Sent, d.State));
                Assert.Equal(
                    "Resumen del dia: 2 importaciones de encuestas, 58 hogares nuevos: Linea de base Manzanares 32, Linea de base Conchacalla 26.",
                    sender.Sent.Last(s => s.Channel == DomainChannel.Sms).Body);
                var log = await app.Deliveries(TestTokens.Facilitator(Sample.Watershed)).ListDeliveriesAsync(new ListDeliveriesRequest
                {
                    WatershedCode = Sample.Watershed, WatcherId = watcher, State = Watershed.Notifications.V1.DeliveryState.Sent,
                });
                Assert.Equal(5, log.Deliveries.Count);
                Assert.Equal(["evt-sqlite-imp-1", "evt-sqlite-imp-2"], log.Deliveries.Single(d => d.DigestEventIds.Count > 0).DigestEventIds);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
