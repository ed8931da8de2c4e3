using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Watershed.Notifications.Domain;

namespace Watershed.Notifications;

/// <summary>How notifications are timed and sent. Section: Notifications.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The Dapr output binding for SMS (component type bindings.twilio.sms, operation create, metadata toNumber).</summary>
    [Required]
    public string SmsBinding { get; set; } = "sms";

    /// <summary>The Dapr output binding for e-mail (component type bindings.smtp, operation create, metadata emailTo and subject).</summary>
    [Required]
    public string EmailBinding { get; set; } = "email";

    /// <summary>Where quiet hours, digest days and the times in messages are read (IANA id).</summary>
    [Required]
    public string TimeZone { get; set; } = "America/Lima";

    /// <summary>Frequent events (imports) reach people as one message per this span.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan DigestPeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Local time of day the digest spans start and end at, "HH:MM".</summary>
    [RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    public string DigestAt { get; set; } = "08:00";

    /// <summary>Attempts per delivery, the first included; a failed delivery then stays failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// An entry still marked sending after this is taken for a send the process did not live to mark. It must be longer
    /// than the longest send (<see cref="LongestSend"/>), so a send still running on another replica is never taken
    /// for an interrupted one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a binding call may take; past it the outcome is unknown and the delivery is not retried.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan BindingTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Local runs and tests only: webhooks may be plain http to this machine (in a pod that would reach the sidecar's API).</summary>
    public bool AllowLoopbackWebhooks { get; set; }

    /// <summary>False where nothing should be sent (API tests); deliveries then wait in the log.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>A commit wakes the dispatcher at once; this is the fallback look for entries left by other replicas.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends in flight at once. The dispatcher marks as sending only the entries it is about to send (at most this
    /// many), so a process that dies leaves at most this many entries whose outcome is unknown, never a waiting one.
    /// </summary>
    [Range(1, 64)]
    public int SendConcurrency { get; set; } = 4;

    public WebhookOptions Webhook { get; set; } = new();

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public DeliverySchedule Schedule() =>
        new(Zone(), TimeOnly.ParseExact(DigestAt, "HH:mm", CultureInfo.InvariantCulture), DigestPeriod, new HashSet<EventKind> { EventKind.Imports });

    public RetryPolicy Retry() => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay);

    public bool HasKnownZone() => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _);

    /// <summary>The longest one send may take: a binding call's timeout, or a webhook's whole budget with its retries.</summary>
    public TimeSpan LongestSend() => BindingTimeout > Webhook.TotalTimeout() ? BindingTimeout : Webhook.TotalTimeout();
}

/// <summary>Webhook POSTs: per attempt timeout, quick retries of transient failures, and a breaker per endpoint.</summary>
public sealed class WebhookOptions
{
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries within one delivery attempt (timeouts, 5xx, 408, 429), before the delivery itself is retried later.</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 2;

    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The budget of one delivery attempt by webhook, its quick retries and their delays included.</summary>
    public TimeSpan TotalTimeout() => (AttemptTimeout + RetryDelay) * (Retries + 2);
}
