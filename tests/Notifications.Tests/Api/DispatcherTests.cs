using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Watershed.Notifications.Domain;
using Watershed.Notifications.Sending;
using Watershed.Notifications.V1;
using Watershed.Testing;
using Channel = Watershed.Notifications.V1.Channel;
using DeliveryState = Watershed.Notifications.Domain.DeliveryState;

namespace Watershed.Notifications.Tests.Api;

/// <summary>The dispatcher: signed webhooks to a real endpoint, retries with backoff, a breaker per endpoint, at most once per entry.</summary>
public sealed class DispatcherTests
{
    // 22:30 in Lima (UTC-5) on 4 December 2026.
    private static readonly DateTimeOffset Evening = new(2026, 12, 5, 3, 30, 0, TimeSpan.Zero);

    private static async Task<(string Id, string Secret)> WatcherAsync(NotificationsApp app, string name, Uri? webhook, params Channel[] channels)
    {
        var request = Sample.Watcher(name, channels);
        request.WebhookUrl = webhook?.ToString() ?? string.Empty;
        var created = await app.Watchers(TestTokens.Facilitator(Sample.Watershed)).CreateWatcherAsync(request);
        return (created.Watcher.Id, created.WebhookSecret);
    }

    private static Task RaiseAsync(NotificationsApp app, string eventId, IMessage? message = null) =>
        app.Callback().OnTopicEventAsync(Sample.Delivered(message ?? Sample.AlertRaised(), eventId, "alert_rules/e001/areas/e002"));

    [Fact]
    public async Task A_webhook_watcher_receives_the_cloud_event_signed_with_its_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var clock = new FakeTimeProvider(Evening);
        await using var app = await NotificationsApp.OnPostgresAsync(clock: clock);
        var (_, secret) = await WatcherAsync(app, "Mesa de alertas", receiver.Url(), Channel.Webhook);
        Assert.Matches("^whsec_[0-9a-f]{64}$", secret);

        await RaiseAsync(app, "evt-alert-1");
        Assert.Equal(1, await app.DispatchAsync());

        var post = Assert.Single(receiver.Posts);
        Assert.Equal("application/cloudevents+json; charset=utf-8", post.ContentType);
        var t = Evening.ToUnixTimeSeconds();
        var expected = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{post.Body}"))).ToLowerInvariant();
        Assert.Equal($"t={t},v1={expected}", post.Signature);

