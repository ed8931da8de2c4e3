using Dapr.AppCallback.Autogen.Grpc.v1;
using Grpc.Core;
using ResponseStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.DevSidecar.Tests;

/// <summary>Retries, dead letters, order, and what survives an app or the sidecar going down.</summary>
public sealed class DeliveryTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Retry_twice_then_success_delivers_three_times_and_no_more()
    {
        var state = Subscribed(("orders", "orders.dead"));
        state.Answer = (request, arrival) => request.Id == "r1" && arrival <= 2 ? ResponseStatus.Retry : ResponseStatus.Success;
        await using var app = await Subscriber.StartAsync(state);
        await using var sidecar = await StartAsync(app, state);

        await PublishAsync(sidecar, "orders", "r1");

        await Eventually.UntilAsync(() => state.IdsOn("orders").Count == 3, "three deliveries of r1");

        // The lane delivers in order, so once a later event has arrived r1 is settled for good.
        await PublishAsync(sidecar, "orders", "after");
        await Eventually.UntilAsync(() => state.IdsOn("orders").Contains("after"), "the event published after r1");
        Assert.Equal(["r1", "r1", "r1", "after"], state.IdsOn("orders"));
        var delivered = await sidecar.DeliveriesAsync("delivered");
        Assert.Equal(3, (int)delivered.Single(d => (string?)d["eventId"] == "r1")["attempts"]!);
        Assert.Empty(state.On("orders.dead"));
    }

    [Fact]
    public async Task Drop_sends_the_event_to_the_dead_letter_topic_and_the_others_go_on()
    {
        var state = Subscribed(("orders", "orders.dead"), ("orders.dead", null));
        state.Answer = (request, _) => request.Topic == "orders" && request.Id == "poison" ? ResponseStatus.Drop : ResponseStatus.Success;
        await using var app = await Subscriber.StartAsync(state);
        await using var sidecar = await StartAsync(app, state);

        await PublishAsync(sidecar, "orders", "a1");
        await PublishAsync(sidecar, "orders", "poison");
        await PublishAsync(sidecar, "orders", "a2");

        await Eventually.UntilAsync(() => state.IdsOn("orders").Count == 3 && state.IdsOn("orders.dead").Count == 1, "three events on orders and one dead letter");
        Assert.Equal(["a1", "poison", "a2"], state.IdsOn("orders"));
        var original = state.On("orders").Single(r => r.Request.Id == "poison").Request;
        var deadLetter = Assert.Single(state.On("orders.dead")).Request;
        Assert.Equal("poison", deadLetter.Id);
        Assert.Equal("orders.dead", deadLetter.Topic);
        Assert.Equal(original.Type, deadLetter.Type);
        Assert.Equal(original.Source, deadLetter.Source);
        Assert.Equal(original.Data, deadLetter.Data);

        // The CloudEvent is unchanged, so it still names the topic it was published on.
        Assert.Equal("orders", deadLetter.Extensions.Fields["topic"].StringValue);

        var kept = Assert.Single(await sidecar.ReadAsync("/dev/topics/pubsub/orders.dead"));
        Assert.Equal("poison", (string?)kept!["cloudEvent"]!["id"]);
        var dead = Assert.Single(await sidecar.DeliveriesAsync("dead"));
        Assert.Equal("poison", (string?)dead["eventId"]);
        Assert.Equal("orders", (string?)dead["topic"]);
        Assert.Equal("DROP: sent to orders.dead", (string?)dead["outcome"]);
    }

    [Fact]
    public async Task An_event_retried_on_every_attempt_goes_to_the_dead_letter_topic_after_the_last()
    {
        var state = Subscribed(("orders", "orders.dead"), ("orders.dead", null));
        state.Answer = (request, _) => request.Topic == "orders" ? ResponseStatus.Retry : ResponseStatus.Success;
        await using var app = await Subscriber.StartAsync(state);
        await using var sidecar = await StartAsync(app, state, ("Sidecar:MaxAttempts", "3"), ("Sidecar:RetryDelay", "00:00:00.010"));

        await PublishAsync(sidecar, "orders", "always");

        await Eventually.UntilAsync(() => state.IdsOn("orders.dead").Count == 1, "the dead letter");
        Assert.Equal(["always", "always", "always"], state.IdsOn("orders"));
        var dead = Assert.Single(await sidecar.DeliveriesAsync("dead"));
        Assert.Equal(3, (int)dead["attempts"]!);
    }

    [Fact]
    public async Task A_grpc_error_from_the_app_is_retried_and_unimplemented_drops_the_event_without_dead_letter_as_daprd_does()
    {
        var state = Subscribed(("orders", "orders.dead"), ("orders.dead", null));
        state.Answer = (request, arrival) => (request.Id, arrival) switch
        {
            ("flaky", 1) => throw new RpcException(new Status(StatusCode.Internal, "database busy")),
            ("old", _) => throw new RpcException(new Status(StatusCode.Unimplemented, "no handler")),
            _ => ResponseStatus.Success,
        };
        await using var app = await Subscriber.StartAsync(state);
        await using var sidecar = await StartAsync(app, state);

        await PublishAsync(sidecar, "orders", "flaky");
        await PublishAsync(sidecar, "orders", "old");
        await PublishAsync(sidecar, "orders", "next");

        await Eventually.UntilAsync(() => state.IdsOn("orders").Contains("next"), "the event after the refused ones");
        Assert.Equal(["flaky", "flaky", "old", "next"], state.IdsOn("orders"));
        var dead = Assert.Single(await sidecar.DeliveriesAsync("dead"));
        Assert.Equal("old", (string?)dead["eventId"]);
        Assert.Equal("UNIMPLEMENTED: dropped", (string?)dead["outcome"]);
        Assert.Empty(await sidecar.ReadAsync("/dev/topics/pubsub/orders.dead"));
        Assert.Empty(state.On("orders.dead"));
    }

    [Fact]
    public async Task A_subscriber_that_was_down_gets_every_event_in_order_when_it_comes_back()
    {
        var state = Subscribed(("orders", "orders.dead"));
        var app = await Subscriber.StartAsync(state);
        var port = app.Port;
        await using var sidecar = await StartAsync(app, state);
        await app.DisposeAsync();

        string[] ids = ["e1", "e2", "e3", "e4", "e5"];
        foreach (var id in ids)
        {
            await PublishAsync(sidecar, "orders", id);
        }

        Assert.Equal(5, (await sidecar.DeliveriesAsync("pending")).Count);
        Assert.Empty(state.On("orders"));

        await using var restarted = await Subscriber.StartAsync(state, port);
        await Eventually.UntilAsync(() => state.IdsOn("orders").Count == 5, "the five events after the restart");
        Assert.Equal(ids, state.IdsOn("orders"));

        // Waiting for an app that does not answer consumes no attempt.
        await Eventually.UntilAsync(async () => (await sidecar.DeliveriesAsync("delivered")).Count == 5, "five settled deliveries");
        Assert.All(await sidecar.DeliveriesAsync("delivered"), d => Assert.Equal(1, (int)d["attempts"]!));
    }

    [Fact]
    public async Task Pending_deliveries_survive_a_sidecar_restart_on_the_same_data_directory()
    {
        var port = TestSidecar.ClosedPort();
        var settings = new (string, string?)[]
        {
            ("Sidecar:Apps:late:Address", $"http://127.0.0.1:{port}"),
            ("Sidecar:Subscriptions:0:AppId", "late"),
            ("Sidecar:Subscriptions:0:Pubsub", "pubsub"),
            ("Sidecar:Subscriptions:0:Topic", "reports"),
        };
        await using (var first = await TestSidecar.StartAsync(_data.Path, Settings(settings)))
        {
            foreach (var id in new[] { "p1", "p2", "p3" })
            {
                await PublishAsync(first, "reports", id);
            }

            Assert.Equal(3, (await first.DeliveriesAsync("pending")).Count);
        }

        var state = new SubscriberState();
        await using var app = await Subscriber.StartAsync(state, port);
        await using var second = await TestSidecar.StartAsync(_data.Path, Settings(settings));

        await Eventually.UntilAsync(() => state.IdsOn("reports").Count == 3, "the three events kept across the restart");
        Assert.Equal(["p1", "p2", "p3"], state.IdsOn("reports"));
    }

    /// <summary>
    /// As daprd with APP_API_TOKEN: every call to the app (the subscription query and each delivery) carries the token in
    /// the dapr-api-token metadata; an app's own token wins over the shared one, and without a token none is sent.
    /// </summary>
    [Fact]
    public async Task Calls_to_an_app_carry_dapr_s_app_api_token_when_one_is_set()
    {
        var shop = Subscribed(("orders", null));
        var till = Subscribed(("orders", null));
        var open = Subscribed(("orders", null));
        await using var shopApp = await Subscriber.StartAsync(shop);
        await using var tillApp = await Subscriber.StartAsync(till);
        await using (var sidecar = await StartAsync(shopApp, shop, ("APP_API_TOKEN", "shared-token"),
            ("Sidecar:Apps:till:Address", tillApp.Address), ("Sidecar:Apps:till:AppApiToken", "till-token")))
        {
            await sidecar.WaitForSubscriptionsAsync("till", 1);
            await PublishAsync(sidecar, "orders", "o1");
            await Eventually.UntilAsync(() => shop.IdsOn("orders").Count == 1 && till.IdsOn("orders").Count == 1, "o1 at both apps");
        }

        Assert.Equal(["shared-token"], shop.SubscriptionQueryTokens.Distinct());
        Assert.Equal("shared-token", Assert.Single(shop.On("orders")).ApiToken);
        Assert.Equal(["till-token"], till.SubscriptionQueryTokens.Distinct());
        Assert.Equal("till-token", Assert.Single(till.On("orders")).ApiToken);

        await using var openApp = await Subscriber.StartAsync(open);
        await using (var sidecar = await TestSidecar.StartAsync(_data.Sub("open"), Settings([("Sidecar:Apps:shop:Address", openApp.Address)])))
        {
            await sidecar.WaitForSubscriptionsAsync("shop", 1);
            await PublishAsync(sidecar, "orders", "o2");
            await Eventually.UntilAsync(() => open.IdsOn("orders").Contains("o2"), "o2 at the app without a token");
        }

        Assert.Equal([null], open.SubscriptionQueryTokens.Distinct());
        Assert.Null(Assert.Single(open.On("orders"), r => r.Request.Id == "o2").ApiToken);
    }

    private static SubscriberState Subscribed(params (string Topic, string? DeadLetterTopic)[] topics)
    {
        var state = new SubscriberState();
        foreach (var (topic, deadLetterTopic) in topics)
        {
            state.Subscriptions.Add(new TopicSubscription { PubsubName = "pubsub", Topic = topic, DeadLetterTopic = deadLetterTopic ?? string.Empty });
        }

        return state;
    }

    /// <summary>A sidecar for app "shop", once it knows the app's subscriptions.</summary>
    private async Task<TestSidecar> StartAsync(Subscriber app, SubscriberState state, params (string Key, string? Value)[] settings)
    {
        var sidecar = await TestSidecar.StartAsync(_data.Path, Settings([("Sidecar:Apps:shop:Address", app.Address), .. settings]));
        await sidecar.WaitForSubscriptionsAsync("shop", state.Subscriptions.Count);
        return sidecar;
    }

    private static Dictionary<string, string?> Settings(IEnumerable<(string Key, string? Value)> settings) =>
        settings.ToDictionary(s => s.Key, s => s.Value);

    private static Task PublishAsync(TestSidecar sidecar, string topic, string id) =>
        sidecar.Dapr.PublishEventAsync("pubsub", topic, new { Id = id }, new Dictionary<string, string> { ["cloudevent.id"] = id });
}
