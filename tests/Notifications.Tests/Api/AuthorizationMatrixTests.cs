using Google.Protobuf;
using Grpc.Core;
using Watershed.Notifications.V1;
using Watershed.Testing;
using Xunit.Abstractions;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// A watcher in Pomacanchi (the own watershed) and one in Cachora (the other), and the delivery an alert of Pomacanchi
/// made for the first.
/// </summary>
public sealed class NotificationsMatrixWorld : IAsyncLifetime
{
    public NotificationsApp App { get; private set; } = null!;

    public Watcher Watcher { get; private set; } = null!;

    public Watcher OtherWatcher { get; private set; } = null!;

    public Delivery Delivery { get; private set; } = null!;

    public MatrixCallers Callers { get; } = new(Sample.Watershed, "cachora", Guid.CreateVersion7(), Guid.CreateVersion7());

    public async Task InitializeAsync()
    {
        App = await NotificationsApp.OnPostgresAsync(settings: new Dictionary<string, string?> { ["Grpc:Reflection"] = "true" });
        Watcher = (await App.Watchers(TestTokens.Admin()).CreateWatcherAsync(Sample.Watcher("Mesa de alertas"))).Watcher;
        var other = Sample.Watcher("Mesa de alertas de Cachora");
        other.WatershedCode = "cachora";
        OtherWatcher = (await App.Watchers(TestTokens.Admin()).CreateWatcherAsync(other)).Watcher;
        await App.Callback().OnTopicEventAsync(Sample.Delivered(Sample.AlertRaised(), "evt-matrix", "alert_rules/e001/areas/e002"));
        Delivery = (await App.Deliveries(TestTokens.Admin()).ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = Sample.Watershed })).Deliveries.Single();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public Watcher Of(bool other) => other ? OtherWatcher : Watcher;
}

/// <summary>
/// docs/authorization.md's notifications table, driven through the real API on PostgreSQL: every RPC the host serves, as
/// every caller, for Pomacanchi's objects with a token of Pomacanchi and of Cachora; then a watcher of Cachora named by a
/// preference request.
/// </summary>
public sealed class AuthorizationMatrixTests(NotificationsMatrixWorld world, ITestOutputHelper output) : IClassFixture<NotificationsMatrixWorld>
{
    private const string Service = "notifications";

