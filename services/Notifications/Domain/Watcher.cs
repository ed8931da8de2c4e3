using System.Net.Mail;
using System.Text.RegularExpressions;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Notifications.Domain;

/// <summary>What a facilitator says about a watcher: who, how to reach them, what they follow.</summary>
public sealed partial record WatcherDetails(
    string Name,
    string Organization,
    string PhoneNumber,
    string Email,
    string WebhookUrl,
    Language? Language,
    IReadOnlyList<EventKind> Kinds,
    IReadOnlyList<Channel> Channels)
{
    public const int MaxNameLength = 200;
    public const int MaxOrganizationLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxUrlLength = 2000;

    /// <summary>Every fault, named by its contract field.</summary>
    /// <param name="allowLoopbackHttp">Local runs and tests: plain http to this machine is accepted.</param>
    public IReadOnlyList<FieldViolation> Validate(bool allowLoopbackHttp)
    {
        var v = new List<FieldViolation>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            v.Add(new("name", "is required"));
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            v.Add(new("name", $"must be at most {MaxNameLength} characters"));
        }

        if (Organization.Trim().Length > MaxOrganizationLength)
        {
            v.Add(new("organization", $"must be at most {MaxOrganizationLength} characters"));
        }

        if (Kinds.Count == 0)
        {
            v.Add(new("kinds", "needs at least one kind of event to follow"));
        }

        Duplicates(Kinds, "kinds", v);
        if (Channels.Count == 0)
        {
            v.Add(new("channels", "needs at least one channel"));
        }

        Duplicates(Channels, "channels", v);
        if (PhoneNumber.Length > 0 && !Contacts.IsPhoneNumber(PhoneNumber))
        {
            v.Add(new("phone_number", "must be an E.164 number such as +51984123456"));
        }
        else if (PhoneNumber.Length == 0 && Channels.Contains(Channel.Sms))
        {
            v.Add(new("phone_number", "is required for the SMS channel"));
        }

        if (Email.Length > 0 && !Contacts.IsEmail(Email))
        {
            v.Add(new("email", "must be an e-mail address such as alertas@ong.org.pe"));
        }
        else if (Email.Length == 0 && Channels.Contains(Channel.Email))
        {
            v.Add(new("email", "is required for the e-mail channel"));
        }

        if (WebhookUrl.Length > 0 && !Contacts.IsWebhookUrl(WebhookUrl, allowLoopbackHttp))
        {
            v.Add(new("webhook_url", "must be an https URL of at most 2000 characters, without credentials"));
        }
        else if (WebhookUrl.Length == 0 && Channels.Contains(Channel.Webhook))
        {
            v.Add(new("webhook_url", "is required for the webhook channel"));
        }

        return v;
    }

    private static void Duplicates<T>(IReadOnlyList<T> items, string field, List<FieldViolation> v)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items.Take(i).Contains(items[i]))
            {
                v.Add(new($"{field}[{i}]", "is listed twice"));
            }
        }
    }
}

/// <summary>How addresses must look.</summary>
public static partial class Contacts
{
    public static bool IsPhoneNumber(string text) => E164().IsMatch(text);

    public static bool IsEmail(string text) =>
        text.Length <= WatcherDetails.MaxEmailLength && MailAddress.TryCreate(text, out var address) && address.Address == text && address.DisplayName.Length == 0;

    /// <summary>
    /// https, never with credentials in the URL. Plain http only to this machine and only where allowed (local runs
    /// and tests): in a pod, http to loopback would reach the Dapr sidecar's own API.
    /// </summary>
    public static bool IsWebhookUrl(string text, bool allowLoopbackHttp) =>
        text.Length <= WatcherDetails.MaxUrlLength
        && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && string.IsNullOrEmpty(uri.UserInfo)
        && string.IsNullOrEmpty(uri.Fragment)
        && (uri.Scheme == Uri.UriSchemeHttps || (allowLoopbackHttp && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();
}

/// <summary>An NGO or government contact following a watershed's events.</summary>
public sealed class Watcher
{
    private Watcher(Guid id, string watershedCode, DateTimeOffset createdAt)
    {
        Id = id;
        WatershedCode = watershedCode;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string WatershedCode { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string Organization { get; private set; } = string.Empty;

    public string PhoneNumber { get; private set; } = string.Empty;

    public string Email { get; private set; } = string.Empty;

    public string WebhookUrl { get; private set; } = string.Empty;

    /// <summary>Signs webhook POSTs; kept only while the watcher has the webhook channel.</summary>
    public string WebhookSecret { get; private set; } = string.Empty;

    public Language Language { get; private set; } = Language.Es;

    public IReadOnlyList<EventKind> Kinds { get; private set; } = [];

    public IReadOnlyList<Channel> Channels { get; private set; } = [];

    public int Revision { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Creates a watcher; returns the webhook secret issued for it, if it has the webhook channel.</summary>
    public static (Watcher Watcher, string? Secret) Create(Guid id, string watershedCode, WatcherDetails details, bool allowLoopbackHttp, DateTimeOffset now, Func<string> newSecret)
    {
        var watcher = new Watcher(id, watershedCode, now);
        var secret = watcher.Apply(details, rotateSecret: false, allowLoopbackHttp, newSecret);
        watcher.Revision = 1;
        return (watcher, secret);
    }

    /// <summary>
    /// Replaces the editable fields. <paramref name="expectedRevision"/> (when not 0) is the revision the caller read:
    /// a different one means someone else changed the watcher since. Returns a newly issued secret, if any.
    /// </summary>
    public string? Update(int expectedRevision, WatcherDetails details, bool rotateSecret, bool allowLoopbackHttp, DateTimeOffset now, Func<string> newSecret)
    {
        if (expectedRevision != 0 && expectedRevision != Revision)
        {
            throw new ConcurrencyConflictException("watcher", Id.ToString());
        }

        var secret = Apply(details, rotateSecret, allowLoopbackHttp, newSecret);
        Revision++;
        UpdatedAt = now;
        return secret;
    }

    private string? Apply(WatcherDetails details, bool rotateSecret, bool allowLoopbackHttp, Func<string> newSecret)
    {
        var violations = details.Validate(allowLoopbackHttp).ToList();
        if (rotateSecret && !details.Channels.Contains(Channel.Webhook))
        {
            violations.Add(new FieldViolation("rotate_webhook_secret", "needs the webhook channel"));
        }

        if (violations.Count > 0)
        {
            throw new InvalidArgumentException(violations);
        }

        Name = details.Name.Trim();
        Organization = details.Organization.Trim();
        PhoneNumber = details.PhoneNumber;
        Email = details.Email;
        WebhookUrl = details.WebhookUrl;
        Language = details.Language ?? Language.Es;
        Kinds = [.. details.Kinds];
        Channels = [.. details.Channels];
        if (!Channels.Contains(Channel.Webhook))
        {
            WebhookSecret = string.Empty;
            return null;
        }

        if (WebhookSecret.Length == 0 || rotateSecret)
        {
            WebhookSecret = newSecret();
            return WebhookSecret;
        }

        return null;
    }

    public bool Follows(EventKind kind) => Kinds.Contains(kind);

    /// <summary>Where this watcher is reached on a channel it chose.</summary>
    public string AddressFor(Channel channel) => channel switch
    {
        Channel.Sms => PhoneNumber,
        Channel.Email => Email,
        _ => WebhookUrl,
    };
}
