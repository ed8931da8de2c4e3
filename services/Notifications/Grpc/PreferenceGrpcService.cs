using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Notifications.Data;
using Watershed.Notifications.Domain;
using Watershed.Notifications.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Channel = Watershed.Notifications.Domain.Channel;
using EventKind = Watershed.Notifications.Domain.EventKind;
using Language = Watershed.Notifications.Domain.Language;
using QuietHours = Watershed.Notifications.Domain.QuietHours;
using RecipientKind = Watershed.Notifications.Domain.RecipientKind;

namespace Watershed.Notifications.Grpc;

public sealed class PreferenceGrpcService(NotificationsDbContext db, TimeProvider clock) : PreferenceService.PreferenceServiceBase
{
    public override async Task<GetPreferencesResponse> GetPreferences(GetPreferencesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var target = Target(v, request.WatershedCode, request.RecipientCase == GetPreferencesRequest.RecipientOneofCase.PersonId, request.PersonId,
            request.RecipientCase == GetPreferencesRequest.RecipientOneofCase.WatcherId, request.WatcherId);
        v.ThrowIfInvalid();
        var (watershed, recipient) = await AuthoriseAsync(target, context);
        var stored = await db.Preferences.AsNoTracking()
            .SingleOrDefaultAsync(p => p.WatershedCode == watershed && p.RecipientKind == recipient.Kind && p.RecipientId == recipient.Id, context.CancellationToken);
        return new GetPreferencesResponse
        {
            Preferences = (stored?.Choices ?? PreferenceChoices.Defaults).ToContract(watershed, recipient, stored?.UpdatedAt),
        };
    }

    /// <summary>
    /// Replaces the recipient's preferences. Two first sets at once meet on the unique key (one set per recipient
    /// and watershed): the one that lost the insert applies its choices to the row the other created.
    /// </summary>
    public override async Task<SetPreferencesResponse> SetPreferences(SetPreferencesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var target = Target(v, request.WatershedCode, request.RecipientCase == SetPreferencesRequest.RecipientOneofCase.PersonId, request.PersonId,
            request.RecipientCase == SetPreferencesRequest.RecipientOneofCase.WatcherId, request.WatcherId);
        var choices = Choices(v, request);
        if (v.IsValid)
        {
            foreach (var fault in choices.Validate(target.PersonId is null ? RecipientKind.Watcher : RecipientKind.Member))
            {
                v.Add(fault.Field, fault.Description);
            }
        }

        v.ThrowIfInvalid();
        var (watershed, recipient) = await AuthoriseAsync(target, context);
        var ct = context.CancellationToken;
        RecipientPreferences saved;
        try
        {
            saved = await SaveAsync(watershed, recipient, choices, ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            saved = await SaveAsync(watershed, recipient, choices, ct);
        }

        return new SetPreferencesResponse { Preferences = saved.Choices.ToContract(watershed, recipient, saved.UpdatedAt) };
    }

    private async Task<RecipientPreferences> SaveAsync(string watershed, RecipientRef recipient, PreferenceChoices choices, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stored = await db.Preferences
            .SingleOrDefaultAsync(p => p.WatershedCode == watershed && p.RecipientKind == recipient.Kind && p.RecipientId == recipient.Id, ct);
        if (stored is null)
        {
            stored = RecipientPreferences.Create(Guid.CreateVersion7(now), watershed, recipient, choices, now);
            db.Preferences.Add(stored);
        }
        else
        {
            // A blind replace: the whole row is written, so two sets at once leave one of them, never a mix of both.
            stored.Replace(choices, now);
            db.Entry(stored).State = EntityState.Modified;
        }

        await db.SaveChangesAsync(ct);
        return stored;
    }

    private sealed record PreferenceTarget(string WatershedCode, Guid? PersonId, Guid? WatcherId);

    private static PreferenceTarget Target(Validation v, string watershedCode, bool isPerson, string personId, bool isWatcher, string watcherId)
    {
        if (isPerson)
        {
            return new PreferenceTarget(v.Text(watershedCode, "watershed_code", 40), v.Id(personId, "person_id"), null);
        }

        if (isWatcher)
        {
            return new PreferenceTarget(string.Empty, null, v.Id(watcherId, "watcher_id"));
        }

        v.Add("person_id", "give person_id (with watershed_code) for a member, or watcher_id for a watcher");
        return new PreferenceTarget(string.Empty, null, null);
    }

    private async Task<(string Watershed, RecipientRef Recipient)> AuthoriseAsync(PreferenceTarget target, ServerCallContext context)
    {
        var caller = context.Caller();
        if (target.PersonId is { } person)
        {
            caller.RequireMemberPreferences(target.WatershedCode, person);
            return (target.WatershedCode, RecipientRef.Member(person));
        }

        var watcherId = target.WatcherId!.Value;
        var watershed = await db.Watchers.AsNoTracking().Where(w => w.Id == watcherId).Select(w => w.WatershedCode)
            .SingleOrDefaultAsync(context.CancellationToken) ?? throw new NotFoundException("watcher", watcherId.ToString());
        caller.RequireWatcherManager(watershed);
        return (watershed, RecipientRef.Watcher(watcherId));
    }

    private static PreferenceChoices Choices(Validation v, SetPreferencesRequest request)
    {
        v.OptionalEnum(request.Language, "language");
        for (var i = 0; i < request.Channels.Count; i++)
        {
            v.Enum(request.Channels[i], $"channels[{i}]");
        }

        for (var i = 0; i < request.MutedKinds.Count; i++)
        {
            v.Enum(request.MutedKinds[i], $"muted_kinds[{i}]");
        }

        QuietHours? quiet = null;
        if (request.QuietHours is { } hours)
        {
            var faults = new List<FieldViolation>();
            quiet = QuietHours.Parse(hours.Start, hours.End, faults);
            faults.ForEach(f => v.Add(f.Field, f.Description));
        }

        if (!v.IsValid)
        {
            return PreferenceChoices.Defaults;
        }

        return new PreferenceChoices(
            [.. request.Channels.Select(c => c.ToDomain<V1.Channel, Channel>())],
            [.. request.MutedKinds.Select(k => k.ToDomain<V1.EventKind, EventKind>())],
            request.OptedOut,
            quiet,
            request.Language.ToDomainOrNull<V1.Language, Language>());
    }
}
