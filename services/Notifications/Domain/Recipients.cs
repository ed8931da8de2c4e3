namespace Watershed.Notifications.Domain;

/// <summary>A channel a recipient can be reached on, with the address to use.</summary>
public readonly record struct Reachable(Channel Channel, string Address);

/// <summary>Someone an event may be told to, with where they can be reached and their own language.</summary>
public sealed record Recipient(RecipientRef Ref, Language Language, IReadOnlyList<Reachable> Reachable)
{
    /// <summary>
    /// A member of a space's roll as consultation lists them. SMS and e-mail need an address and that channel's
    /// consent, granted in the member's latest consent record for it; no record is no consent.
    /// </summary>
    public static Recipient Member(Guid personId, string phoneNumber, string email, string languageTag, IReadOnlyDictionary<Channel, bool> consents)
    {
        var reachable = new List<Reachable>();
        if (phoneNumber.Length > 0 && consents.GetValueOrDefault(Channel.Sms))
        {
            reachable.Add(new Reachable(Channel.Sms, phoneNumber));
        }

        if (email.Length > 0 && consents.GetValueOrDefault(Channel.Email))
        {
            reachable.Add(new Reachable(Channel.Email, email));
        }

        return new Recipient(RecipientRef.Member(personId), Languages.FromTag(languageTag), reachable);
    }

    /// <summary>A watcher on the channels it chose (its registration is its consent).</summary>
    public static Recipient Of(Watcher watcher) =>
        new(RecipientRef.Watcher(watcher.Id), watcher.Language, [.. watcher.Channels.Select(c => new Reachable(c, watcher.AddressFor(c)))]);
}

/// <summary>One message to send: to whom, how, in which language, from when, and why it waits.</summary>
public sealed record PlannedDelivery(
    RecipientRef Recipient,
    Channel Channel,
    string Address,
    Language Language,
    DateTimeOffset NotBefore,
    DeferReason? DeferReason,
    QuietHours? QuietHours,
    bool Digest);

/// <summary>How deliveries are timed: the local zone, the digest span and which kinds are digested.</summary>
public sealed record DeliverySchedule(TimeZoneInfo Zone, TimeOnly DigestAt, TimeSpan DigestPeriod, IReadOnlySet<EventKind> DigestKinds)
{
    public DigestWindow WindowAt(DateTimeOffset now) => DigestWindow.Containing(now, DigestAt, DigestPeriod, Zone);
}

/// <summary>The rule of who is told: one delivery per recipient and channel that preferences, consent and the kind allow.</summary>
public static class DeliveryPlanner
{
    /// <param name="preferences">Stored preferences by recipient; a recipient without any gets the defaults.</param>
    public static IReadOnlyList<PlannedDelivery> Plan(
        EventKind kind,
        IEnumerable<Recipient> recipients,
        IReadOnlyDictionary<RecipientRef, PreferenceChoices> preferences,
        DateTimeOffset now,
        DeliverySchedule schedule)
    {
        var planned = new List<PlannedDelivery>();
        var seen = new HashSet<RecipientRef>();
        foreach (var recipient in recipients)
        {
            // A person listed twice on a roll (two roles) is told once.
            if (!seen.Add(recipient.Ref))
            {
                continue;
            }

            var choices = preferences.GetValueOrDefault(recipient.Ref) ?? PreferenceChoices.Defaults;
            var language = choices.Language ?? recipient.Language;
            foreach (var (channel, address) in recipient.Reachable.Where(r => choices.Allows(kind, r.Channel)))
            {
                // Machines neither sleep nor want summaries: webhooks get every event at once.
                var forPeople = channel != Channel.Webhook;
                var digest = forPeople && schedule.DigestKinds.Contains(kind);
                var due = digest ? schedule.WindowAt(now).End : now;
                var quiet = forPeople ? choices.QuietHours : null;
                var deferredTo = quiet?.DeferUntil(due, schedule.Zone);
                var reason = digest ? Domain.DeferReason.Digest : deferredTo is null ? (DeferReason?)null : Domain.DeferReason.QuietHours;
                planned.Add(new PlannedDelivery(recipient.Ref, channel, address, language, deferredTo ?? due, reason, quiet, digest));
            }
        }

        return planned;
    }
}
