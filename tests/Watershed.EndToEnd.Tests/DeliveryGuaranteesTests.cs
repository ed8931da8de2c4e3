using System.Text.Json.Nodes;
using Watershed.Events.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// What a subscriber promises whatever the broker does, checked with notifications and the sidecar as their own
/// processes on PostgreSQL: an event published (and so delivered) three times with the same id has one effect, and a
/// poison event goes to the dead letter topic, is kept readable, and holds nothing else up.
/// </summary>
public sealed class DeliveryGuaranteesTests
{
    private const string Topic = "consultation.proposal_decided.v1";

    [Fact]
    public async Task Three_deliveries_of_one_event_have_one_effect_and_a_poison_event_is_dead_lettered_without_holding_up_the_rest()
    {
        var notificationsPort = ServiceProcess.FreePort();
        await using var sidecar = await SidecarProcess.StartAsync(new Dictionary<string, Uri> { ["notifications"] = new($"http://127.0.0.1:{notificationsPort}") });
        await using var notifications = await ServiceProcess.StartAsync("Notifications", await EventSystem.SettingsAsync("e2e_guarantees_notifications", sidecar), notificationsPort);
        await Eventually.TrueAsync(async () => (await sidecar.SubscriptionsAsync()).Contains(Topic, StringComparison.Ordinal),
            "the sidecar should learn notifications' subscriptions");

        var code = $"dg-{Guid.NewGuid():N}"[..20];
        var facilitator = EventSystem.Invoker(notifications.Address, TestTokens.Facilitator(code));
        await new WatcherService.WatcherServiceClient(facilitator).CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = code, Name = "Mesa de concertación", Email = "mesa@example.pe", Language = Language.Es,
            Kinds = { EventKind.Decisions }, Channels = { Channel.Email },
        });

        Task PublishAsync(string id, JsonNode data) => EventSystem.PublishDecisionAsync(sidecar, id, data);
        JsonObject Decided(string title) => EventSystem.Approved(code, title);

        // The same event three times (a publisher that retried after a lost acknowledgement), then a poison event
        // (its data is not a ProposalDecided), then another good event behind it on the same topic.
        var repeated = Guid.CreateVersion7().ToString();
        for (var i = 0; i < 3; i++)
        {
            await PublishAsync(repeated, Decided("Reforestar la ladera de Tocorani"));
        }

        var poison = Guid.CreateVersion7().ToString();
        await PublishAsync(poison, new JsonObject { ["scope"] = "not an object", ["state"] = 12.5 });
        var after = Guid.CreateVersion7().ToString();
        await PublishAsync(after, Decided("Cerco del manantial de Sallma"));

        var deliveries = new DeliveryService.DeliveryServiceClient(facilitator);
        List<Delivery> log = [];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                log = [.. (await deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = code })).Deliveries];
                return log.Count(d => d.State == DeliveryState.Sent) == 2;
            }, "both good events should reach the watcher", TimeSpan.FromSeconds(60));
        }
        catch (Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException("The delivery log: " + string.Join("; ", log.Select(d => $"{d.EventId} {d.State} {d.FailureReason}"))
                + "\nPending in the sidecar: " + await sidecar.PendingDeliveriesAsync() + "\nDead: " + await sidecar.DeadDeliveriesAsync()
                + "\nNotifications: " + notifications.Output[^Math.Min(4000, notifications.Output.Length)..]);
        }

        // Three deliveries by the sidecar, one effect: one entry in the log, one e-mail.
        Assert.Equal(3, Occurrences(await sidecar.DeliveredAsync(), repeated));
        Assert.Single(log, d => d.EventId == repeated);
        Assert.Single(log, d => d.EventId == after);
        Assert.Equal(2, log.Count);
        Assert.Single(sidecar.EmailTexts(), t => t.Contains("Reforestar la ladera de Tocorani", StringComparison.Ordinal));
        Assert.Single(sidecar.EmailTexts(), t => t.Contains("Cerco del manantial de Sallma", StringComparison.Ordinal));

        // The poison event was dropped to notifications' dead letter topic, and kept there as it came.
        var admin = new DeadLetterService.DeadLetterServiceClient(EventSystem.Invoker(notifications.Address, TestTokens.Admin()));
        DeadLetter? kept = null;
        await Eventually.TrueAsync(async () =>
        {
            kept = (await admin.ListDeadLettersAsync(new ListDeadLettersRequest())).DeadLetters.SingleOrDefault(d => d.EventId == poison);
            return kept is not null;
        }, "the poison event should be kept as a dead letter");
        Assert.Equal((Topic, "watershed.consultation.v1.ProposalDecided"), (kept!.Topic, kept.Type));
        Assert.Contains("not an object", kept.Data, StringComparison.Ordinal);
        Assert.DoesNotContain(log, d => d.EventId == poison);
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
