using Grpc.Core;
using Watershed.Common.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Notifications.Tests.Api;

/// <summary>Watchers and preferences through the API, and the races on them: one name per watershed, revisions, first preferences.</summary>
public sealed class WatcherApiTests : IAsyncLifetime
{
    private NotificationsApp _app = null!;
    private WatcherService.WatcherServiceClient _watchers = null!;
    private PreferenceService.PreferenceServiceClient _preferences = null!;

    public async Task InitializeAsync()
    {
        _app = await NotificationsApp.OnPostgresAsync();
        _watchers = _app.Watchers(TestTokens.Facilitator(Sample.Watershed));
        _preferences = _app.Preferences(TestTokens.Facilitator(Sample.Watershed));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Watchers_are_created_read_listed_by_name_updated_and_deleted()
    {
        var created = await _watchers.CreateWatcherAsync(Sample.Watcher("Mesa de alertas", Channel.Email));
        Assert.Equal(("", 1, "Cáritas Cusco"), (created.WebhookSecret, created.Watcher.Revision, created.Watcher.Organization));
        Assert.Equal(created.Watcher, (await _watchers.GetWatcherAsync(new GetWatcherRequest { WatcherId = created.Watcher.Id })).Watcher);
        await _watchers.CreateWatcherAsync(Sample.Watcher("Defensoría del Pueblo"));
        await _watchers.CreateWatcherAsync(Sample.Watcher("Agencia Agraria Acomayo"));

        var first = await _watchers.ListWatchersAsync(new ListWatchersRequest { WatershedCode = Sample.Watershed, Page = new PageRequest { PageSize = 2 } });
        var second = await _watchers.ListWatchersAsync(new ListWatchersRequest
        {
            WatershedCode = Sample.Watershed, Page = new PageRequest { PageSize = 2, PageToken = first.Page.NextPageToken },
        });
        Assert.Equal(["Agencia Agraria Acomayo", "Defensoría del Pueblo", "Mesa de alertas"], first.Watchers.Concat(second.Watchers).Select(w => w.Name));
        Assert.Equal(string.Empty, second.Page.NextPageToken);

        var update = new UpdateWatcherRequest
        {
            WatcherId = created.Watcher.Id, Revision = 1, Name = "Mesa de alertas", Email = "alertas@caritas.example",
            WebhookUrl = "https://caritas.example/watershed", Kinds = { EventKind.Alerts }, Channels = { Channel.Email, Channel.Webhook },
        };
        var updated = await _watchers.UpdateWatcherAsync(update);
        Assert.Equal((2, 64 + 6), (updated.Watcher.Revision, updated.WebhookSecret.Length));
        update.Revision = 2;
        update.RotateWebhookSecret = true;
        var rotated = await _watchers.UpdateWatcherAsync(update);
        Assert.NotEqual(updated.WebhookSecret, rotated.WebhookSecret);
        update.Revision = 3;
        update.RotateWebhookSecret = false;
        Assert.Equal(string.Empty, (await _watchers.UpdateWatcherAsync(update)).WebhookSecret);

        await _preferences.SetPreferencesAsync(new SetPreferencesRequest { WatcherId = created.Watcher.Id, OptedOut = true });
        await _watchers.DeleteWatcherAsync(new DeleteWatcherRequest { WatcherId = created.Watcher.Id });
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () => _watchers.GetWatcherAsync(new GetWatcherRequest { WatcherId = created.Watcher.Id }).ResponseAsync);
        Assert.Equal(0, await _app.WithDbAsync(db => Task.FromResult(db.Preferences.Count())));
    }

