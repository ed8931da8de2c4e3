using System.Text.Json.Nodes;
using Google.Protobuf;
using Watershed.Indicators.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// Processes killed (SIGKILL, no shutdown code) at the worst moment, as their own processes on PostgreSQL with the
/// development sidecar. Every publisher killed between committing a change and publishing its event still delivers
/// the event, once (consultation's case is in <see cref="PlanApprovalByEventsTests"/>; land use and indicators here),
/// and notifications killed while sending loses no waiting message and sends none twice on a channel that cannot
/// recognise a repeat.
/// </summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public async Task Land_use_killed_between_commit_and_publish_delivers_the_submitted_version_once_after_its_restart()
    {
        var sidecarPort = ServiceProcess.FreePort();
        await using var subscriber = await Subscriber.StartAsync("e2e_crash_lu_notifications", sidecarPort);

        // No sidecar listens yet: the submission commits with its event, which cannot be published; then land use dies.
        var landUseSettings = await EventSystem.SettingsAsync("e2e_crash_landuse", sidecar: null, deadSidecarPort: sidecarPort);
        landUseSettings["Services:consultation:Address"] = "http://127.0.0.1:1";
        await using var landUse = await ServiceProcess.StartAsync("LandUse", landUseSettings);
        var plan = await PlanApprovalByEventsTests.Plan.SubmittedAsync(landUse.Address, "crash-lu");
        await subscriber.WatchAsync(plan.Code, EventKind.PlanChanges);
        await landUse.StopAsync();

        await using var sidecar = await subscriber.SidecarAsync();
        await using var restarted = await ServiceProcess.StartAsync("LandUse", landUseSettings);

        await subscriber.ReceivedOnceAsync(plan.Code, "watershed.landuse.v1.PlanVersionSubmitted", sidecar);
    }

    [Fact]
    public async Task Indicators_killed_between_commit_and_publish_delivers_the_import_once_after_its_restart()
    {
        var sidecarPort = ServiceProcess.FreePort();
        await using var subscriber = await Subscriber.StartAsync("e2e_crash_in_notifications", sidecarPort);
        var indicatorsSettings = await EventSystem.SettingsAsync("e2e_crash_indicators", sidecar: null, deadSidecarPort: sidecarPort);
        await using var indicators = await ServiceProcess.StartAsync("Indicators", indicatorsSettings);
        var code = $"crash-in-{Guid.NewGuid():N}"[..24];
        await subscriber.WatchAsync(code, EventKind.Imports);
        await ImportOneHouseholdAsync(indicators.Address, code);
        await indicators.StopAsync();

        await using var sidecar = await subscriber.SidecarAsync();
        await using var restarted = await ServiceProcess.StartAsync("Indicators", indicatorsSettings);

        await subscriber.ReceivedOnceAsync(code, "watershed.indicators.v1.SubmissionsImported", sidecar);
    }

    [Fact]
    public async Task Notifications_killed_mid_send_loses_no_waiting_message_and_sends_no_sms_or_email_twice()
    {
        var notificationsPort = ServiceProcess.FreePort();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.HoldNext(1);

        // The SMS provider hangs on the first message, the webhook receiver on its first POST.
        await using var sidecar = await SidecarProcess.StartAsync(
            new Dictionary<string, Uri> { ["notifications"] = new($"http://127.0.0.1:{notificationsPort}") },
            settings: new Dictionary<string, string> { ["Sidecar:Bindings:sms:HoldNextCalls"] = "1" });
        var settings = await EventSystem.SettingsAsync("e2e_crash_notifications", sidecar);
        settings["Notifications:BindingTimeout"] = "00:05:00";
        settings["Notifications:SendLease"] = "00:10:00";
        await using var notifications = await ServiceProcess.StartAsync("Notifications", settings, notificationsPort);
        await Eventually.TrueAsync(async () => (await sidecar.SubscriptionsAsync()).Contains("consultation.proposal_decided.v1", StringComparison.Ordinal),
            "the sidecar should learn notifications' subscriptions");

        var code = $"crash-nt-{Guid.NewGuid():N}"[..24];
        var watchers = new WatcherService.WatcherServiceClient(EventSystem.Invoker(notifications.Address, TestTokens.Facilitator(code)));
        string[] phones = ["+51984000101", "+51984000102"];
        foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
        {
            await watchers.CreateWatcherAsync(new CreateWatcherRequest
            {
                WatershedCode = code, Name = $"Teniente gobernador {i + 1}", PhoneNumber = phone, Language = Language.Es,
                Kinds = { EventKind.Decisions }, Channels = { Channel.Sms },
            });
        }

        await watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = code, Name = "Mesa de concertación", Email = "mesa@example.pe", Language = Language.Es,
            Kinds = { EventKind.Decisions }, Channels = { Channel.Email },
        });
        await watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = code, Name = "Observatorio regional", WebhookUrl = receiver.Url().ToString(), Language = Language.Es,
            Kinds = { EventKind.Decisions }, Channels = { Channel.Webhook },
        });

        var eventId = Guid.CreateVersion7().ToString();
        await EventSystem.PublishDecisionAsync(sidecar, eventId, EventSystem.Approved(code, "Cerco del manantial de Sallma"));
        var log = new DeliveryService.DeliveryServiceClient(EventSystem.Invoker(notifications.Address, TestTokens.Facilitator(code)));
        await Eventually.TrueAsync(async () =>
        {
            var states = (await log.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = code })).Deliveries.Select(d => d.State).ToList();
            return states.Count(s => s == DeliveryState.Sending) == 2 && states.Count(s => s == DeliveryState.Sent) == 2;
        }, "one SMS and the webhook should hang while the other SMS and the e-mail are sent", TimeSpan.FromSeconds(120));

        await notifications.StopAsync();

        // Back with a short lease, so the interrupted sends are found soon.
        settings["Notifications:BindingTimeout"] = "00:00:02";
        settings["Notifications:Webhook:AttemptTimeout"] = "00:00:01";
        settings["Notifications:Webhook:RetryDelay"] = "00:00:00.010";
        settings["Notifications:Webhook:Retries"] = "0";
        settings["Notifications:SendLease"] = "00:00:03";
        settings["Notifications:RetryBaseDelay"] = "00:00:01";
        settings["Notifications:IdlePoll"] = "00:00:00.500";
        await using var restarted = await ServiceProcess.StartAsync("Notifications", settings, notificationsPort);
        log = new DeliveryService.DeliveryServiceClient(EventSystem.Invoker(restarted.Address, TestTokens.Facilitator(code)));
        List<Delivery> final = [];
        await Eventually.TrueAsync(async () =>
        {
            final = [.. (await log.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = code })).Deliveries];
            return final.Count == 4 && final.All(d => d.State is DeliveryState.Sent || (d.State is DeliveryState.Failed && d.NextAttemptAt is null));
        }, "every delivery should end sent or finally failed after the restart", TimeSpan.FromSeconds(120));

        // The SMS that was in flight: its outcome is unknown, so it is not sent again; the other SMS went once.
        var sms = final.Where(d => d.Channel == Channel.Sms).ToList();
        var inDoubt = Assert.Single(sms, d => d.State == DeliveryState.Failed);
        Assert.StartsWith("outcome unknown", inDoubt.FailureReason, StringComparison.Ordinal);
        var sentSms = Assert.Single(sms, d => d.State == DeliveryState.Sent);
        var smsFile = Assert.Single(sidecar.SmsTexts());
        Assert.Contains($"To: {sentSms.Address}", smsFile, StringComparison.Ordinal);
        Assert.Equal([1, 1], sms.Select(d => d.Attempts));

        // The e-mail sent before the kill is not sent again.
        var email = Assert.Single(final, d => d.Channel == Channel.Email);
        Assert.Equal((DeliveryState.Sent, 1), (email.State, email.Attempts));
        Assert.Single(sidecar.EmailTexts());

        // The webhook in flight is sent again, the same CloudEvent, which its receiver recognises by id.
        var webhook = Assert.Single(final, d => d.Channel == Channel.Webhook);
        Assert.Equal((DeliveryState.Sent, 2), (webhook.State, webhook.Attempts));
        Assert.Equal([eventId, eventId], receiver.Posts.Select(p => JsonNode.Parse(p.Body)!["id"]!.GetValue<string>()));
    }

    private static async Task ImportOneHouseholdAsync(Uri indicators, string code)
    {
        var invoker = EventSystem.Invoker(indicators, TestTokens.Facilitator(code));
        var areas = new AreaService.AreaServiceClient(invoker);
        var watershed = (await areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = code, Name = "Laguna de Pomacanchi" })).Area;
        var district = (await areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.District, ParentId = watershed.Id, Code = "080606", Name = "Pomacanchi" })).Area;
        await areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = district.Id, Code = "manzanares", Name = "Manzanares" });
        var mapping = new ColumnMapping { AreaColumn = "community", HouseholdColumn = "hh", InterviewDateColumn = "date" };
        mapping.SubmissionIdColumns.Add("_uuid");
        string[] groups = ["staples", "pulses", "vegetables", "fruit", "meat_fish_eggs", "dairy", "sugar", "oil", "condiments"];
        foreach (var group in groups)
        {
            mapping.AnswerColumns[$"fcs.{group}"] = group;
        }

        var surveys = new SurveyService.SurveyServiceClient(invoker);
        var round = (await surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = watershed.Id, Name = "Seguimiento de diciembre", FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping,
        })).SurveyRound;
        var csv = $"_uuid,community,hh,date,{string.Join(',', groups)}\nk-1,manzanares,hh-1,2026-11-03,7,3,4,2,2,2,7,7,7\n";
        var imported = await surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest { SurveyRoundId = round.Id, Csv = ByteString.CopyFromUtf8(csv) });
        Assert.Equal(1, imported.Result.StoredRows);
    }

    /// <summary>
    /// Notifications as the subscriber that sees whether an event arrived and how often: a watcher with a webhook, the
    /// receiver counting POSTs. The sidecar starts later, on the port the publisher was told.
    /// </summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly int _sidecarPort;
        private readonly WebhookReceiver _receiver;
        private readonly ServiceProcess _notifications;
        private readonly int _notificationsPort;

        private Subscriber(int sidecarPort, WebhookReceiver receiver, ServiceProcess notifications, int notificationsPort) =>
            (_sidecarPort, _receiver, _notifications, _notificationsPort) = (sidecarPort, receiver, notifications, notificationsPort);

        public static async Task<Subscriber> StartAsync(string database, int sidecarPort)
        {
            var receiver = await WebhookReceiver.StartAsync();
            var port = ServiceProcess.FreePort();
            var notifications = await ServiceProcess.StartAsync("Notifications", await EventSystem.SettingsAsync(database, sidecar: null, deadSidecarPort: sidecarPort), port);
            return new Subscriber(sidecarPort, receiver, notifications, port);
        }

        public Task WatchAsync(string code, EventKind kind) =>
            new WatcherService.WatcherServiceClient(EventSystem.Invoker(_notifications.Address, TestTokens.Facilitator(code))).CreateWatcherAsync(new CreateWatcherRequest
            {
                WatershedCode = code, Name = "Observatorio regional", WebhookUrl = _receiver.Url().ToString(), Language = Language.Es,
                Kinds = { kind }, Channels = { Channel.Webhook },
            }).ResponseAsync;

        public Task<SidecarProcess> SidecarAsync() =>
            SidecarProcess.StartAsync(new Dictionary<string, Uri> { ["notifications"] = new($"http://127.0.0.1:{_notificationsPort}") }, grpcPort: _sidecarPort);

        /// <summary>The event of <paramref name="type"/> reached the watcher, once, and the sidecar has nothing left to deliver.</summary>
        public async Task ReceivedOnceAsync(string code, string type, SidecarProcess sidecar)
        {
            var log = new DeliveryService.DeliveryServiceClient(EventSystem.Invoker(_notifications.Address, TestTokens.Facilitator(code)));
            await Eventually.TrueAsync(async () =>
                (await log.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = code })).Deliveries.Any(d => d.EventType == type && d.State == DeliveryState.Sent),
                $"{type}, left in the publisher's outbox when it died, should reach the watcher after its restart", TimeSpan.FromSeconds(120));
            await Eventually.TrueAsync(async () => (await sidecar.PendingDeliveriesAsync()).Trim() is "[]",
                "the sidecar should have delivered everything it was given", TimeSpan.FromSeconds(60));

            var deliveries = (await log.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = code })).Deliveries;
            var delivery = Assert.Single(deliveries);
            Assert.Equal((type, DeliveryState.Sent, 1), (delivery.EventType, delivery.State, delivery.Attempts));
            var post = Assert.Single(_receiver.Posts);
            Assert.Equal(delivery.EventId, JsonNode.Parse(post.Body)!["id"]!.GetValue<string>());
        }

        public async ValueTask DisposeAsync()
        {
            await _notifications.DisposeAsync();
            await _receiver.DisposeAsync();
        }
    }
}
