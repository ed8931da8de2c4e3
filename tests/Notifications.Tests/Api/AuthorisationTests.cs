using Grpc.Core;
using Grpc.Health.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Notifications.Tests.Api;

public sealed class NotificationsAuthorisationFixture : IAsyncLifetime
{
    public static readonly Guid Member = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");

    public NotificationsApp App { get; private set; } = null!;

    public Watcher Watcher { get; private set; } = null!;

    public Delivery Delivery { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await NotificationsApp.OnPostgresAsync();
        Watcher = (await App.Watchers(TestTokens.Admin()).CreateWatcherAsync(Sample.Watcher("Mesa de alertas"))).Watcher;
        await App.Callback().OnTopicEventAsync(Sample.Delivered(Sample.AlertRaised(), "evt-auth", "alert_rules/e001/areas/e002"));
        Delivery = (await App.Deliveries(TestTokens.Admin()).ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = Sample.Watershed })).Deliveries.Single();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Every RPC against every kind of caller, through the real API: allowed calls succeed, the others are
/// PERMISSION_DENIED. Watchers: facilitators, analysts, admins. A member's preferences: the member and
/// facilitators. The delivery log (phone numbers): facilitators and admins.
/// </summary>
public sealed class AuthorisationTests(NotificationsAuthorisationFixture fixture) : IClassFixture<NotificationsAuthorisationFixture>
{
    private static readonly Dictionary<string, Func<string>> Callers = new()
    {
        ["admin"] = TestTokens.Admin,
        ["facilitator"] = () => TestTokens.Facilitator(Sample.Watershed),
        ["analyst"] = () => TestTokens.Create("analyst@test", ["analyst"], [Sample.Watershed]),
        ["facilitator of another watershed"] = () => TestTokens.Facilitator("cachora"),
        ["analyst of another watershed"] = () => TestTokens.Create("analyst@test", ["analyst"], ["cachora"]),
        ["the member"] = () => TestTokens.Member(NotificationsAuthorisationFixture.Member, Sample.Watershed),
        ["another member"] = () => TestTokens.Member(Guid.CreateVersion7(), Sample.Watershed),
        ["viewer"] = () => TestTokens.Create("viewer@test", ["viewer"], [Sample.Watershed]),
        ["no role"] = () => TestTokens.Create("nobody@test", [], [Sample.Watershed]),
        ["unknown role"] = () => TestTokens.Create("auditor@test", ["auditor"], [Sample.Watershed]),
        ["service"] = () => TestTokens.Create("service:landuse", ["service"], ["*"]),
    };

    private static readonly string[] WatcherStaff = ["admin", "facilitator", "analyst"];
    private static readonly string[] MemberOrFacilitator = ["admin", "facilitator", "the member"];
    private static readonly string[] Facilitators = ["admin", "facilitator"];

    private static readonly Dictionary<string, (Func<NotificationsAuthorisationFixture, string, Task> Call, string[] Allowed)> Rpcs = new()
    {
        ["CreateWatcher"] = ((f, t) => f.App.Watchers(t).CreateWatcherAsync(Sample.Watcher($"Desk {Guid.CreateVersion7()}")).ResponseAsync, WatcherStaff),
        ["GetWatcher"] = ((f, t) => f.App.Watchers(t).GetWatcherAsync(new GetWatcherRequest { WatcherId = f.Watcher.Id }).ResponseAsync, WatcherStaff),
        ["ListWatchers"] = ((f, t) => f.App.Watchers(t).ListWatchersAsync(new ListWatchersRequest { WatershedCode = Sample.Watershed }).ResponseAsync, WatcherStaff),
        ["UpdateWatcher"] = ((f, t) => f.App.Watchers(t).UpdateWatcherAsync(new UpdateWatcherRequest
        {
            WatcherId = f.Watcher.Id, Name = "Mesa de alertas", Email = "alertas@caritas.example", Kinds = { EventKind.Alerts }, Channels = { Channel.Email },
        }).ResponseAsync, WatcherStaff),
        ["DeleteWatcher"] = (async (f, t) =>
        {
            var doomed = (await f.App.Watchers(TestTokens.Admin()).CreateWatcherAsync(Sample.Watcher($"Doomed {Guid.CreateVersion7()}"))).Watcher;
            await f.App.Watchers(t).DeleteWatcherAsync(new DeleteWatcherRequest { WatcherId = doomed.Id });
        }, WatcherStaff),
        ["GetPreferences member"] = ((f, t) => f.App.Preferences(t).GetPreferencesAsync(new GetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = NotificationsAuthorisationFixture.Member.ToString(),
        }).ResponseAsync, MemberOrFacilitator),
        ["SetPreferences member"] = ((f, t) => f.App.Preferences(t).SetPreferencesAsync(new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = NotificationsAuthorisationFixture.Member.ToString(), MutedKinds = { EventKind.Assemblies },
        }).ResponseAsync, MemberOrFacilitator),
        ["GetPreferences watcher"] = ((f, t) => f.App.Preferences(t).GetPreferencesAsync(new GetPreferencesRequest { WatcherId = f.Watcher.Id }).ResponseAsync, WatcherStaff),
        ["SetPreferences watcher"] = ((f, t) => f.App.Preferences(t).SetPreferencesAsync(new SetPreferencesRequest
        {
            WatcherId = f.Watcher.Id, QuietHours = new QuietHours { Start = "22:00", End = "06:00" },
        }).ResponseAsync, WatcherStaff),
        ["ListDeliveries"] = ((f, t) => f.App.Deliveries(t).ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = Sample.Watershed }).ResponseAsync, Facilitators),
        ["GetDelivery"] = ((f, t) => f.App.Deliveries(t).GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = f.Delivery.Id }).ResponseAsync, Facilitators),
    };

    public static TheoryData<string, string> Table()
    {
        var table = new TheoryData<string, string>();
        foreach (var rpc in Rpcs.Keys)
        {
            foreach (var caller in Callers.Keys)
            {
                table.Add(rpc, caller);
            }
        }

        return table;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Each_rpc_is_allowed_to_exactly_its_callers(string rpc, string caller)
    {
        var (call, allowed) = Rpcs[rpc];
        if (allowed.Contains(caller))
        {
            await call(fixture, Callers[caller]());
        }
        else
        {
            await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () => call(fixture, Callers[caller]()));
        }
    }

    [Fact]
    public void The_table_covers_every_rpc() =>
        ContractCoverage.AssertEveryRpcHasACase([WatcherService.Descriptor, PreferenceService.Descriptor, DeliveryService.Descriptor], Rpcs.Keys);

    [Fact]
    public async Task Calls_without_a_token_are_unauthenticated_but_health_is_open()
    {
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () =>
            fixture.App.Watchers(null).ListWatchersAsync(new ListWatchersRequest { WatershedCode = Sample.Watershed }).ResponseAsync);
        var health = await new Health.HealthClient(fixture.App.Channel()).CheckAsync(new HealthCheckRequest { Service = "readiness" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }
}
