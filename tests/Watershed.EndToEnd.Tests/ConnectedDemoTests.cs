using Watershed.Consultation.V1;
using Watershed.Demo;
using Watershed.EndToEnd.Tests.Otlp;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// The whole system as run-local.sh runs it (four services and the sidecar, each its own process; here on
/// PostgreSQL), loaded with the connected Pomacanchi demo through the public APIs. Closing the demo's open ballot
/// sends each delegate a message in their language on the channel they chose, written by the sidecar's bindings as
/// files a person can read, and the whole path from CloseBallot to the binding call is one trace, exported by every
/// process to a collector.
/// </summary>
public sealed class ConnectedDemoTests
{
    [Fact]
    public async Task The_Pomacanchi_demo_connects_every_service_and_closing_its_ballot_reaches_people_in_one_trace()
    {
        await using var collector = await TraceCollector.StartAsync();
        var (landUsePort, indicatorsPort, notificationsPort) = (ServiceProcess.FreePort(), ServiceProcess.FreePort(), ServiceProcess.FreePort());
        await using var sidecar = await SidecarProcess.StartAsync(
            new Dictionary<string, Uri>
            {
                ["landuse"] = new($"http://127.0.0.1:{landUsePort}"),
                ["indicators"] = new($"http://127.0.0.1:{indicatorsPort}"),
                ["notifications"] = new($"http://127.0.0.1:{notificationsPort}"),
            },
            settings: collector.ExporterSettings);

        async Task<Dictionary<string, string>> SettingsAsync(string database)
        {
            var settings = await EventSystem.SettingsAsync(database, sidecar);
            foreach (var (key, value) in collector.ExporterSettings)
            {
                settings[key] = value;
            }

            return settings;
        }

        await using var consultation = await ServiceProcess.StartAsync("Consultation", await SettingsAsync("e2e_demo_consultation"));
        var landUseSettings = await SettingsAsync("e2e_demo_landuse");
        landUseSettings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var landUse = await ServiceProcess.StartAsync("LandUse", landUseSettings, landUsePort);
        var indicatorsSettings = await SettingsAsync("e2e_demo_indicators");
        indicatorsSettings["Demo:Seed"] = "true";
        await using var indicators = await ServiceProcess.StartAsync("Indicators", indicatorsSettings, indicatorsPort);
        var notificationsSettings = await SettingsAsync("e2e_demo_notifications");
        notificationsSettings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var notifications = await ServiceProcess.StartAsync("Notifications", notificationsSettings, notificationsPort);
        await Eventually.TrueAsync(async () =>
        {
            var subscriptions = await sidecar.SubscriptionsAsync();
            return subscriptions.Contains("consultation.proposal_decided.v1", StringComparison.Ordinal)
                && subscriptions.Contains("landuse.plan_version_approved.v1", StringComparison.Ordinal)
                && subscriptions.Contains("consultation.ballot_closed.v1", StringComparison.Ordinal);
        }, "the sidecar should learn every app's subscriptions");

        var demo = new PomacanchiDemo(
            new DemoEndpoints(consultation.Address, landUse.Address, indicators.Address, notifications.Address),
            (role, watershed) => TestTokens.Create($"demo-{role}@test", [role], [watershed]),
            _ => { });
        Assert.False(await demo.IsLoadedAsync(CancellationToken.None));
        var loaded = await demo.LoadAsync(CancellationToken.None);
        Assert.True(await demo.IsLoadedAsync(CancellationToken.None));

        var facilitator = TestTokens.Facilitator(PomacanchiDemo.WatershedCode);

        // Land use approved the version on the assembly's decision; indicators' target cites the plan's real goal.
        var plans = new PlanService.PlanServiceClient(EventSystem.Invoker(landUse.Address, facilitator));
        var version = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = loaded.PlanVersionId })).PlanVersion;
        Assert.Equal(PlanVersionState.Approved, version.State);
        var tracking = new PlanTrackingService.PlanTrackingServiceClient(EventSystem.Invoker(indicators.Address, facilitator));
        var target = (await tracking.GetPlanTargetAsync(new GetPlanTargetRequest { PlanTargetId = loaded.PlanTargetId })).Target;
        Assert.Contains(version.GoalItems, g => g.GoalId == target.GoalId);
        Assert.Equal((loaded.PlanId, "2025Q4", false), (target.PlanId, target.BaselinePeriod, target.GoalDropped));
        Assert.NotEmpty(target.BaselineValue);

        // The person trying the demo closes the open ballot.
        var proposals = new ProposalService.ProposalServiceClient(EventSystem.Invoker(consultation.Address, facilitator));
        var closed = await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = loaded.OpenBallotId });
        Assert.Equal(ProposalState.Approved, closed.Proposal.State);

        // Every delegate but the one who opted out hears of it, in their language, on their channel.
        var deliveries = new DeliveryService.DeliveryServiceClient(EventSystem.Invoker(notifications.Address, facilitator));
        var roll = (await new StakeholderService.StakeholderServiceClient(EventSystem.Invoker(consultation.Address, facilitator))
            .ListPersonsAsync(new ListPersonsRequest { WatershedId = (await WatershedIdAsync(consultation)) })).Persons.ToDictionary(p => p.FullName, p => p.Id);
        List<Delivery> log = [];
        await Eventually.TrueAsync(async () =>
        {
            log = [.. (await deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = PomacanchiDemo.WatershedCode, Page = new() { PageSize = 200 } }))
                .Deliveries.Where(d => d.EventType == "watershed.consultation.v1.BallotClosed" && d.Body.Contains("Sallma", StringComparison.Ordinal))];
            return log.Count(d => d.State == DeliveryState.Sent) >= 6;
        }, "the closed ballot should be sent to the delegates", TimeSpan.FromSeconds(60));

        Delivery To(string name) => Assert.Single(log, d => d.RecipientId == roll[name]);
        Assert.Equal((Channel.Sms, Language.Qu, DeliveryState.Sent), (To("Rosa Quispe Huamán").Channel, To("Rosa Quispe Huamán").Language, To("Rosa Quispe Huamán").State));
        Assert.Equal((Channel.Sms, Language.Qu, DeliveryState.Sent), (To("Nilda Puma Quispe").Channel, To("Nilda Puma Quispe").Language, To("Nilda Puma Quispe").State));
        Assert.Equal((Channel.Email, Language.Es, DeliveryState.Sent), (To("Juan Mamani Ccori").Channel, To("Juan Mamani Ccori").Language, To("Juan Mamani Ccori").State));
        Assert.Equal((Channel.Email, Language.Es, DeliveryState.Sent), (To("Marleni Huillca Ttito").Channel, To("Marleni Huillca Ttito").Language, To("Marleni Huillca Ttito").State));
        Assert.Equal((Channel.Sms, DeliveryState.Sent), (To("Pedro Ccori Condori").Channel, To("Pedro Ccori Condori").State)); // SMS only, by preference
        Assert.Contains(To("Hilario Condori Mamani").State, new[] { DeliveryState.Sent, DeliveryState.Deferred }); // quiet hours 22:00–05:00, Lima
        Assert.DoesNotContain(log, d => d.RecipientId == roll["Lucía Huamán Puma"]); // opted out
        Assert.NotEqual(To("Rosa Quispe Huamán").Body, To("Juan Mamani Ccori").Body);

        // The messages as a person reads them under the sidecar's folder (.local/sms and .local/email in a local run).
        Assert.Single(sidecar.SmsTexts(), t => t.Contains("+51984100001", StringComparison.Ordinal) && t.Contains(To("Rosa Quispe Huamán").Body, StringComparison.Ordinal));
        Assert.Single(sidecar.EmailTexts(), t => t.Contains("juan.mamani@example.pe", StringComparison.Ordinal)
            && t.Contains(To("Juan Mamani Ccori").Body.Split('\n')[0], StringComparison.Ordinal));
        Assert.DoesNotContain(sidecar.SmsTexts(), t => t.Contains("+51984100003", StringComparison.Ordinal));

        // One trace: CloseBallot → outbox publish → sidecar → notifications' processing → the send → the binding.
        string[] expected =
        [
            "watershed-consultation|consultation.ballot_closed.v1 publish",
            "watershed-dev-sidecar|PublishEvent",
            "watershed-dev-sidecar|pubsub/consultation.ballot_closed.v1",
            "watershed-notifications|consultation.ballot_closed.v1 process",
            "watershed-notifications|SendDelivery",
            "watershed-dev-sidecar|bindings/sms",
        ];
        List<CollectedSpan> trace = [];
        string missing = string.Empty;
        try
        {
            await Eventually.TrueAsync(() =>
            {
                var spans = collector.Spans;
                var close = spans.Where(s => s.Service == "watershed-consultation" && s.Name.EndsWith("ProposalService/CloseBallot", StringComparison.Ordinal)).ToList();
                trace = close.Count == 2 ? [.. spans.Where(s => s.TraceId == close.OrderBy(c => c.StartNanos).Last().TraceId)] : [];
                missing = string.Join(", ", expected.Where(e => !trace.Any(s => $"{s.Service}|{s.Name}" == e)));

                // Spans arrive as each process exports them: wait until the tree is whole (one root, every parent here).
                var ids = trace.Select(s => s.SpanId).ToHashSet();
                return Task.FromResult(trace.Count > 0 && missing.Length == 0 && trace.Count(s => s.ParentSpanId.Length == 0 || !ids.Contains(s.ParentSpanId)) == 1);
            }, "the trace of CloseBallot should reach the binding", TimeSpan.FromSeconds(60));
        }
        catch (Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"Missing in the trace: {missing}\nThe trace:\n{string.Join("\n", trace)}\nAll spans by service: "
                + string.Join("; ", collector.Spans.GroupBy(s => s.Service).Select(g => $"{g.Key}: {string.Join(", ", g.Select(s => s.Name).Distinct().Take(30))}")));
        }

        // It is one tree whose root is the CloseBallot request, every other span's parent in the same trace.
        var spanIds = trace.Select(s => s.SpanId).ToHashSet();
        var root = Assert.Single(trace, s => s.ParentSpanId.Length == 0 || !spanIds.Contains(s.ParentSpanId));
        Assert.EndsWith("ProposalService/CloseBallot", root.Name, StringComparison.Ordinal);
        Assert.Equal("", root.ParentSpanId);
    }

    private static async Task<string> WatershedIdAsync(ServiceProcess consultation)
    {
        var admin = new StakeholderService.StakeholderServiceClient(EventSystem.Invoker(consultation.Address, TestTokens.Admin()));
        return (await admin.ListWatershedsAsync(new ListWatershedsRequest())).Watersheds.Single(w => w.Code == PomacanchiDemo.WatershedCode).Id;
    }
}
