using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Watershed.Consultation.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Benchmarks;

/// <summary>
/// Event to delivery-log entry, through the whole path as it runs locally: consultation commits ConveneAssembly with
/// its outbox row, the relay publishes to the development sidecar (a separate process), the sidecar delivers to
/// notifications' AppCallback, which asks consultation for the space's contacts over gRPC and writes the delivery log;
/// the dispatcher then sends through the sidecar's SMS binding. Each process on PostgreSQL, on loopback.
/// Latency is measured from the moment ConveneAssembly's answer reaches the client (the commit is done) to the
/// delivery's created_at (written by notifications) and to its sent_at (the binding accepted it): one clock, one
/// machine. Events go one at a time, so the figures are the path's latency, not a queue's.
/// </summary>
internal static class EventsBenchmark
{
    public static async Task<List<BenchmarkRow>> RunAsync(int events)
    {
        var rows = new List<BenchmarkRow>();
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine($"Watershed events benchmark — {Environment.ProcessorCount} cores, {events} events one at a time (after 20 to warm up)");
        var postgres = await PostgresServer.GetAsync();
        var notificationsPort = ServiceProcess.FreePort();
        await using var sidecar = await SidecarProcess.StartAsync(
            new Dictionary<string, Uri> { ["notifications"] = new($"http://127.0.0.1:{notificationsPort}") },
            settings: new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });

