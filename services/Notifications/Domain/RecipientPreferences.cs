using Watershed.ServiceDefaults.Errors;

namespace Watershed.Notifications.Domain;

/// <summary>Who a message is for: a member by consultation's person id, or a watcher by its id.</summary>
public readonly record struct RecipientRef(RecipientKind Kind, Guid Id)
{
    public static RecipientRef Member(Guid personId) => new(RecipientKind.Member, personId);

    public static RecipientRef Watcher(Guid watcherId) => new(RecipientKind.Watcher, watcherId);
}

/// <summary>What a recipient chose, as a whole (SetPreferences replaces it).</summary>
public sealed record PreferenceChoices(
    IReadOnlyList<Channel> Channels,
    IReadOnlyList<EventKind> MutedKinds,
    bool OptedOut,
    QuietHours? QuietHours,
    Language? Language)
{
    public static readonly PreferenceChoices Defaults = new([], [], false, null, null);

    public IReadOnlyList<FieldViolation> Validate(RecipientKind recipient)
    {
        var v = new List<FieldViolation>();
        for (var i = 0; i < Channels.Count; i++)
        {
            if (recipient == RecipientKind.Member && Channels[i] == Channel.Webhook)
            {
                v.Add(new($"channels[{i}]", "members are reached by SMS or e-mail, not by webhook"));
            }
            else if (Channels.Take(i).Contains(Channels[i]))
            {
                v.Add(new($"channels[{i}]", "is listed twice"));
            }
        }

        for (var i = 0; i < MutedKinds.Count; i++)
        {
            if (MutedKinds.Take(i).Contains(MutedKinds[i]))
            {
                v.Add(new($"muted_kinds[{i}]", "is listed twice"));
            }
        }

        return v;
    }

    /// <summary>
    /// Whether a message of <paramref name="kind"/> may reach this recipient on <paramref name="channel"/>: not
    /// opted out, the kind not muted, and the channel among those chosen (no choice: every channel).
    /// </summary>
    public bool Allows(EventKind kind, Channel channel) =>
        !OptedOut && !MutedKinds.Contains(kind) && (Channels.Count == 0 || Channels.Contains(channel));
}

/// <summary>One recipient's stored preferences in one watershed.</summary>
public sealed class RecipientPreferences
{
    private RecipientPreferences(Guid id, string watershedCode, RecipientKind recipientKind, Guid recipientId)
    {
        Id = id;
        WatershedCode = watershedCode;
        RecipientKind = recipientKind;
        RecipientId = recipientId;
    }

    public Guid Id { get; private set; }

    public string WatershedCode { get; private set; }

    public RecipientKind RecipientKind { get; private set; }

    public Guid RecipientId { get; private set; }

    public IReadOnlyList<Channel> Channels { get; private set; } = [];

    public IReadOnlyList<EventKind> MutedKinds { get; private set; } = [];

    public bool OptedOut { get; private set; }

    public TimeOnly? QuietStart { get; private set; }

    public TimeOnly? QuietEnd { get; private set; }

    public Language? Language { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public RecipientRef Recipient => new(RecipientKind, RecipientId);

    public PreferenceChoices Choices => new(Channels, MutedKinds, OptedOut,
        QuietStart is { } start && QuietEnd is { } end ? new QuietHours(start, end) : null, Language);

    public static RecipientPreferences Create(Guid id, string watershedCode, RecipientRef recipient, PreferenceChoices choices, DateTimeOffset now)
    {
        var preferences = new RecipientPreferences(id, watershedCode, recipient.Kind, recipient.Id);
        preferences.Replace(choices, now);
        return preferences;
    }

    public void Replace(PreferenceChoices choices, DateTimeOffset now)
    {
        var violations = choices.Validate(RecipientKind);
        if (violations.Count > 0)
        {
            throw new InvalidArgumentException(violations);
        }

        Channels = [.. choices.Channels];
        MutedKinds = [.. choices.MutedKinds];
        OptedOut = choices.OptedOut;
        QuietStart = choices.QuietHours?.Start;
        QuietEnd = choices.QuietHours?.End;
        Language = choices.Language;
        UpdatedAt = now;
    }
}
