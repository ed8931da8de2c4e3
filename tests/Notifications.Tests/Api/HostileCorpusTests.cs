using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Watershed.Common.V1;
using Watershed.Events.V1;
using Watershed.Notifications.V1;
using Watershed.ServiceDefaults.Events;
using Watershed.Testing;
using Xunit.Abstractions;
using ConsultationV1 = Watershed.Consultation.V1;
using IndicatorsV1 = Watershed.Indicators.V1;
using LandUseV1 = Watershed.LandUse.V1;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// The hostile-input corpus over every RPC notifications serves, its event callbacks included (one seed per
/// subscribed topic): each answers every hostile value with a status other than UNKNOWN or INTERNAL, small, and a
/// refused call changes nothing (see <see cref="HostileCorpus{TContext}"/>).
/// </summary>
public sealed class HostileCorpusTests(ITestOutputHelper output)
{
    private const string Rosa = "0193a1b2-0000-7000-8000-000000000001";

    /// <summary>What the seeds point at: a watcher with every channel, a member with preferences, a delivery.</summary>
    public sealed record World(NotificationsApp App, Watcher Watcher, string DeliveryId, string EventId);

    public static readonly Google.Protobuf.Reflection.ServiceDescriptor[] Services =
    [
        WatcherService.Descriptor, PreferenceService.Descriptor, DeliveryService.Descriptor, DeadLetterService.Descriptor, AppCallback.Descriptor,
    ];