        async Task<Dictionary<string, string>> SettingsAsync(string database) => new()
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(database),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            ["Auth:Audience"] = TestTokens.Audience,
            ["DAPR_GRPC_ENDPOINT"] = sidecar.GrpcAddress.ToString().TrimEnd('/'),
            // The services take AppCallback calls only with the sidecar's app API token, as in a cluster that sets one.
            ["APP_API_TOKEN"] = sidecar.AppApiToken,
        };

        await using var consultation = await ServiceProcess.StartAsync("Consultation", await SettingsAsync("bench_events_consultation"));
        var notificationsSettings = await SettingsAsync("bench_events_notifications");
        notificationsSettings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var notifications = await ServiceProcess.StartAsync("Notifications", notificationsSettings, notificationsPort);

        CallInvoker Invoker(Uri address) =>
            GrpcChannel.ForAddress(address).Intercept(m => { m.Add("Authorization", "Bearer " + TestTokens.Admin()); return m; });
        var co = Invoker(consultation.Address);
        var stakeholders = new StakeholderService.StakeholderServiceClient(co);
        var spaces = new SpaceService.SpaceServiceClient(co);
        var assemblies = new AssemblyService.AssemblyServiceClient(co);
        var deliveries = new DeliveryService.DeliveryServiceClient(Invoker(notifications.Address));

        // One space with one member who agreed to SMS: each convened assembly makes exactly one delivery.
        var watershed = (await stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "bench-events", Name = "Bench" })).Watershed;
        var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Bench", Kind = SpaceKind.CommunityAssembly })).Space;
        var person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = watershed.Id, FullName = "Rosa Quispe", PhoneNumber = "+51984111111", PreferredLanguage = "qu-PE", ConsentedChannels = { ContactChannel.Sms },
        })).Person;
        await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = MemberRole.VotingMember });

        // The sidecar learns notifications' subscriptions by asking it; an event published before then has no subscriber
        // and is never delivered (as with Dapr), so the first event waits for them.
        var subscribedBy = DateTime.UtcNow.AddSeconds(60);
        while (!(await sidecar.SubscriptionsAsync()).Contains("consultation.assembly_convened.v1", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > subscribedBy)
            {
                throw new InvalidOperationException($"The sidecar has no subscription of notifications after 60 s: {await sidecar.SubscriptionsAsync()}");
            }

            await Task.Delay(50);
        }

        var committedAt = new Dictionary<string, DateTimeOffset>();
        var toLog = new List<double>();
        var toSent = new List<double>();
        var previous = string.Empty;
        var clock = Stopwatch.StartNew();
        for (var i = -20; i < events; i++)
        {
            await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
            {
                SpaceId = space.Id, Title = $"Asamblea {i}", Place = "Local comunal", ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(2)),
            });
            var committed = DateTimeOffset.UtcNow;
            Delivery newest;
            var giveUp = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                if (DateTime.UtcNow > giveUp)
                {
                    var seen = await deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = "bench-events", Page = new() { PageSize = 5 } });
                    throw new InvalidOperationException($"Event {i}: no delivery was sent within 60 s; the newest deliveries: {seen}"
                        + $"\nnotifications:\n{notifications.Output}\nsidecar:\n{sidecar.Output}");
                }

                var page = await deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = "bench-events", Page = new() { PageSize = 1 } });
                if (page.Deliveries.Count == 1 && page.Deliveries[0].Id != previous && page.Deliveries[0].State == DeliveryState.Sent)
                {
                    newest = page.Deliveries[0];
                    break;
                }

                await Task.Delay(5);
            }

            previous = newest.Id;
            if (i >= 0)
            {
                toLog.Add((newest.CreatedAt.ToDateTimeOffset() - committed).TotalMilliseconds);
                toSent.Add((newest.SentAt.ToDateTimeOffset() - committed).TotalMilliseconds);
                committedAt[newest.EventId] = committed;
            }
        }

        static string Row(string what, List<double> values)
        {
            var sorted = values.Order().ToArray();
            double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return string.Create(CultureInfo.InvariantCulture,
                $"{what,-58} p50 {At(0.50),7:F2} ms   p99 {At(0.99),7:F2} ms   max {sorted[^1],7:F2} ms");
        }

        double P(List<double> values, double q) => Measure.Percentile(values.Order().ToArray(), q);
        rows.Add(new BenchmarkRow("event committed → delivery-log entry", $"{events} events", P(toLog, 0.50), "ms p50", "", 0));
        rows.Add(new BenchmarkRow("event committed → delivery-log entry", $"{events} events", P(toLog, 0.99), "ms p99", "", 0, "< 50 ms"));
        rows.Add(new BenchmarkRow("event committed → SMS sent (binding)", $"{events} events", P(toSent, 0.99), "ms p99", "", 0));
        Console.WriteLine(Row("event committed → delivery-log entry (outbox, sidecar, inbox)", toLog));
        Console.WriteLine(Row("event committed → message sent (… dispatcher, SMS binding)", toSent));
        // Where the time goes, from the sidecar's own records: when it stored the publish, when the app acknowledged.
        using var http = new HttpClient { BaseAddress = sidecar.HttpAddress };
        var stored = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"/dev/topics/pubsub/consultation.assembly_convened.v1?limit={events + 50}"))
            .RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("cloudEvent").GetProperty("id").GetString()!, e => DateTimeOffset.Parse(e.GetProperty("storedAt").GetString()!, culture));
        var acknowledged = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"/dev/deliveries?state=delivered&limit={events + 50}"))
            .RootElement.EnumerateArray().Where(e => e.GetProperty("topic").GetString() == "consultation.assembly_convened.v1")
            .ToDictionary(e => e.GetProperty("eventId").GetString()!, e => DateTimeOffset.Parse(e.GetProperty("updatedAt").GetString()!, culture));
        var matched = committedAt.Keys.Where(id => stored.ContainsKey(id) && acknowledged.ContainsKey(id)).ToList();
        if (matched.Count > 0)
        {
            Console.WriteLine(Row("  committed → stored by the sidecar (relay wake, publish)", [.. matched.Select(id => (stored[id] - committedAt[id]).TotalMilliseconds)]));
            Console.WriteLine(Row("  stored → acknowledged by notifications (deliver, contacts, log)", [.. matched.Select(id => (acknowledged[id] - stored[id]).TotalMilliseconds)]));
        }

        // The two calls inside "acknowledged", each alone: consultation's contacts query, and notifications'
        // handling of one AssemblyConvened delivered straight to its AppCallback (no sidecar).
        var contacts = new ContactService.ContactServiceClient(co);
        var direct = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await contacts.ListSpaceContactsAsync(new ListSpaceContactsRequest { SpaceId = space.Id });
            direct.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine(Row("  ListSpaceContacts, client → consultation (alone)", direct));
        using var notificationsChannel = GrpcChannel.ForAddress(notifications.Address);
        var handled = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var message = new Watershed.Consultation.V1.AssemblyConvened
            {
                AssemblyId = Guid.CreateVersion7().ToString(), Title = $"Directa {i}", Place = "Local comunal",
                Scope = new ConsultationScope { WatershedId = watershed.Id, WatershedCode = "bench-events", SpaceId = space.Id },
                ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(2)),
            };
            var started = Stopwatch.GetTimestamp();
            await DaprCallback.DeliverAsync(notificationsChannel, "consultation.assembly_convened.v1", message, Guid.CreateVersion7().ToString(), $"assemblies/{message.AssemblyId}", appApiToken: sidecar.AppApiToken);
            handled.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine(Row("  OnTopicEvent AssemblyConvened → notifications (alone)", handled));
        Console.WriteLine(string.Create(culture, $"{events} events in {clock.Elapsed.TotalSeconds:F1} s (sequential, polling included)"));
        rows.Add(new BenchmarkRow("notifications peak RSS", "", ProcessCpu.PeakRssMb(notifications.ProcessId), "MB", "", 0));
        return rows;
    }
}