    [Fact]
    public async Task A_stale_revision_is_aborted_and_changes_nothing()
    {
        var created = (await _watchers.CreateWatcherAsync(Sample.Watcher("Mesa de alertas"))).Watcher;
        var stale = new UpdateWatcherRequest { WatcherId = created.Id, Revision = 7, Name = "Otro nombre", Email = "x@y.example", Kinds = { EventKind.Alerts }, Channels = { Channel.Email } };
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Aborted, () => _watchers.UpdateWatcherAsync(stale).ResponseAsync);
        Assert.Equal(created, (await _watchers.GetWatcherAsync(new GetWatcherRequest { WatcherId = created.Id })).Watcher);
    }

    [Fact]
    public async Task Two_updates_of_the_same_revision_at_once_one_wins_the_other_is_aborted()
    {
        var watcher = (await _watchers.CreateWatcherAsync(Sample.Watcher("Mesa de alertas"))).Watcher;
        for (var round = 0; round < 4; round++)
        {
            var revision = (await _watchers.GetWatcherAsync(new GetWatcherRequest { WatcherId = watcher.Id })).Watcher.Revision;
            var outcomes = await Task.WhenAll(new[] { "Mesa A", "Mesa B" }.Select(name => Task.Run(async () =>
            {
                try
                {
                    await _watchers.UpdateWatcherAsync(new UpdateWatcherRequest
                    {
                        WatcherId = watcher.Id, Revision = revision, Name = name, Email = "x@y.example", Kinds = { EventKind.Alerts }, Channels = { Channel.Email },
                    });
                    return StatusCode.OK;
                }
                catch (RpcException ex)
                {
                    return ex.StatusCode;
                }
            })));
            Assert.Equal([StatusCode.OK, StatusCode.Aborted], outcomes.Order());
            Assert.Equal(revision + 1, (await _watchers.GetWatcherAsync(new GetWatcherRequest { WatcherId = watcher.Id })).Watcher.Revision);
        }
    }

    [Fact]
    public async Task Creating_the_same_name_at_once_makes_one_watcher_and_the_others_already_exist()
    {
        for (var round = 0; round < 3; round++)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await _watchers.CreateWatcherAsync(Sample.Watcher($"Mesa {round}"));
                    return StatusCode.OK;
                }
                catch (RpcException ex)
                {
                    return ex.StatusCode;
                }
            })));
            Assert.Equal([StatusCode.OK, StatusCode.AlreadyExists, StatusCode.AlreadyExists, StatusCode.AlreadyExists], outcomes.Order());
        }

        Assert.Equal(3, (await _watchers.ListWatchersAsync(new ListWatchersRequest { WatershedCode = Sample.Watershed })).Watchers.Count);
    }

    [Fact]
    public async Task Preferences_default_until_set_and_read_back_as_set()
    {
        var person = Guid.CreateVersion7().ToString();
        var member = _app.Preferences(TestTokens.Member(Guid.Parse(person), Sample.Watershed));
        var defaults = (await member.GetPreferencesAsync(new GetPreferencesRequest { WatershedCode = Sample.Watershed, PersonId = person })).Preferences;
        Assert.Equal(new Preferences { RecipientKind = RecipientKind.Member, RecipientId = person, WatershedCode = Sample.Watershed }, defaults);

        var set = (await member.SetPreferencesAsync(new SetPreferencesRequest
        {
            WatershedCode = Sample.Watershed, PersonId = person, Channels = { Channel.Sms }, MutedKinds = { EventKind.Assemblies },
            QuietHours = new QuietHours { Start = "21:30", End = "05:45" }, Language = Language.Qu,
        })).Preferences;
        var read = (await _preferences.GetPreferencesAsync(new GetPreferencesRequest { WatershedCode = Sample.Watershed, PersonId = person })).Preferences;
        Assert.Equal(set, read);
        Assert.Equal([Channel.Sms], read.Channels);
        Assert.Equal([EventKind.Assemblies], read.MutedKinds);
        Assert.Equal(("21:30", "05:45", Language.Qu), (read.QuietHours.Start, read.QuietHours.End, read.Language));
        Assert.NotNull(read.UpdatedAt);

        // Another watershed's preferences of the same person are their own.
        var elsewhere = (await _app.Preferences(TestTokens.Admin()).GetPreferencesAsync(new GetPreferencesRequest { WatershedCode = "cachora", PersonId = person })).Preferences;
        Assert.Null(elsewhere.UpdatedAt);
    }

    [Fact]
    public async Task First_preferences_set_at_once_leave_one_set_equal_to_one_of_the_requests()
    {
        for (var round = 0; round < 3; round++)
        {
            var person = Guid.CreateVersion7().ToString();
            var requests = Enumerable.Range(0, 4).Select(i => new SetPreferencesRequest
            {
                WatershedCode = Sample.Watershed, PersonId = person, OptedOut = i % 2 == 0, Language = (Language)(1 + (i % 3)),
            }).ToList();
            await Task.WhenAll(requests.Select(r => Task.Run(() => _preferences.SetPreferencesAsync(r).ResponseAsync)));

            var stored = await _app.WithDbAsync(db => Task.FromResult(db.Preferences.Where(p => p.RecipientId == Guid.Parse(person)).ToList()));
            var only = Assert.Single(stored);
            Assert.Contains((only.OptedOut, (int?)only.Language), requests.Select(r => (r.OptedOut, (int?)(int)r.Language)));
        }
    }
}