    public static HostileCorpus<World> Corpus() => new HostileCorpus<World>(Services)
        .Seed("CreateWatcher", _ => WatcherRequest("Mesa de alertas de Cáritas"))
        .Seed("GetWatcher", w => new GetWatcherRequest { WatcherId = w.Watcher.Id })
        .Seed("ListWatchers", _ => new ListWatchersRequest { WatershedCode = Sample.Watershed, Page = new PageRequest { PageSize = 10 } })
        .Seed("UpdateWatcher", w => new UpdateWatcherRequest
        {
            WatcherId = w.Watcher.Id,
            Revision = 0,
            Name = "Mesa de alertas",
            Organization = "Cáritas Cusco",
            PhoneNumber = "+51984111222",
            Email = "alertas@caritas.example",
            WebhookUrl = "https://caritas.example/hooks/watershed",
            Language = Language.Qu,
            Kinds = { EventKind.Alerts, EventKind.Decisions },
            Channels = { Channel.Sms, Channel.Email, Channel.Webhook },
            RotateWebhookSecret = true,
        })
        .SeedAsync("DeleteWatcher", async w => new DeleteWatcherRequest
        {
            WatcherId = (await w.App.Watchers(TestTokens.Admin()).CreateWatcherAsync(WatcherRequest($"Efímero {Guid.CreateVersion7():N}"))).Watcher.Id,
        }, fresh: true)
        .Seed("GetPreferences", _ => new GetPreferencesRequest { WatershedCode = Sample.Watershed, PersonId = Rosa }, label: "a member")
        .Seed("GetPreferences", w => new GetPreferencesRequest { WatcherId = w.Watcher.Id }, label: "a watcher")
        .Seed("SetPreferences", _ => new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed,
            PersonId = Rosa,
            Channels = { Channel.Sms },
            MutedKinds = { EventKind.Imports },
            QuietHours = new QuietHours { Start = "22:00", End = "05:30" },
            Language = Language.Qu,
        }, label: "a member")
        .Seed("SetPreferences", w => new SetPreferencesRequest
        {
            WatcherId = w.Watcher.Id,
            Channels = { Channel.Webhook, Channel.Email },
            MutedKinds = { EventKind.Assemblies },
            OptedOut = true,
            QuietHours = new QuietHours { Start = "21:00", End = "06:00" },
            Language = Language.En,
        }, label: "a watcher")
        .Seed("ListDeliveries", w => new ListDeliveriesRequest
        {
            WatershedCode = Sample.Watershed,
            EventId = w.EventId,
            WatcherId = w.Watcher.Id,
            State = DeliveryState.Queued,
            Page = new PageRequest { PageSize = 10 },
        })
        .Seed("GetDelivery", w => new GetDeliveryRequest { DeliveryId = w.DeliveryId })
        .Seed("ListDeadLetters", _ => new ListDeadLettersRequest { Page = new PageRequest { PageSize = 10 } })
        .SeedDaprAppCallback("notifications")
        .SeedEvent(Sample.AssemblyConvened(), "assemblies/d001")
        .SeedEvent(Sample.BallotClosed(), "ballots/b001")
        .SeedEvent(new ConsultationV1.ProposalDecided
        {
            ProposalId = "0193a1b2-0000-7000-8000-00000000c001",
            Scope = Sample.Scope(),
            Title = "Cercar el manantial de Sallma",
            Type = ConsultationV1.ProposalType.LandUseChange,
            State = ConsultationV1.ProposalState.Approved,
            BallotId = "0193a1b2-0000-7000-8000-00000000b001",
            AssemblyId = "0193a1b2-0000-7000-8000-00000000d001",
            OccurredAt = Sample.BallotClosed().OccurredAt,
        }, "proposals/c001")
        .SeedEvent(new LandUseV1.PlanVersionSubmitted { Version = Sample.PlanApproved().Version, OccurredAt = Sample.PlanApproved().OccurredAt }, "plans/a0001")
        .SeedEvent(Sample.PlanApproved(), "plans/a0001")
        .SeedEvent(Sample.AlertRaised(), "alert-rules/e001", envelope: true)
        .SeedEvent(new IndicatorsV1.AlertCleared
        {
            RuleId = Sample.AlertRaised().RuleId,
            IndicatorCode = "FCS",
            AreaId = Sample.AlertRaised().AreaId,
            Metric = "percent:poor",
            Period = "2026Q3",
            ObservedValue = "12.5",
            N = 26,
            WatershedCode = Sample.Watershed,
            AreaCode = "MZN",
            AreaName = "Manzanares",
            Condition = "hogares con consumo pobre por encima del 20 %",
            OccurredAt = Sample.AlertRaised().OccurredAt,
        }, "alert-rules/e001")
        .SeedEvent(Sample.Imported("Línea de base 2025Q4", 32), "survey-rounds/f001");

    [Fact]
    public void The_corpus_seeds_every_rpc_notifications_serves() => Corpus().AssertEveryRpcSeeded();

    [Fact]
    public async Task Every_rpc_answers_hostile_values_with_a_clear_status_and_a_refusal_changes_nothing()
    {
        await using var consultation = await ContactStandIn.StartAsync(
        [
            ContactStandIn.Contact(Rosa, "Rosa Quispe", "+51984000001", "rosa@example.pe", "qu-PE", sms: true, emailConsent: true),
        ]);
        await using var app = await NotificationsApp.OnPostgresAsync(consultation.Address);
        var admin = TestTokens.Create("admin@corpus", ["admin"], [Sample.Watershed]);
        var watcher = (await app.Watchers(admin).CreateWatcherAsync(WatcherRequest("Mesa de alertas"))).Watcher;
        var alert = Sample.Delivered(Sample.AlertRaised(), "evt-corpus-alert", "alert-rules/e001");
        await app.Callback().OnTopicEventAsync(alert);
        var delivery = (await app.StoredDeliveriesAsync()).First(d => d.EventId == alert.Id);
        var world = new World(app, watcher, delivery.Id.ToString(), alert.Id);

        var report = await Corpus().RunAsync(world, app.Invoker(admin), app.SnapshotAsync);

        output.WriteLine(report.Summary());
        foreach (var failure in report.Failures)
        {
            output.WriteLine(failure);
        }

        report.AssertNoFailures();
    }

    private static CreateWatcherRequest WatcherRequest(string name)
    {
        var request = Sample.Watcher(name, Channel.Sms, Channel.Email, Channel.Webhook);
        request.WebhookUrl = "https://caritas.example/hooks/watershed";
        return request;
    }
}

/// <summary>Seeds of OnTopicEvent for the topics notifications subscribes.</summary>
internal static class EventSeeds
{
    /// <summary>
    /// The event as daprd delivers it on its topic, with a new event id for every case; its data changed field by field
    /// (and, with <paramref name="envelope"/>, the delivery's own fields too).
    /// </summary>
    public static HostileCorpus<T> SeedEvent<T>(this HostileCorpus<T> corpus, IMessage message, string subject, bool envelope = false) =>
        corpus.SeedWrapped("OnTopicEvent", _ => message, m => Sample.Delivered(m, Guid.CreateVersion7().ToString(), subject),
            innerName: "data", mutateRequest: envelope, label: EventTopics.For(message.Descriptor));
}
