using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Watershed.Notifications.Data;
using Watershed.Notifications.Domain;
using Watershed.Notifications.Domain.Messages;
using Watershed.ServiceDefaults.Events;

namespace Watershed.Notifications.Events;

/// <summary>
/// Records what an event must send: one delivery per (event, recipient, channel), written in the event handler's
/// transaction with the inbox entry, so a redelivered event adds nothing. Sending is the dispatcher's job.
/// </summary>
public sealed partial class Notifier(
    NotificationsDbContext db,
    ContactDirectory contacts,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    NotificationsTelemetry telemetry,
    ILogger<Notifier> logger)
{
    /// <param name="spaceId">The space whose members are told, or null for watchers only.</param>
    public async Task NotifyAsync(Notice notice, EventContext context, Guid? spaceId, bool watchers, CancellationToken ct)
    {
        using var activity = telemetry.Start("NotifyEvent");
        activity?.SetTag("event.id", context.EventId);
        activity?.SetTag("event.kind", notice.Kind.ToString());

        var recipients = new List<Recipient>();
        if (spaceId is { } space)
        {
            recipients.AddRange(await contacts.MembersAsync(space, ct));
        }

        if (watchers)
        {
            var following = await db.Watchers.AsNoTracking().Where(w => w.WatershedCode == notice.WatershedCode).ToListAsync(ct);
            recipients.AddRange(following.Where(w => w.Follows(notice.Kind)).Select(Recipient.Of));
        }

        var preferences = await PreferencesAsync(notice.WatershedCode, recipients, ct);
        var settings = options.Value;
        var schedule = settings.Schedule();
        var now = clock.GetUtcNow();
        var plans = DeliveryPlanner.Plan(notice.Kind, recipients, preferences, now, schedule);
        var templates = new MessageTemplates(schedule.Zone);
        var info = new EventInfo(context.EventId, context.Type, notice.Kind, notice.WatershedCode);
        foreach (var plan in plans)
        {
            if (plan.Digest)
            {
                await CollectAsync((ImportNotice)notice, context.EventId, plan, schedule, ct);
                continue;
            }

            var message = plan.Channel switch
            {
                Channel.Sms => templates.Sms(notice, plan.Language),
                Channel.Email => templates.Email(notice, plan.Language),
                _ => new RenderedMessage(string.Empty,
                    Webhook.CloudEvent(context.EventId, context.Type, context.Source, context.Subject, context.Time, context.DataJson), 0),
            };
            db.Deliveries.Add(Delivery.ForEvent(Guid.CreateVersion7(now), info, plan, message, now,
                Activity.Current?.IdFormat == ActivityIdFormat.W3C ? Activity.Current.Id : null));
            telemetry.Queued(notice.WatershedCode, plan.Channel, notice.Kind, plan.DeferReason is not null);
        }

        activity?.SetTag("deliveries", plans.Count);
        LogPlanned(logger, context.EventId, notice.Kind, plans.Count, recipients.Count);
    }

    private async Task<Dictionary<RecipientRef, PreferenceChoices>> PreferencesAsync(string watershed, List<Recipient> recipients, CancellationToken ct)
    {
        var ids = recipients.Select(r => r.Ref.Id).Distinct().ToList();
        var stored = await db.Preferences.AsNoTracking()
            .Where(p => p.WatershedCode == watershed && ids.Contains(p.RecipientId)).ToListAsync(ct);
        return stored.ToDictionary(p => p.Recipient, p => p.Choices);
    }

    /// <summary>
    /// Adds the event to the recipient's open digest for the current span, opening one if needed. The digest row is
    /// locked while it is added to; if the dispatcher took it meanwhile (its span just ended), the event goes into
    /// the next span's digest. Two events opening the same digest at once meet on its unique key: the loser's
    /// transaction fails and Dapr delivers that event again, when it finds the digest open.
    /// </summary>
    private async Task CollectAsync(ImportNotice notice, string eventId, PlannedDelivery plan, DeliverySchedule schedule, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var window = schedule.WindowAt(now);
        while (true)
        {
            var digestId = DigestWindow.DigestEventId(notice.Kind, window);
            var digest = await db.DigestForUpdateAsync(digestId, plan.Recipient, plan.Channel, ct);
            if (digest is null)
            {
                var due = window.End;
                var windowPlan = plan with
                {
                    NotBefore = plan.QuietHours?.DeferUntil(due, schedule.Zone) ?? due,
                };
                digest = Delivery.ForDigest(Guid.CreateVersion7(now), digestId, notice.Kind, notice.WatershedCode, windowPlan, now);
                db.Deliveries.Add(digest);
                telemetry.Queued(notice.WatershedCode, plan.Channel, notice.Kind, deferred: true);
            }
            else if (!digest.IsOpenDigest)
            {
                window = window.Next(schedule.DigestAt, schedule.DigestPeriod, schedule.Zone);
                continue;
            }

            digest.Collect(eventId, notice, now);
            return;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} ({Kind}): {Deliveries} deliveries for {Recipients} recipients")]
    private static partial void LogPlanned(ILogger logger, string eventId, EventKind kind, int deliveries, int recipients);
}
