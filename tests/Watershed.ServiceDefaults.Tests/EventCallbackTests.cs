using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using EventStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// Receiving through Dapr's AppCallback on PostgreSQL: an event has its effect once however often it is delivered
/// (also twice at once), a poison event is dropped to the dead-letter topic, a transient failure asks for a retry
/// and leaves nothing behind, and what arrives on the dead-letter topic is kept.
/// </summary>
public sealed class EventCallbackTests
{
    public sealed class Effect
    {
        public Guid Id { get; set; }

        public string EventId { get; set; } = string.Empty;
    }

    public sealed class ConsumerContext(DbContextOptions<ConsumerContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder model)
        {
            model.AddInbox();
            model.Entity<Effect>().ToTable("effects");
        }
    }

    /// <summary>Records one effect per event; fails on purpose for subjects that ask it to.</summary>
    public sealed class RecordingHandler(ConsumerContext db) : IEventHandler<Watershed.Events.V1.DeadLetter>
    {
        public static int TransientFailuresLeft;

        public async Task HandleAsync(Watershed.Events.V1.DeadLetter message, EventContext context, CancellationToken ct)
        {
            db.Add(new Effect { Id = Guid.CreateVersion7(), EventId = context.EventId });
            await db.SaveChangesAsync(ct);
            switch (context.Subject)
            {
                case "poison":
                    throw new PoisonEventException("cannot ever be processed");
                case "transient" when Interlocked.Decrement(ref TransientFailuresLeft) >= 0:
                    throw new TimeoutException("the database did not answer in time");
            }
        }
    }

    private static async Task<(EventCallbackService<ConsumerContext> Callback, ServiceProvider Provider)> StartAsync()
    {
        var postgres = await PostgresServer.GetAsync();
        var connection = await postgres.CreateDatabaseAsync("inbox");
        var services = new ServiceCollection();
        services.AddDbContext<ConsumerContext>(o => o.UseNpgsql(connection));
        services.AddScoped<RecordingHandler>();
        var registry = new EventSubscriptionRegistry();
        var descriptor = Watershed.Events.V1.DeadLetter.Descriptor;
        registry.Add(new EventSubscription(EventTopics.For(descriptor), descriptor, descriptor.FullName, "test/RecordingHandler",
            typeof(RecordingHandler),
            (sp, m, c, ct) => sp.GetRequiredService<RecordingHandler>().HandleAsync((Watershed.Events.V1.DeadLetter)m, c, ct)));
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ConsumerContext>().Database.EnsureCreatedAsync();
        }

        var callback = new EventCallbackService<ConsumerContext>(registry, provider.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new EventOptions()), new ServiceIdentity("watershed-test"), new AppIdentity("test"), TimeProvider.System,
            NullLogger<EventCallbackService<ConsumerContext>>.Instance);
        return (callback, provider);
    }

    private static TopicEventRequest Event(string id, string subject, string? topic = null, string? type = null, string? data = null) => new()
    {
        Id = id,
        Source = "watershed-publisher",
        Type = type ?? Watershed.Events.V1.DeadLetter.Descriptor.FullName,
        SpecVersion = "1.0",
        DataContentType = "application/json",
        Topic = topic ?? "events.dead_letter.v1",
        PubsubName = "pubsub",
        Data = ByteString.CopyFromUtf8(data ?? """{"eventId":"inner","topic":"t"}"""),
        Extensions = new Struct { Fields = { ["subject"] = Value.ForString(subject), ["topic"] = Value.ForString(topic ?? "events.dead_letter.v1") } },
    };

    private static async Task<List<string>> EffectsAsync(ServiceProvider provider)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsumerContext>().Set<Effect>().Select(e => e.EventId).ToListAsync();
    }

    private static ServerCallContext Call() => new ErrorLoggingTests.FakeCallContext("/dapr.proto.runtime.v1.AppCallback/OnTopicEvent");

    [Fact]
    public async Task The_same_event_delivered_three_times_has_one_effect()
    {
        var (callback, provider) = await StartAsync();
        await using var _ = provider;
        var replies = new List<EventStatus>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add((await callback.OnTopicEvent(Event("evt-1", "ok"), Call())).Status);
        }

        Assert.Equal([EventStatus.Success, EventStatus.Success, EventStatus.Success], replies);
        Assert.Equal(["evt-1"], await EffectsAsync(provider));
    }

    [Fact]
    public async Task The_same_event_delivered_twice_at_once_has_one_effect()
    {
        var (callback, provider) = await StartAsync();
        await using var _ = provider;
        for (var round = 0; round < 5; round++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => callback.OnTopicEvent(Event($"race-{round}", "ok"), Call()))));
            Assert.All(replies, r => Assert.Equal(EventStatus.Success, r.Status));
        }

        Assert.Equal(["race-0", "race-1", "race-2", "race-3", "race-4"], (await EffectsAsync(provider)).Order());
    }

    [Fact]
    public async Task Poison_events_are_dropped_and_leave_nothing()
    {
        var (callback, provider) = await StartAsync();
        await using var _ = provider;
        Assert.Equal(EventStatus.Drop, (await callback.OnTopicEvent(Event("bad-json", "ok", data: "{not json"), Call())).Status);
        Assert.Equal(EventStatus.Drop, (await callback.OnTopicEvent(Event("bad-type", "ok", type: "watershed.other.v1.Thing"), Call())).Status);
        Assert.Equal(EventStatus.Drop, (await callback.OnTopicEvent(Event("no-handler", "ok", topic: "nobody.listens.v1"), Call())).Status);
        Assert.Equal(EventStatus.Drop, (await callback.OnTopicEvent(Event("refused", "poison"), Call())).Status);
        Assert.Empty(await EffectsAsync(provider));
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEvent(Event("fine", "ok"), Call())).Status);
        Assert.Equal(["fine"], await EffectsAsync(provider));
    }

    [Fact]
    public async Task A_transient_failure_asks_for_a_retry_and_the_retry_has_the_effect_once()
    {
        var (callback, provider) = await StartAsync();
        await using var _ = provider;
        RecordingHandler.TransientFailuresLeft = 2;
        Assert.Equal(EventStatus.Retry, (await callback.OnTopicEvent(Event("flaky", "transient"), Call())).Status);
        Assert.Equal(EventStatus.Retry, (await callback.OnTopicEvent(Event("flaky", "transient"), Call())).Status);
        Assert.Empty(await EffectsAsync(provider));
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEvent(Event("flaky", "transient"), Call())).Status);
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEvent(Event("flaky", "transient"), Call())).Status);
        Assert.Equal(["flaky"], await EffectsAsync(provider));
    }

    [Fact]
    public async Task Subscriptions_name_the_dead_letter_topic_and_dead_letters_are_kept_once()
    {
        var (callback, provider) = await StartAsync();
        await using var _ = provider;
        var subscriptions = (await callback.ListTopicSubscriptions(new Empty(), Call())).Subscriptions;
        Assert.Equal(
            [("events.dead_letter.v1", "test.dead_letter.v1"), ("test.dead_letter.v1", "")],
            subscriptions.Select(s => (s.Topic, s.DeadLetterTopic)));

        var dead = Event("poison-1", "ballots/9", topic: "test.dead_letter.v1");
        dead.Extensions.Fields["topic"] = Value.ForString("consultation.ballot_closed.v1");
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEvent(dead, Call())).Status);
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEvent(dead, Call())).Status);

        await using var scope = provider.CreateAsyncScope();
        var kept = Assert.Single(await scope.ServiceProvider.GetRequiredService<ConsumerContext>().Set<DeadLetter>().ToListAsync());
        Assert.Equal(("poison-1", "consultation.ballot_closed.v1", "ballots/9"), (kept.EventId, kept.Topic, kept.Subject));
        Assert.Equal("""{"eventId":"inner","topic":"t"}""", kept.Data);
        Assert.Empty(await EffectsAsync(provider));
    }

    /// <summary>
    /// The inbox records an event id exactly (at most 100 characters, no control characters): an id it could never
    /// record would fail on every delivery, so it is poison (DROP), never RETRY, and nothing is written.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("evt\0nul")]
    [InlineData("evt\nline")]
    [InlineData("101")]
    [InlineData("1048576")]
    public async Task An_event_id_the_inbox_cannot_record_is_dropped_not_retried(string id)
    {
        var (callback, provider) = await StartAsync();
        await using var _ = provider;
        var eventId = id switch
        {
            "101" => new string('e', 101),
            "1048576" => new string('e', 1 << 20),
            _ => id,
        };

        Assert.Equal(EventStatus.Drop, (await callback.OnTopicEvent(Event(eventId, "ok"), Call())).Status);
        Assert.Empty(await EffectsAsync(provider));
        await using var scope = provider.CreateAsyncScope();
        Assert.Empty(await scope.ServiceProvider.GetRequiredService<ConsumerContext>().Set<InboxMessage>().ToListAsync());

        // An id of exactly 100 characters is recorded.
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEvent(Event(new string('f', 100), "ok"), Call())).Status);
        Assert.Equal([new string('f', 100)], await EffectsAsync(provider));
    }

    /// <summary>
    /// A dead letter is kept whatever it carries: NUL written as \u0000, values longer than their column cut and ended
    /// with "…#" and 16 hex digits of the SHA-256 of the delivered value, so two long ids sharing their first 100
    /// characters are two dead letters, and the same one delivered again is kept once.
    /// </summary>
    [Fact]
    public async Task A_dead_letter_with_nul_and_oversized_values_is_kept_escaped_and_cut_once()
    {
        var (callback, provider) = await StartAsync();
        await using var _ = provider;
        var longId = new string('d', 1 << 20);
        TopicEventRequest Dead(string id)
        {
            var dead = Event(id, "zone\0" + new string('s', 300), topic: "test.dead_letter.v1", type: "watershed.x.v1.Thing\0", data: "{\"a\":\"\0\"}");
            dead.Source = new string('o', 5000);
            dead.Extensions.Fields["topic"] = Value.ForString("t\0");
            return dead;
        }

        foreach (var id in new[] { longId, longId, longId[..^1] + "x", "nul\0id", "nul\0id" })
        {
            Assert.Equal(EventStatus.Success, (await callback.OnTopicEvent(Dead(id), Call())).Status);
        }

        await using var scope = provider.CreateAsyncScope();
        var kept = await scope.ServiceProvider.GetRequiredService<ConsumerContext>().Set<DeadLetter>().OrderBy(d => d.Sequence).ToListAsync();
        Assert.Equal(3, kept.Count);
        string Digest(string value) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..16];
        Assert.Equal(new string('d', 82) + "…#" + Digest(longId), kept[0].EventId);
        Assert.Equal(new string('d', 82) + "…#" + Digest(longId[..^1] + "x"), kept[1].EventId);
        Assert.Equal("nul\\u0000id…#" + Digest("nul\0id"), kept[2].EventId);
        Assert.All(kept, k =>
        {
            Assert.True(k.EventId.Length <= 100, k.EventId);
            Assert.Equal("t\\u0000…#" + Digest("t\0"), k.Topic);
            Assert.Equal("watershed.x.v1.Thing\\u0000…#" + Digest("watershed.x.v1.Thing\0"), k.Type);
            Assert.Equal(200, k.Source.Length);
            Assert.Equal(200, k.Subject.Length);
            Assert.StartsWith("zone\\u0000sss", k.Subject, StringComparison.Ordinal);
            Assert.Equal("{\"a\":\"\\u0000\"}", k.Data);
        });
    }
}
