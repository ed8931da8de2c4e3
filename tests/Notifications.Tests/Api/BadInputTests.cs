using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Common.V1;
using Watershed.Notifications.Data;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Notifications.Tests.Api;

public sealed class NotificationsBadInputFixture : IAsyncLifetime
{
    public NotificationsApp App { get; private set; } = null!;

    public Watcher Watcher { get; private set; } = null!;

    public string Token { get; } = TestTokens.Facilitator(Sample.Watershed);

    public WatcherService.WatcherServiceClient Watchers => App.Watchers(Token);

    public PreferenceService.PreferenceServiceClient Preferences => App.Preferences(Token);

    public DeliveryService.DeliveryServiceClient Deliveries => App.Deliveries(Token);

    public async Task InitializeAsync()
    {
        App = await NotificationsApp.OnPostgresAsync();
        Watcher = (await Watchers.CreateWatcherAsync(Sample.Watcher("Mesa de alertas"))).Watcher;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>Every notifications RPC answers malformed input with INVALID_ARGUMENT naming exactly the faulty fields, and writes nothing.</summary>
public sealed class BadInputTests(NotificationsBadInputFixture fixture) : IClassFixture<NotificationsBadInputFixture>
{
    private const string NotAnId = "watcher-7";

    private static readonly Dictionary<string, (Func<NotificationsBadInputFixture, Task> Call, string[] Fields)> Cases = new()
    {
        ["CreateWatcher"] = (f => f.Watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = " ", Language = (Language)9, Kinds = { EventKind.Unspecified }, Channels = { (Channel)7 },
        }).ResponseAsync, ["watershed_code", "language", "kinds[0]", "channels[0]"]),
        ["CreateWatcher content"] = (f => f.Watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = Sample.Watershed, Name = "", PhoneNumber = "984123456", Email = "alertas(at)ong", WebhookUrl = "http://ong.example/hook",
            Channels = { Channel.Sms, Channel.Sms },
        }).ResponseAsync, ["name", "kinds", "channels[1]", "phone_number", "email", "webhook_url"]),
        ["CreateWatcher addresses"] = (f => f.Watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = Sample.Watershed, Name = "Sin datos", Kinds = { EventKind.Alerts, EventKind.Alerts }, Channels = { Channel.Sms, Channel.Email, Channel.Webhook },
        }).ResponseAsync, ["kinds[1]", "phone_number", "email", "webhook_url"]),
        ["CreateWatcher control characters"] = (f => f.Watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = Sample.Watershed, Name = "Mesa\0de alertas", Organization = "Cáritas\nCusco", Email = "alertas@cari\ttas.example",
            WebhookUrl = "https://caritas.example/ho\u0001ok", Kinds = { EventKind.Alerts }, Channels = { Channel.Email },
        }).ResponseAsync, ["name", "organization", "email", "webhook_url"]),
        ["UpdateWatcher control characters"] = (f => f.Watchers.UpdateWatcherAsync(new UpdateWatcherRequest
        {
            WatcherId = f.Watcher.Id, Name = "Mesa de alertas\u001b", Organization = "Cáritas\0", Email = "alertas@caritas.example", Kinds = { EventKind.Alerts },
            Channels = { Channel.Email },
        }).ResponseAsync, ["name", "organization"]),
        ["ListDeliveries control characters"] = (f => f.Deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = Sample.Watershed, EventId = "evt\n1" }).ResponseAsync,
            ["event_id"]),
        ["GetWatcher"] = (f => f.Watchers.GetWatcherAsync(new GetWatcherRequest { WatcherId = NotAnId }).ResponseAsync, ["watcher_id"]),
        ["ListWatchers"] = (f => f.Watchers.ListWatchersAsync(new ListWatchersRequest { Page = new PageRequest { PageSize = -1, PageToken = "forged" } }).ResponseAsync,
            ["watershed_code", "page.page_size", "page.page_token"]),
        ["UpdateWatcher"] = (f => f.Watchers.UpdateWatcherAsync(new UpdateWatcherRequest { Revision = -1, Kinds = { EventKind.Unspecified } }).ResponseAsync,
            ["watcher_id", "revision", "kinds[0]"]),
        ["UpdateWatcher rotate without webhook"] = (f => f.Watchers.UpdateWatcherAsync(new UpdateWatcherRequest
        {
            WatcherId = f.Watcher.Id, Name = "Mesa de alertas", Email = "alertas@caritas.example", Kinds = { EventKind.Alerts }, Channels = { Channel.Email },
            RotateWebhookSecret = true,
        }).ResponseAsync, ["rotate_webhook_secret"]),
        ["DeleteWatcher"] = (f => f.Watchers.DeleteWatcherAsync(new DeleteWatcherRequest()).ResponseAsync, ["watcher_id"]),
        ["GetPreferences"] = (f => f.Preferences.GetPreferencesAsync(new GetPreferencesRequest()).ResponseAsync, ["person_id"]),
        ["GetPreferences member"] = (f => f.Preferences.GetPreferencesAsync(new GetPreferencesRequest { PersonId = "rosa" }).ResponseAsync,
            ["watershed_code", "person_id"]),
        ["SetPreferences"] = (f => f.Preferences.SetPreferencesAsync(new SetPreferencesRequest
        {
            WatcherId = f.Watcher.Id, Channels = { Channel.Unspecified }, MutedKinds = { (EventKind)42 }, Language = (Language)7,
            QuietHours = new QuietHours { Start = "25:00", End = "6" },
        }).ResponseAsync, ["channels[0]", "muted_kinds[0]", "language", "quiet_hours.start", "quiet_hours.end"]),
        ["SetPreferences member"] = (f => f.Preferences.SetPreferencesAsync(new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = Guid.CreateVersion7().ToString(), Channels = { Channel.Webhook, Channel.Sms, Channel.Sms },
            MutedKinds = { EventKind.Alerts, EventKind.Alerts },
        }).ResponseAsync, ["channels[0]", "channels[2]", "muted_kinds[1]"]),
        ["SetPreferences quiet"] = (f => f.Preferences.SetPreferencesAsync(new SetPreferencesRequest
        {
            WatcherId = f.Watcher.Id, QuietHours = new QuietHours { Start = "22:00", End = "22:00" },
        }).ResponseAsync, ["quiet_hours.end"]),
        ["ListDeliveries"] = (f => f.Deliveries.ListDeliveriesAsync(new ListDeliveriesRequest
        {
            EventId = new string('e', 101), PersonId = "rosa", State = (DeliveryState)9, Page = new PageRequest { PageToken = "forged" },
        }).ResponseAsync, ["watershed_code", "event_id", "person_id", "state", "page.page_token"]),
        ["GetDelivery"] = (f => f.Deliveries.GetDeliveryAsync(new GetDeliveryRequest { DeliveryId = "d-1" }).ResponseAsync, ["delivery_id"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Malformed_requests_are_refused_with_exactly_their_faults_and_write_nothing(string name)
    {
        var (call, fields) = Cases[name];
        await BadInput.AssertRefusedAsync(fixture.App.SnapshotAsync, name, () => call(fixture), fields);
    }

    [Fact]
    public void Every_rpc_of_the_notifications_contract_has_a_bad_input_case() =>
        ContractCoverage.AssertEveryRpcHasACase([WatcherService.Descriptor, PreferenceService.Descriptor, DeliveryService.Descriptor], Cases.Keys);

    [Fact]
    public async Task The_migrations_match_the_model()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures: add a migration.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }
}
