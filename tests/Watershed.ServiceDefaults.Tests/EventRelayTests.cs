using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Watershed.Events.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// The outbox relay on PostgreSQL: committed rows go out oldest first per subject, a failing subject holds back
/// only its own later rows, concurrent relays never send a row twice, and a commit wakes an idle relay.
/// The sender is the Dapr edge; here it records what it was given.
/// </summary>
public sealed class EventRelayTests
{
    public sealed class EventsContext(DbContextOptions<EventsContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder model) => model.AddOutbox().AddInbox();
    }

    private sealed class RecordingSender : IEventSender
    {
        public ConcurrentQueue<OutboxMessage> Sent { get; } = new();

        public ConcurrentDictionary<string, int> FailuresLeft { get; } = new();

        public Func<Task>? During { get; set; }

        public async Task SendAsync(OutboxMessage message, CancellationToken ct)
        {
            if (During is { } during)
            {
                await during();
            }

            if (FailuresLeft.TryGetValue(message.Subject, out var left) && left > 0)
            {
                FailuresLeft[message.Subject] = left - 1;
                throw new InvalidOperationException("the sidecar refused");
            }

            Sent.Enqueue(message);
        }
    }

    private static async Task<ServiceProvider> ServicesAsync(RecordingSender sender, TimeSpan idlePoll)
    {
        var postgres = await PostgresServer.GetAsync();
        var connection = await postgres.CreateDatabaseAsync("relay");
        var services = new ServiceCollection();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddDbContext<EventsContext>((sp, o) => o.UseNpgsql(connection).AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>()));
        services.AddSingleton<IEventSender>(sender);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new EventOptions { IdlePoll = idlePoll, BatchSize = 50 }));
        services.AddLogging();
        services.AddSingleton<OutboxRelay<EventsContext>>();
        var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EventsContext>().Database.EnsureCreatedAsync();
        return provider;
    }

    private static async Task CommitAsync(ServiceProvider provider, params (string Subject, string Text)[] events)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventsContext>();
        foreach (var (subject, text) in events)
        {
            // Any Watershed message will do; a dead letter is one the defaults themselves define.
            db.AddEvent(new Watershed.Events.V1.DeadLetter { EventId = text, ReceivedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch) }, subject, DateTimeOffset.UtcNow);
        }

        await db.SaveChangesAsync();
    }

    private static OutboxRelay<EventsContext> Relay(ServiceProvider provider) => provider.GetRequiredService<OutboxRelay<EventsContext>>();

    private static async Task DrainAsync(OutboxRelay<EventsContext> relay)
    {
        while (await relay.RelayBatchAsync(CancellationToken.None) > 0)
        {
        }
    }

    private static string TextOf(OutboxMessage m) => Watershed.Events.V1.DeadLetter.Parser.ParseJson(m.Data).EventId;

    [Fact]
    public async Task Rows_of_one_subject_go_out_in_commit_order_with_their_identity()
    {
        var sender = new RecordingSender();
        await using var provider = await ServicesAsync(sender, TimeSpan.FromMinutes(10));
        await CommitAsync(provider, ("ballots/1", "a1"), ("ballots/2", "b1"), ("ballots/1", "a2"));
        await CommitAsync(provider, ("ballots/1", "a3"));

        await DrainAsync(Relay(provider));

        var sent = sender.Sent.ToList();
        Assert.Equal(["a1", "a2", "a3"], sent.Where(m => m.Subject == "ballots/1").Select(TextOf));
        Assert.Equal(["b1"], sent.Where(m => m.Subject == "ballots/2").Select(TextOf));
        Assert.All(sent, m => Assert.Equal("events.dead_letter.v1", m.Topic));
        Assert.All(sent, m => Assert.Equal("watershed.events.v1.DeadLetter", m.Type));
        Assert.Equal(4, sent.Select(m => m.Id).Distinct().Count());

        await using var scope = provider.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<EventsContext>().Set<OutboxMessage>().CountAsync(m => m.SentAt == null));
    }

    [Fact]
    public async Task A_subject_whose_publish_fails_holds_back_only_its_own_later_rows()
    {
        var sender = new RecordingSender();
        sender.FailuresLeft["plans/bad"] = 100;
        await using var provider = await ServicesAsync(sender, TimeSpan.FromMinutes(10));
        await CommitAsync(provider, ("plans/bad", "x1"), ("plans/good", "g1"), ("plans/bad", "x2"), ("plans/good", "g2"));

        await DrainAsync(Relay(provider));

        Assert.Equal(["g1", "g2"], sender.Sent.Select(TextOf));
        await using var scope = provider.CreateAsyncScope();
        var waiting = await scope.ServiceProvider.GetRequiredService<EventsContext>().Set<OutboxMessage>()
            .Where(m => m.SentAt == null).OrderBy(m => m.Sequence).ToListAsync();
        Assert.Equal(["x1", "x2"], waiting.Select(TextOf));
        Assert.Equal([1, 0], waiting.Select(m => m.Attempts));
        Assert.NotNull(waiting[0].NextAttemptAt);
    }

    [Fact]
    public async Task Concurrent_relays_never_publish_a_row_twice()
    {
        var sender = new RecordingSender();
        await using var provider = await ServicesAsync(sender, TimeSpan.FromMinutes(10));
        var events = Enumerable.Range(0, 60).Select(i => ($"spaces/{i % 12}", $"e{i}")).ToArray();
        await CommitAsync(provider, events);

        // Each publish yields, so the relays' transactions overlap while they hold their rows.
        sender.During = () => Task.Delay(1);
        var relays = Enumerable.Range(0, 4).Select(_ => Relay(provider)).ToList();
        await Task.WhenAll(relays.Select(r => Task.Run(() => DrainAsync(r))));
        await DrainAsync(relays[0]);

        var sent = sender.Sent.ToList();
        Assert.Equal(60, sent.Count);
        Assert.Equal(60, sent.Select(m => m.Id).Distinct().Count());
        foreach (var group in sent.GroupBy(m => m.Subject))
        {
            Assert.Equal(group.OrderBy(m => m.Sequence).Select(m => m.Sequence), group.Select(m => m.Sequence));
        }
    }

    [Fact]
    public async Task A_commit_wakes_an_idle_relay_without_waiting_for_its_poll()
    {
        var sender = new RecordingSender();
        await using var provider = await ServicesAsync(sender, TimeSpan.FromHours(1));
        var relay = Relay(provider);
        await relay.StartAsync(CancellationToken.None);
        try
        {
            await CommitAsync(provider, ("assemblies/1", "woken"));
            await Eventually.TrueAsync(() => Task.FromResult(sender.Sent.Any(m => TextOf(m) == "woken")),
                "the relay, idle for an hour, should publish a row as soon as it is committed");
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }
}
