using Microsoft.Extensions.Time.Testing;
using Watershed.Notifications.Domain;
using Watershed.Notifications.V1;
using Watershed.Testing;
using Channel = Watershed.Notifications.Domain.Channel;
using DeferReason = Watershed.Notifications.Domain.DeferReason;
using DeliveryState = Watershed.Notifications.Domain.DeliveryState;
using EventStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;
using EventKind = Watershed.Notifications.V1.EventKind;
using Language = Watershed.Notifications.Domain.Language;
using QuietHours = Watershed.Notifications.V1.QuietHours;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// Events delivered to the service's AppCallback over gRPC, as daprd delivers them, with consultation's roll served
/// by a ContactService stand-in: who gets what, in which language, on which channel, and when.
/// </summary>
public sealed class EventHandlingTests : IAsyncLifetime
{
    // 22:30 in Lima (UTC-5) on 4 December 2026.
    private static readonly DateTimeOffset Evening = new(2026, 12, 5, 3, 30, 0, TimeSpan.Zero);

    private const string Rosa = "0193a1b2-0000-7000-8000-000000000001";
    private const string Juan = "0193a1b2-0000-7000-8000-000000000002";
    private const string Ana = "0193a1b2-0000-7000-8000-000000000003";
    private const string Pedro = "0193a1b2-0000-7000-8000-000000000004";
    private const string Lucia = "0193a1b2-0000-7000-8000-000000000005";
    private const string Marco = "0193a1b2-0000-7000-8000-000000000006";

    private readonly FakeTimeProvider _clock = new(Evening);
    private ContactStandIn _consultation = null!;
    private NotificationsApp _app = null!;

    public async Task InitializeAsync()
    {
        _consultation = await ContactStandIn.StartAsync(
        [
            ContactStandIn.Contact(Rosa, "Rosa Quispe", "+51984000001", "rosa@example.pe", "qu-PE", sms: true, emailConsent: false),
            ContactStandIn.Contact(Juan, "Juan Mamani", "+51984000002", "juan@example.pe", "es-PE", sms: true, emailConsent: true),
            ContactStandIn.Contact(Ana, "Ana Huamán", "", "ana@example.org", "en", sms: true, emailConsent: true),
            ContactStandIn.Contact(Pedro, "Pedro Condori", "+51984000004", "pedro@example.pe", "es-PE", sms: true, emailConsent: true),
            ContactStandIn.Contact(Lucia, "Lucía Ccama", "+51984000005", "", "es-PE", sms: true, emailConsent: false),
            ContactStandIn.Contact(Marco, "Marco Huillca", "+51984000006", "", "es-PE", sms: false, emailConsent: true),
        ]);
        _app = await NotificationsApp.OnPostgresAsync(_consultation.Address, _clock);
        var facilitator = _app.Preferences(TestTokens.Facilitator(Sample.Watershed));
        await facilitator.SetPreferencesAsync(new SetPreferencesRequest { WatershedCode = Sample.Watershed, PersonId = Pedro, OptedOut = true });
        await facilitator.SetPreferencesAsync(new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = Lucia, QuietHours = new QuietHours { Start = "21:00", End = "06:00" },
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _consultation.DisposeAsync();
    }

    [Fact]
    public async Task A_closed_ballot_reaches_each_consenting_member_in_their_language_and_quiet_hours_defer()
    {
        var reply = await _app.Callback().OnTopicEventAsync(Sample.Delivered(Sample.BallotClosed(), "evt-ballot-1", "ballots/b001"));
        Assert.Equal(EventStatus.Success, reply.Status);

        var deliveries = await _app.StoredDeliveriesAsync();
        var sent = deliveries.Select(d => (d.RecipientId.ToString(), d.Channel, d.Language, d.State)).OrderBy(x => x.Item1).ThenBy(x => x.Channel).ToList();
        Assert.Equal(
        [
            (Rosa, Channel.Sms, Language.Qu, DeliveryState.Queued),
            (Juan, Channel.Sms, Language.Es, DeliveryState.Queued),
            (Juan, Channel.Email, Language.Es, DeliveryState.Queued),
            (Ana, Channel.Email, Language.En, DeliveryState.Queued),
            (Lucia, Channel.Sms, Language.Es, DeliveryState.Deferred),
        ], sent);

        // Rosa's SMS is the Quechua template; Lucía's waits until 06:00 in Lima (11:00 UTC), the end of her quiet hours.
        var rosa = deliveries.Single(d => d.RecipientId == Guid.Parse(Rosa));
        Assert.Equal(
            "\"Riego por aspersion en Tocorani\": asambleaqa propuesta nisqatan chaskirqan. Ari 9, mana 2, mana akllaspa 1; llapan 12.",
            rosa.Body);
        Assert.Equal(1, rosa.SmsSegments);
        var lucia = deliveries.Single(d => d.RecipientId == Guid.Parse(Lucia));
        Assert.Equal((DeferReason.QuietHours, new DateTimeOffset(2026, 12, 5, 11, 0, 0, TimeSpan.Zero)), (lucia.DeferReason!.Value, lucia.NotBefore));
        var juanEmail = deliveries.Single(d => d.RecipientId == Guid.Parse(Juan) && d.Channel == Channel.Email);
        Assert.Equal("Resultado de la votación: Riego por aspersión en Tocorani — aprobada", juanEmail.Subject);
        Assert.All(deliveries, d => Assert.Equal(("evt-ballot-1", "watershed.consultation.v1.BallotClosed"), (d.EventId, d.EventType)));

        // The roll was read with the service's own token, page by page.
        Assert.Equal(["service:notifications", "service:notifications", "service:notifications"], _consultation.Calls);
    }

    [Fact]
    public async Task The_same_event_delivered_three_times_gives_one_set_of_deliveries()
    {
        var callback = _app.Callback();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(EventStatus.Success, (await callback.OnTopicEventAsync(Sample.Delivered(Sample.BallotClosed(), "evt-ballot-2", "ballots/b001"))).Status);
        }

        Assert.Equal(5, (await _app.StoredDeliveriesAsync()).Count);
    }

