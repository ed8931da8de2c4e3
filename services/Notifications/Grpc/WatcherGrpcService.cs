using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watershed.Notifications.Data;
using Watershed.Notifications.Domain;
using Watershed.Notifications.Domain.Messages;
using Watershed.Notifications.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Channel = Watershed.Notifications.Domain.Channel;
using EventKind = Watershed.Notifications.Domain.EventKind;
using Language = Watershed.Notifications.Domain.Language;
using RecipientKind = Watershed.Notifications.Domain.RecipientKind;
using Watcher = Watershed.Notifications.Domain.Watcher;

namespace Watershed.Notifications.Grpc;

public sealed class WatcherGrpcService(NotificationsDbContext db, IOptions<NotificationOptions> options, TimeProvider clock) : WatcherService.WatcherServiceBase
{
    private bool LoopbackHttp => options.Value.AllowLoopbackWebhooks;

    public override async Task<CreateWatcherResponse> CreateWatcher(CreateWatcherRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershed = v.Text(request.WatershedCode, "watershed_code", 40);
        var details = Details(v, LoopbackHttp, request.Name, request.Organization, request.PhoneNumber, request.Email, request.WebhookUrl,
            request.Language, request.Kinds, request.Channels);
        var ct = context.CancellationToken;
        context.Caller().RequireWatcherManager(watershed);
        if (await db.Watchers.AnyAsync(w => w.WatershedCode == watershed && w.Name == details.Name.Trim(), ct))
        {
            throw new AlreadyExistsException("watcher", details.Name.Trim(), $"Watershed '{watershed}' has a watcher named '{details.Name.Trim()}' already.");
        }

        var now = clock.GetUtcNow();
        var (watcher, secret) = Watcher.Create(Guid.CreateVersion7(now), watershed, details, LoopbackHttp, now, Webhook.NewSecret);
        db.Watchers.Add(watcher);
        await db.SaveChangesAsync(ct);
        return new CreateWatcherResponse { Watcher = watcher.ToContract(), WebhookSecret = secret ?? string.Empty };
    }

    public override async Task<GetWatcherResponse> GetWatcher(GetWatcherRequest request, ServerCallContext context)
    {
        var watcher = await LoadAsync(request.WatcherId, tracked: false, context);
        context.Caller().RequireWatcherManager(watcher.WatershedCode);
        return new GetWatcherResponse { Watcher = watcher.ToContract() };
    }

    public override async Task<ListWatchersResponse> ListWatchers(ListWatchersRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershed = v.Text(request.WatershedCode, "watershed_code", 40);
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        context.Caller().RequireWatcherManager(watershed);
        var watchers = await db.Watchers.AsNoTracking()
            .Where(w => w.WatershedCode == watershed)
            .OrderBy(w => w.Name).ThenBy(w => w.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(context.CancellationToken);
        var response = new ListWatchersResponse { Page = page.Next(watchers) };
        response.Watchers.AddRange(watchers.Select(w => w.ToContract()));
        return response;
    }

    public override async Task<UpdateWatcherResponse> UpdateWatcher(UpdateWatcherRequest request, ServerCallContext context)
    {
        var v = new Validation();
        v.Id(request.WatcherId, "watcher_id");
        v.Check(request.Revision >= 0, "revision", "must not be negative");
        var details = Details(v, LoopbackHttp, request.Name, request.Organization, request.PhoneNumber, request.Email, request.WebhookUrl,
            request.Language, request.Kinds, request.Channels);
        var watcher = await LoadAsync(request.WatcherId, tracked: true, context);
        context.Caller().RequireWatcherManager(watcher.WatershedCode);
        var secret = watcher.Update(request.Revision, details, request.RotateWebhookSecret, LoopbackHttp, clock.GetUtcNow(), Webhook.NewSecret);
        await db.SaveChangesAsync(context.CancellationToken);
        return new UpdateWatcherResponse { Watcher = watcher.ToContract(), WebhookSecret = secret ?? string.Empty };
    }

    public override async Task<DeleteWatcherResponse> DeleteWatcher(DeleteWatcherRequest request, ServerCallContext context)
    {
        var watcher = await LoadAsync(request.WatcherId, tracked: true, context);
        context.Caller().RequireWatcherManager(watcher.WatershedCode);
        var ct = context.CancellationToken;
        db.Watchers.Remove(watcher);
        db.Preferences.RemoveRange(await db.Preferences
            .Where(p => p.WatershedCode == watcher.WatershedCode && p.RecipientKind == RecipientKind.Watcher && p.RecipientId == watcher.Id).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        return new DeleteWatcherResponse();
    }

    private async Task<Watcher> LoadAsync(string watcherId, bool tracked, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(watcherId, "watcher_id");
        v.ThrowIfInvalid();
        var watchers = tracked ? db.Watchers : db.Watchers.AsNoTracking();
        return await watchers.SingleOrDefaultAsync(w => w.Id == id, context.CancellationToken)
            ?? throw new NotFoundException("watcher", id.ToString());
    }

    /// <summary>The request's shape first (ids, enums); the watcher's own rules once the shape is right.</summary>
    private static WatcherDetails Details(Validation v, bool loopbackHttp, string name, string organization, string phone, string email, string url,
        V1.Language language, IList<V1.EventKind> kinds, IList<V1.Channel> channels)
    {
        v.OptionalEnum(language, "language");
        for (var i = 0; i < kinds.Count; i++)
        {
            v.Enum(kinds[i], $"kinds[{i}]");
        }

        for (var i = 0; i < channels.Count; i++)
        {
            v.Enum(channels[i], $"channels[{i}]");
        }

        v.ThrowIfInvalid();
        var details = new WatcherDetails(name ?? string.Empty, organization ?? string.Empty, (phone ?? string.Empty).Trim(), (email ?? string.Empty).Trim(),
            (url ?? string.Empty).Trim(), language.ToDomainOrNull<V1.Language, Language>(),
            [.. kinds.Select(k => k.ToDomain<V1.EventKind, EventKind>())], [.. channels.Select(c => c.ToDomain<V1.Channel, Channel>())]);
        var faults = details.Validate(loopbackHttp);
        if (faults.Count > 0)
        {
            throw new InvalidArgumentException(faults);
        }

        return details;
    }
}