        var cloudEvent = JsonNode.Parse(post.Body)!;
        Assert.Equal(
            ("1.0", "evt-alert-1", "watershed.indicators.v1.AlertRaised", "watershed-indicators", "alert_rules/e001/areas/e002", "2026-12-04T15:00:00.0000000Z"),
            ((string?)cloudEvent["specversion"], (string?)cloudEvent["id"], (string?)cloudEvent["type"], (string?)cloudEvent["source"], (string?)cloudEvent["subject"], (string?)cloudEvent["time"]));
        var sentData = JsonNode.Parse(new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true)).Format(Sample.AlertRaised()));
        Assert.True(JsonNode.DeepEquals(sentData, cloudEvent["data"]), $"data differs: {cloudEvent["data"]}");

        var delivery = Assert.Single(await app.StoredDeliveriesAsync());
        Assert.Equal((DeliveryState.Sent, 1, Evening), (delivery.State, delivery.Attempts, delivery.SentAt!.Value));
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_after_1_2_4_8_and_16_minutes_and_stays_failed_after_6_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 503;
        var clock = new FakeTimeProvider(Evening);
        await using var app = await NotificationsApp.OnPostgresAsync(clock: clock, settings: new Dictionary<string, string?>
        {
            ["Notifications:Webhook:Retries"] = "0",
            ["Notifications:Webhook:BreakerMinimumThroughput"] = "1000",
        });
        await WatcherAsync(app, "Mesa de alertas", receiver.Url(), Channel.Webhook);
        await RaiseAsync(app, "evt-alert-2");

        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            Assert.Equal(1, await app.DispatchAsync());
            var delivery = Assert.Single(await app.StoredDeliveriesAsync());
            Assert.Equal((DeliveryState.Failed, attempt, "the endpoint answered HTTP 503"), (delivery.State, delivery.Attempts, delivery.FailureReason));
            if (delivery.NextAttemptAt is { } next)
            {
                waits.Add(next - clock.GetUtcNow());
                clock.SetUtcNow(next);
            }
        }

        Assert.Equal([1, 2, 4, 8, 16], waits.Select(w => w.TotalMinutes));
        Assert.Null((await app.StoredDeliveriesAsync()).Single().NextAttemptAt);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await app.DispatchAsync());
        Assert.Equal(6, receiver.Posts.Count);
    }

    [Fact]
    public async Task A_blip_at_the_endpoint_is_retried_within_the_attempt_with_the_same_event_and_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(503, 502);
        await using var app = await NotificationsApp.OnPostgresAsync(clock: new FakeTimeProvider(Evening));
        await WatcherAsync(app, "Mesa de alertas", receiver.Url(), Channel.Webhook);
        await RaiseAsync(app, "evt-blip");

        Assert.Equal(1, await app.DispatchAsync());
        var posts = receiver.Posts.ToList();
        Assert.Equal(3, posts.Count);
        Assert.Single(posts.Select(p => (p.Signature, p.Body)).Distinct());
        var delivery = Assert.Single(await app.StoredDeliveriesAsync());
        Assert.Equal((DeliveryState.Sent, 1), (delivery.State, delivery.Attempts));
    }

    [Fact]
    public async Task An_endpoint_that_refuses_with_a_4xx_is_not_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 410;
        await using var app = await NotificationsApp.OnPostgresAsync(clock: new FakeTimeProvider(Evening));
        await WatcherAsync(app, "Mesa de alertas", receiver.Url(), Channel.Webhook);
        await RaiseAsync(app, "evt-alert-3");

        Assert.Equal(1, await app.DispatchAsync());
        var delivery = Assert.Single(await app.StoredDeliveriesAsync());
        Assert.Equal((DeliveryState.Failed, 1, "the endpoint refused it (HTTP 410)", (DateTimeOffset?)null),
            (delivery.State, delivery.Attempts, delivery.FailureReason, delivery.NextAttemptAt));
    }

    [Fact]
    public async Task A_failing_endpoint_opens_its_own_breaker_and_another_endpoint_is_still_served()
    {
        await using var failing = await WebhookReceiver.StartAsync();
        failing.DefaultStatus = 500;
        await using var healthy = await WebhookReceiver.StartAsync();
        await using var app = await NotificationsApp.OnPostgresAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:Webhook:Retries"] = "0",
            ["Notifications:Webhook:BreakerMinimumThroughput"] = "2",
            ["Notifications:SendConcurrency"] = "1",
        });
        await WatcherAsync(app, "Failing desk", failing.Url(), Channel.Webhook);
        await WatcherAsync(app, "Healthy desk", healthy.Url(), Channel.Webhook);
        for (var i = 0; i < 4; i++)
        {
            await RaiseAsync(app, $"evt-breaker-{i}");
        }

        Assert.Equal(8, await app.DispatchAsync());

        Assert.Equal(2, failing.Posts.Count);
        Assert.Equal(4, healthy.Posts.Count);
        var failed = (await app.StoredDeliveriesAsync()).Where(d => d.State == DeliveryState.Failed).Select(d => d.FailureReason).Order().ToList();
        Assert.Equal(
        [
            "the endpoint answered HTTP 500", "the endpoint answered HTTP 500",
            "the endpoint keeps failing; its circuit is open for a while", "the endpoint keeps failing; its circuit is open for a while",
        ], failed);
    }

    [Fact]
    public async Task Concurrent_dispatchers_send_every_entry_exactly_once()
    {
        var sender = new RecordingSender();
        await using var app = await NotificationsApp.OnPostgresAsync(
            settings: new Dictionary<string, string?> { ["Notifications:SendConcurrency"] = "3" },
            services: s => s.AddSingleton<IDeliverySender>(sender));
        for (var w = 0; w < 5; w++)
        {
            await WatcherAsync(app, $"Desk {w}", null, Channel.Email);
        }

        for (var e = 0; e < 6; e++)
        {
            await RaiseAsync(app, $"evt-many-{e}");
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (await app.DispatchAsync() > 0)
            {
            }
        })));

        var deliveries = await app.StoredDeliveriesAsync();
        Assert.Equal(30, deliveries.Count);
        Assert.Equal(30, sender.Sent.Count);
        Assert.Equal(deliveries.Select(d => d.Id).Order(), sender.Sent.Select(s => s.Id).Order());
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.Sent, 1), (d.State, d.Attempts)));
    }

    [Fact]
    public async Task An_entry_left_sending_by_a_process_that_died_is_failed_as_unknown_and_never_sent_again()
    {
        var sender = new RecordingSender();
        var clock = new FakeTimeProvider(Evening);
        await using var app = await NotificationsApp.OnPostgresAsync(clock: clock, services: s => s.AddSingleton<IDeliverySender>(sender));
        await WatcherAsync(app, "Mesa de alertas", null, Channel.Email);
        await RaiseAsync(app, "evt-died");

        // What a dispatcher commits before it sends; the process then dies before it marks the outcome.
        await app.WithDbAsync(async db =>
        {
            var delivery = db.Deliveries.Single();
            delivery.StartAttempt(clock.GetUtcNow(), new Watershed.Notifications.Domain.Messages.MessageTemplates(TimeZoneInfo.Utc));
            return await db.SaveChangesAsync();
        });

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, await app.DispatchAsync());
        Assert.Equal(DeliveryState.Sending, (await app.StoredDeliveriesAsync()).Single().State);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await app.DispatchAsync());
        var failed = (await app.StoredDeliveriesAsync()).Single();
        Assert.Equal((DeliveryState.Failed, 1, (DateTimeOffset?)null), (failed.State, failed.Attempts, failed.NextAttemptAt));
        Assert.StartsWith("outcome unknown", failed.FailureReason, StringComparison.Ordinal);
        Assert.Empty(sender.Sent);
    }

    [Fact]
    public async Task A_webhook_left_sending_by_a_process_that_died_is_sent_again_with_the_same_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var clock = new FakeTimeProvider(Evening);
        await using var app = await NotificationsApp.OnPostgresAsync(clock: clock);
        await WatcherAsync(app, "Mesa de alertas", receiver.Url(), Channel.Webhook);
        await RaiseAsync(app, "evt-died-webhook");
        await app.WithDbAsync(async db =>
        {
            db.Deliveries.Single().StartAttempt(clock.GetUtcNow(), new Watershed.Notifications.Domain.Messages.MessageTemplates(TimeZoneInfo.Utc));
            return await db.SaveChangesAsync();
        });

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(0, await app.DispatchAsync());
        var interrupted = (await app.StoredDeliveriesAsync()).Single();
        Assert.Equal((DeliveryState.Failed, 1), (interrupted.State, interrupted.Attempts));
        Assert.StartsWith("interrupted while sending; sent again", interrupted.FailureReason, StringComparison.Ordinal);
        Assert.NotNull(interrupted.NextAttemptAt);

        clock.SetUtcNow(interrupted.NextAttemptAt!.Value);
        Assert.Equal(1, await app.DispatchAsync());
        var sent = (await app.StoredDeliveriesAsync()).Single();
        Assert.Equal((DeliveryState.Sent, 2), (sent.State, sent.Attempts));
        Assert.Equal("evt-died-webhook", System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(receiver.Posts).Body)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_entries_being_sent_are_marked_sending_so_a_process_that_dies_leaves_the_others_waiting()
    {
        var release = new TaskCompletionSource();
        var sender = new RecordingSender { Hold = release.Task };
        await using var app = await NotificationsApp.OnPostgresAsync(
            clock: new FakeTimeProvider(Evening),
            settings: new Dictionary<string, string?> { ["Notifications:SendConcurrency"] = "2" },
            services: s => s.AddSingleton<IDeliverySender>(sender));
        for (var w = 0; w < 5; w++)
        {
            await WatcherAsync(app, $"Mesa {w}", null, Channel.Email);
        }

        await RaiseAsync(app, "evt-five");
        var dispatching = app.DispatchAsync();
        await sender.Started(2);

        // Two sends are in flight: only they are marked; the three others are still waiting to be taken.
        var during = await app.StoredDeliveriesAsync();
        Assert.Equal(2, during.Count(d => d.State == DeliveryState.Sending));
        Assert.Equal(3, during.Count(d => d.State == DeliveryState.Queued && d.NextAttemptAt is not null && d.Attempts == 0));

        release.SetResult();
        Assert.Equal(5, await dispatching);

        Assert.All(await app.StoredDeliveriesAsync(), d => Assert.Equal((DeliveryState.Sent, 1), (d.State, d.Attempts)));
        Assert.Equal(5, sender.Sent.Count);
    }

    [Fact]
    public async Task A_message_deferred_by_quiet_hours_goes_when_they_end()
    {
        var sender = new RecordingSender();
        var clock = new FakeTimeProvider(Evening);
        await using var app = await NotificationsApp.OnPostgresAsync(clock: clock, services: s => s.AddSingleton<IDeliverySender>(sender));
        var (watcher, _) = await WatcherAsync(app, "Mesa de alertas", null, Channel.Email);
        await app.Preferences(TestTokens.Facilitator(Sample.Watershed)).SetPreferencesAsync(new SetPreferencesRequest
        {
            WatcherId = watcher, QuietHours = new V1.QuietHours { Start = "21:00", End = "06:00" },
        });
        await RaiseAsync(app, "evt-night");

        Assert.Equal(0, await app.DispatchAsync());
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 10, 59, 0, TimeSpan.Zero));
        Assert.Equal(0, await app.DispatchAsync());
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await app.DispatchAsync());
        Assert.Equal("Alerta en Manzanares", Assert.Single(sender.Sent).Subject);
    }

    [Fact]
    public async Task Messages_queued_for_a_watcher_deleted_since_are_not_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await NotificationsApp.OnPostgresAsync(clock: new FakeTimeProvider(Evening));
        var (watcher, _) = await WatcherAsync(app, "Mesa de alertas", receiver.Url(), Channel.Webhook, Channel.Email);
        await RaiseAsync(app, "evt-deleted");
        await app.Watchers(TestTokens.Facilitator(Sample.Watershed)).DeleteWatcherAsync(new DeleteWatcherRequest { WatcherId = watcher });

        Assert.Equal(2, await app.DispatchAsync());
        Assert.Empty(receiver.Posts);
        Assert.All(await app.StoredDeliveriesAsync(), d =>
            Assert.Equal((DeliveryState.Failed, "the watcher was deleted or no longer takes this channel", (DateTimeOffset?)null), (d.State, d.FailureReason, d.NextAttemptAt)));
    }

    [Fact]
    public async Task A_commit_wakes_the_running_dispatcher()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await NotificationsApp.OnPostgresAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:DispatcherEnabled"] = "true",
            ["Notifications:IdlePoll"] = "01:00:00",
        });
        await WatcherAsync(app, "Mesa de alertas", receiver.Url(), Channel.Webhook);
        await RaiseAsync(app, "evt-wake");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.Posts.Count == 1),
            "the dispatcher, idle for an hour, should send a delivery as soon as it is committed");
    }
}
