using Google.Protobuf.WellKnownTypes;
using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults.Grpc;
using V1 = Watershed.Notifications.V1;

namespace Watershed.Notifications.Grpc;

/// <summary>Domain ⇄ contract conversions.</summary>
internal static class Mapping
{
    public static Timestamp ToTimestamp(this DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static V1.Watcher ToContract(this Watcher w)
    {
        var contract = new V1.Watcher
        {
            Id = w.Id.ToString(),
            WatershedCode = w.WatershedCode,
            Name = w.Name,
            Organization = w.Organization,
            PhoneNumber = w.PhoneNumber,
            Email = w.Email,
            WebhookUrl = w.WebhookUrl,
            Language = w.Language.ToContract<Language, V1.Language>(),
            Revision = w.Revision,
            CreatedAt = w.CreatedAt.ToTimestamp(),
            UpdatedAt = w.UpdatedAt.ToTimestamp(),
        };
        contract.Kinds.AddRange(w.Kinds.Select(k => k.ToContract<EventKind, V1.EventKind>()));
        contract.Channels.AddRange(w.Channels.Select(c => c.ToContract<Channel, V1.Channel>()));
        return contract;
    }

    public static V1.Preferences ToContract(this PreferenceChoices choices, string watershedCode, RecipientRef recipient, DateTimeOffset? updatedAt)
    {
        var contract = new V1.Preferences
        {
            RecipientKind = recipient.Kind.ToContract<RecipientKind, V1.RecipientKind>(),
            RecipientId = recipient.Id.ToString(),
            WatershedCode = watershedCode,
            OptedOut = choices.OptedOut,
            Language = choices.Language is { } language ? language.ToContract<Language, V1.Language>() : V1.Language.Unspecified,
            UpdatedAt = updatedAt?.ToTimestamp(),
        };
        if (choices.QuietHours is { } quiet)
        {
            contract.QuietHours = new V1.QuietHours { Start = quiet.Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), End = quiet.End.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) };
        }

        contract.Channels.AddRange(choices.Channels.Select(c => c.ToContract<Channel, V1.Channel>()));
        contract.MutedKinds.AddRange(choices.MutedKinds.Select(k => k.ToContract<EventKind, V1.EventKind>()));
        return contract;
    }

    public static V1.Delivery ToContract(this Delivery d)
    {
        var contract = new V1.Delivery
        {
            Id = d.Id.ToString(),
            WatershedCode = d.WatershedCode,
            EventId = d.EventId,
            EventType = d.EventType,
            Kind = d.Kind.ToContract<EventKind, V1.EventKind>(),
            RecipientKind = d.RecipientKind.ToContract<RecipientKind, V1.RecipientKind>(),
            RecipientId = d.RecipientId.ToString(),
            Channel = d.Channel.ToContract<Channel, V1.Channel>(),
            Address = d.Address,
            Language = d.Language.ToContract<Language, V1.Language>(),
            Subject = d.Subject,
            Body = d.Body,
            SmsSegments = d.SmsSegments,
            State = d.State.ToContract<DeliveryState, V1.DeliveryState>(),
            DeferReason = d.DeferReason is { } reason ? reason.ToContract<DeferReason, V1.DeferReason>() : V1.DeferReason.Unspecified,
            NotBefore = d.NotBefore.ToTimestamp(),
            Attempts = d.Attempts,
            FailureReason = d.FailureReason,
            NextAttemptAt = d.NextAttemptAt?.ToTimestamp(),
            SentAt = d.SentAt?.ToTimestamp(),
            CreatedAt = d.CreatedAt.ToTimestamp(),
        };
        contract.DigestEventIds.AddRange(d.DigestItems.OrderBy(i => i.AddedAt).ThenBy(i => i.EventId, StringComparer.Ordinal).Select(i => i.EventId));
        return contract;
    }
}