    private static AuthorizationMatrixCases<NotificationsMatrixWorld> Cases() => new AuthorizationMatrixCases<NotificationsMatrixWorld>()
        .Add("WatcherService/CreateWatcher", _ => Sample.Watcher("Mesa de la matriz"))
        .Add("WatcherService/GetWatcher", w => new GetWatcherRequest { WatcherId = w.Watcher.Id })
        .Add("WatcherService/ListWatchers", _ => new ListWatchersRequest { WatershedCode = Sample.Watershed })
        .Add("WatcherService/UpdateWatcher", w => new UpdateWatcherRequest
        {
            WatcherId = w.Watcher.Id, Name = "Mesa de alertas", Email = "alertas@caritas.example", Kinds = { EventKind.Alerts }, Channels = { Channel.Email },
        })
        .Add("WatcherService/DeleteWatcher", async w => new DeleteWatcherRequest
        {
            WatcherId = (await w.App.Watchers(TestTokens.Admin()).CreateWatcherAsync(Sample.Watcher($"Mesa {Guid.CreateVersion7()}"))).Watcher.Id,
        }, fresh: true)
        .Add("PreferenceService/GetPreferences (the member's own)", w => new GetPreferencesRequest { WatershedCode = Sample.Watershed, PersonId = w.Callers.Member.ToString() })
        .Add("PreferenceService/GetPreferences (another member's)", _ => new GetPreferencesRequest { WatershedCode = Sample.Watershed, PersonId = Guid.CreateVersion7().ToString() })
        .Add("PreferenceService/GetPreferences (a watcher's)", w => new GetPreferencesRequest { WatcherId = w.Watcher.Id })
        .Add("PreferenceService/SetPreferences (the member's own)", w => new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = w.Callers.Member.ToString(), MutedKinds = { EventKind.Assemblies },
        })
        .Add("PreferenceService/SetPreferences (another member's)", _ => new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = Guid.CreateVersion7().ToString(), MutedKinds = { EventKind.Assemblies },
        })
        .Add("PreferenceService/SetPreferences (a watcher's)", w => new SetPreferencesRequest
        {
            WatcherId = w.Watcher.Id, QuietHours = new QuietHours { Start = "22:00", End = "06:00" },
        })
        .Add("DeliveryService/ListDeliveries", _ => new ListDeliveriesRequest { WatershedCode = Sample.Watershed })
        .Add("DeliveryService/GetDelivery", w => new GetDeliveryRequest { DeliveryId = w.Delivery.Id })
        .AddCommonRows();

    [Fact]
    public void The_table_has_a_row_for_every_rpc_the_host_serves_and_a_request_for_every_row()
    {
        var problems = AuthorizationMatrixCheck.Coverage(AuthorizationMatrix.Load(Service), world.App.ServedGrpcMethods(), Cases().Names);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_caller_gets_what_the_table_says_from_every_rpc()
    {
        var matrix = AuthorizationMatrix.Load(Service);
        var report = await AuthorizationMatrixCheck.RunAsync(matrix, Cases(), world, world.App.ServedGrpcMethods(),
            world.Callers, world.App.Invoker, world.App.SnapshotAsync);
        output.WriteLine($"{Service}: {report.Rows} rows, {report.Calls} calls");
        report.AssertMatches();
        Assert.Equal(matrix.Rows.Count, report.Rows);
    }

    private static ForeignIdCases<NotificationsMatrixWorld> ForeignIds()
    {
        static string? Facilitator(NotificationsMatrixWorld _) => TestTokens.Facilitator(Sample.Watershed);
        const string Filter = "a filter inside the watershed the request names (watershed_code, which the caller is authorised on): an id of another watershed matches no entry";
        const string Person = "consultation's person, unknown here: preferences are kept per watershed and person, and the watershed is the one the caller is authorised on";
        return new ForeignIdCases<NotificationsMatrixWorld>()
            .Exempt("DeliveryService/ListDeliveries", "event_id", Filter)
            .Exempt("DeliveryService/ListDeliveries", "person_id", Filter)
            .Exempt("DeliveryService/ListDeliveries", "watcher_id", Filter)
            .Exempt("PreferenceService/GetPreferences", "person_id", Person)
            .Exempt("PreferenceService/SetPreferences", "person_id", Person)
            // A watcher's preferences are authorised on the watcher's own watershed, whatever watershed_code says.
            .Add("PreferenceService/GetPreferences", "watcher_id", Facilitator, (w, foreign) => Message(new GetPreferencesRequest
            {
                WatershedCode = Sample.Watershed, WatcherId = w.Of(foreign).Id,
            }), StatusCode.PermissionDenied)
            .Add("PreferenceService/SetPreferences", "watcher_id", Facilitator, (w, foreign) => Message(new SetPreferencesRequest
            {
                WatershedCode = Sample.Watershed, WatcherId = w.Of(foreign).Id, OptedOut = true,
            }), StatusCode.PermissionDenied);
    }

    private static Task<IMessage> Message(IMessage message) => Task.FromResult(message);

    [Fact]
    public async Task Foreign_ids_in_any_id_field_are_refused()
    {
        var cases = ForeignIds();
        var uncovered = ForeignIdCheck.Uncovered([WatcherService.Descriptor, PreferenceService.Descriptor, DeliveryService.Descriptor], cases);
        var failures = await ForeignIdCheck.RunAsync(cases, world, world.App.ServedGrpcMethods(), world.App.Invoker, world.App.SnapshotAsync);
        output.WriteLine($"{Service}: {cases.Cases.Count} foreign-id cases");
        Assert.True(uncovered.Count + failures.Count == 0, string.Join("\n", uncovered.Concat(failures)));
    }
}