    [Fact]
    public async Task The_same_event_delivered_four_times_at_once_gives_one_set_of_deliveries()
    {
        for (var round = 0; round < 3; round++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
                (await _app.Callback().OnTopicEventAsync(Sample.Delivered(Sample.BallotClosed(), $"evt-race-{round}", "ballots/b001"))).Status)));
            Assert.All(replies, r => Assert.Equal(EventStatus.Success, r));
        }

        var deliveries = await _app.StoredDeliveriesAsync();
        Assert.Equal([5, 5, 5], deliveries.GroupBy(d => d.EventId).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public async Task Opted_out_and_muted_members_get_nothing_and_members_without_consent_get_nothing_on_that_channel()
    {
        await _app.Preferences(TestTokens.Facilitator(Sample.Watershed)).SetPreferencesAsync(new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = Juan, MutedKinds = { EventKind.Assemblies },
        });

        await _app.Callback().OnTopicEventAsync(Sample.Delivered(Sample.AssemblyConvened(), "evt-assembly-1", "assemblies/d001"));

        var deliveries = await _app.StoredDeliveriesAsync();
        Assert.Equal(
            [(Rosa, Channel.Sms), (Ana, Channel.Email), (Lucia, Channel.Sms)],
            deliveries.Select(d => (d.RecipientId.ToString(), d.Channel)).OrderBy(x => x.Item1));
        Assert.Equal(
            "Asamblea: Asamblea ordinaria de diciembre. Huñunakuy kanqa 12 diciembre killapi, 09:00 urapi, Local comunal de Tocoranipi.",
            deliveries.Single(d => d.RecipientId == Guid.Parse(Rosa)).Body);
    }

    [Fact]
    public async Task A_space_consultation_does_not_know_is_dropped_to_the_dead_letter_topic_and_writes_nothing()
    {
        var ballot = Sample.BallotClosed();
        ballot.Scope.SpaceId = Guid.CreateVersion7().ToString();
        var reply = await _app.Callback().OnTopicEventAsync(Sample.Delivered(ballot, "evt-unknown-space", "ballots/b002"));
        Assert.Equal(EventStatus.Drop, reply.Status);
        Assert.Empty(await _app.StoredDeliveriesAsync());
    }

    /// <summary>
    /// A text no message may carry (control characters, longer than any publisher sends or a column holds) can never be
    /// sent: the event is poison, dropped to the dead-letter topic, never retried (daprd would deliver it for ever).
    /// </summary>
    [Theory]
    [InlineData("title of 501 characters")]
    [InlineData("NUL in the place")]
    [InlineData("a line break in an agenda item")]
    [InlineData("watershed code of 41 characters")]
    [InlineData("51 agenda items")]
    [InlineData("NUL in a field no notice uses")]
    public async Task An_event_with_a_text_no_message_may_carry_is_dropped_and_writes_nothing(string fault)
    {
        var convened = Sample.AssemblyConvened();
        switch (fault)
        {
            case "title of 501 characters":
                convened.Title = new string('t', 501);
                break;
            case "NUL in the place":
                convened.Place = "Local\0comunal";
                break;
            case "a line break in an agenda item":
                convened.Agenda.Add("Informe\nde la directiva");
                break;
            case "watershed code of 41 characters":
                convened.Scope.WatershedCode = new string('p', 41);
                break;
            case "51 agenda items":
                convened.Agenda.AddRange(Enumerable.Repeat("Punto", 51));
                break;
            default:
                convened.AssemblyId = "d001\0";
                break;
        }

        var reply = await _app.Callback().OnTopicEventAsync(Sample.Delivered(convened, $"evt-poison-{Guid.CreateVersion7()}", "assemblies/d001"));
        Assert.Equal(EventStatus.Drop, reply.Status);
        Assert.Empty(await _app.StoredDeliveriesAsync());

        // The same event within the limits is sent.
        var fine = Sample.AssemblyConvened();
        fine.Title = new string('t', 500);
        Assert.Equal(EventStatus.Success, (await _app.Callback().OnTopicEventAsync(Sample.Delivered(fine, $"evt-fine-{Guid.CreateVersion7()}", "assemblies/d001"))).Status);
        Assert.NotEmpty(await _app.StoredDeliveriesAsync());
    }

    [Fact]
    public async Task When_consultation_is_down_the_event_is_retried_and_nothing_is_written()
    {
        await using var app = await NotificationsApp.OnPostgresAsync(Sample.ClosedPort(), _clock);
        var reply = await app.Callback().OnTopicEventAsync(Sample.Delivered(Sample.BallotClosed(), "evt-down", "ballots/b001"));
        Assert.Equal(EventStatus.Retry, reply.Status);
        Assert.Empty(await app.StoredDeliveriesAsync());
    }

    [Fact]
    public async Task Watchers_hear_of_what_they_follow_and_members_only_of_their_space()
    {
        var watchers = _app.Watchers(TestTokens.Facilitator(Sample.Watershed));
        var alerts = Sample.Watcher("Mesa de alertas");
        alerts.Kinds.Clear();
        alerts.Kinds.Add(EventKind.Alerts);
        var plans = Sample.Watcher("Agencia Agraria");
        plans.Kinds.Clear();
        plans.Kinds.Add(EventKind.PlanChanges);
        plans.Kinds.Add(EventKind.Decisions);
        plans.Language = Watershed.Notifications.V1.Language.En;
        var alertsId = (await watchers.CreateWatcherAsync(alerts)).Watcher.Id;
        var plansId = (await watchers.CreateWatcherAsync(plans)).Watcher.Id;

        var decided = new Watershed.Consultation.V1.ProposalDecided
        {
            ProposalId = "0193a1b2-0000-7000-8000-00000000c001", Scope = Sample.Scope(), Title = "Aprobación del plan de uso 2027",
            Type = Watershed.Consultation.V1.ProposalType.PlanApproval, State = Watershed.Consultation.V1.ProposalState.Approved,
        };
        var callback = _app.Callback();
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEventAsync(Sample.Delivered(Sample.AlertRaised(), "evt-w-alert", "alert_rules/e001/areas/e002"))).Status);
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEventAsync(Sample.Delivered(Sample.PlanApproved(), "evt-w-plan", "plans/a001/versions/a002"))).Status);
        Assert.Equal(EventStatus.Success, (await callback.OnTopicEventAsync(Sample.Delivered(decided, "evt-w-decided", "proposals/c001"))).Status);

        var deliveries = await _app.StoredDeliveriesAsync();
        Assert.Equal(
            [("evt-w-alert", alertsId), ("evt-w-decided", plansId), ("evt-w-plan", plansId)],
            deliveries.Select(d => (d.EventId, d.RecipientId.ToString())).Order());
        Assert.Equal("Plan approved: Plan de uso de la cuenca Pomacanchi, version 2", deliveries.Single(d => d.EventId == "evt-w-plan").Subject);
        Assert.Equal("Assembly decision: Aprobación del plan de uso 2027 — approved", deliveries.Single(d => d.EventId == "evt-w-decided").Subject);

        // Watcher events never ask consultation for a roll.
        Assert.Empty(_consultation.Calls);
    }

    [Fact]
    public async Task The_subscriptions_daprd_learns_name_every_event_and_the_dead_letter_topic()
    {
        var subscriptions = (await _app.Callback().ListTopicSubscriptionsAsync()).Subscriptions;
        Assert.Equal(
        [
            ("consultation.assembly_convened.v1", "notifications.dead_letter.v1"),
            ("consultation.ballot_closed.v1", "notifications.dead_letter.v1"),
            ("consultation.proposal_decided.v1", "notifications.dead_letter.v1"),
            ("indicators.alert_cleared.v1", "notifications.dead_letter.v1"),
            ("indicators.alert_raised.v1", "notifications.dead_letter.v1"),
            ("indicators.submissions_imported.v1", "notifications.dead_letter.v1"),
            ("landuse.plan_version_approved.v1", "notifications.dead_letter.v1"),
            ("landuse.plan_version_submitted.v1", "notifications.dead_letter.v1"),
            ("notifications.dead_letter.v1", ""),
        ], subscriptions.Select(s => (s.Topic, s.DeadLetterTopic)));
    }
}
