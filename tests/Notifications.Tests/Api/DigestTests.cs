using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watershed.Notifications.Sending;
using Watershed.Notifications.V1;
using Watershed.Testing;
using DeferReason = Watershed.Notifications.Domain.DeferReason;
using DeliveryState = Watershed.Notifications.Domain.DeliveryState;
using DomainChannel = Watershed.Notifications.Domain.Channel;
using EventStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.Notifications.Tests.Api;

/// <summary>Imports reach people as one digest a day (08:00 to 08:00 in Lima) and machines one by one.</summary>
public sealed class DigestTests : IAsyncLifetime
{
    // 22:30 in Lima (UTC-5) on 4 December 2026: in the digest day that ends at 08:00 on the 5th (13:00 UTC).
    private static readonly DateTimeOffset Evening = new(2026, 12, 5, 3, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset DayEnd = new(2026, 12, 5, 13, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Evening);
    private readonly RecordingSender _sender = new();
    private NotificationsApp _app = null!;
    private string _watcher = null!;

    public async Task InitializeAsync()
    {
        _app = await NotificationsApp.OnPostgresAsync(clock: _clock, services: s => s.AddSingleton<IDeliverySender>(_sender));
        var request = Sample.Watcher("Mesa de encuestas", Channel.Sms, Channel.Email, Channel.Webhook);
        request.WebhookUrl = "https://ngo.example/watershed";
        _watcher = (await _app.Watchers(TestTokens.Facilitator(Sample.Watershed)).CreateWatcherAsync(request)).Watcher.Id;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<EventStatus> ImportAsync(string id, string round, int rows) =>
        (await _app.Callback().OnTopicEventAsync(Sample.Delivered(Sample.Imported(round, rows), id, "survey_rounds/f001"))).Status;

    [Fact]
    public async Task Three_imports_make_one_sms_and_one_email_at_the_end_of_the_day_and_three_webhooks_at_once()
    {
        Assert.Equal(EventStatus.Success, await ImportAsync("evt-imp-1", "Línea de base Manzanares", 32));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(EventStatus.Success, await ImportAsync("evt-imp-2", "Línea de base Conchacalla", 26));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(EventStatus.Success, await ImportAsync("evt-imp-3", "Seguimiento Tocorani", 12));
        Assert.Equal(EventStatus.Success, await ImportAsync("evt-imp-3", "Seguimiento Tocorani", 12));

        var deliveries = await _app.StoredDeliveriesAsync();
        var digests = deliveries.Where(d => d.IsDigest).OrderBy(d => d.Channel).ToList();
        Assert.Equal(
            [(DomainChannel.Sms, "digest:imports:2026-12-04T08:00", DeliveryState.Deferred, (DeferReason?)DeferReason.Digest, DayEnd),
             (DomainChannel.Email, "digest:imports:2026-12-04T08:00", DeliveryState.Deferred, DeferReason.Digest, DayEnd)],
            digests.Select(d => (d.Channel, d.EventId, d.State, d.DeferReason, d.NotBefore)));
        Assert.All(digests, d => Assert.Equal(["evt-imp-1", "evt-imp-2", "evt-imp-3"], d.DigestItems.OrderBy(i => i.AddedAt).Select(i => i.EventId)));
        Assert.Equal(["evt-imp-1", "evt-imp-2", "evt-imp-3"], deliveries.Where(d => d.Channel == DomainChannel.Webhook).Select(d => d.EventId));

        Assert.Equal(3, await _app.DispatchAsync());
        _clock.SetUtcNow(DayEnd.AddSeconds(-1));
        Assert.Equal(0, await _app.DispatchAsync());
        _clock.SetUtcNow(DayEnd);
        Assert.Equal(2, await _app.DispatchAsync());

        var sms = _sender.Sent.Single(s => s.Channel == DomainChannel.Sms);
        Assert.Equal(
            "Resumen del dia: 3 importaciones de encuestas, 70 hogares nuevos: Linea de base Manzanares 32, Linea de base Conchacalla 26, Seguimiento Tocorani 12.",
            sms.Body);
        Assert.Equal("Resumen del día: 3 importaciones de encuestas", _sender.Sent.Single(s => s.Channel == DomainChannel.Email).Subject);

        // An import after the day's digest went out starts the next day's.
        Assert.Equal(EventStatus.Success, await ImportAsync("evt-imp-4", "Seguimiento Santa Lucía", 9));
        var next = (await _app.StoredDeliveriesAsync()).Where(d => d.IsDigest && d.State == DeliveryState.Deferred).ToList();
        Assert.Equal(["digest:imports:2026-12-05T08:00", "digest:imports:2026-12-05T08:00"], next.Select(d => d.EventId));
        Assert.Equal([DayEnd.AddDays(1), DayEnd.AddDays(1)], next.Select(d => d.NotBefore));
    }

    [Fact]
    public async Task Imports_arriving_at_once_end_up_in_one_digest_each_once()
    {
        for (var round = 0; round < 3; round++)
        {
            var ids = Enumerable.Range(0, 3).Select(i => $"evt-race-{round}-{i}").ToList();
            var pending = ids.ToList();
            while (pending.Count > 0)
            {
                // The loser of a race to open the digest asks Dapr to deliver its event again, as Dapr then does.
                var outcomes = await Task.WhenAll(pending.Select(id => Task.Run(async () => (id, await ImportAsync(id, $"Ronda {id}", 10)))));
                Assert.All(outcomes, o => Assert.Contains(o.Item2, new[] { EventStatus.Success, EventStatus.Retry }));
                pending = [.. outcomes.Where(o => o.Item2 == EventStatus.Retry).Select(o => o.id)];
            }

            var digests = (await _app.StoredDeliveriesAsync()).Where(d => d.IsDigest && d.DigestItems.Any(i => ids.Contains(i.EventId))).ToList();
            Assert.Equal([DomainChannel.Sms, DomainChannel.Email], digests.Select(d => d.Channel).Order());
            Assert.All(digests, d => Assert.Equal(ids, d.DigestItems.Select(i => i.EventId).Order()));
            _clock.Advance(TimeSpan.FromDays(1));
        }
    }
}
