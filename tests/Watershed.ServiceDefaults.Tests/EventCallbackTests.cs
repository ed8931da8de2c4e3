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
}
