using Microsoft.Extensions.Options;

namespace Watershed.DevSidecar;

/// <summary>The <c>Sidecar</c> section: what daprd would read from its flags and component files.</summary>
public sealed class SidecarOptions
{
    public const string Section = "Sidecar";

    /// <summary>h2c endpoint of Dapr's gRPC API (daprd's default gRPC port is 50001).</summary>
    public string GrpcUrl { get; set; } = "http://127.0.0.1:50001";

    /// <summary>HTTP/1.1 endpoint for health and the stand-in's own read-only pages (daprd's HTTP port is 3500).</summary>
    public string HttpUrl { get; set; } = "http://127.0.0.1:3500";

    /// <summary>daprd's <c>--app-id</c>: the <c>source</c> of CloudEvents it wraps. One stand-in serves every app, so it is its own id.</summary>
    public string AppId { get; set; } = "dev-sidecar";

    /// <summary>Where the SQLite store lives, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = ".local/sidecar";

    /// <summary>Names of the pub/sub components; empty means the one Watershed uses, <c>pubsub</c>.</summary>
    /// <remarks>A default list would be appended to, not replaced, by configuration binding.</remarks>
    public List<string> Pubsubs { get; set; } = [];

    public Dictionary<string, AppOptions> Apps { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The app API token sent to every app that has none of its own (<c>Sidecar:AppApiToken</c>; daprd reads the
    /// environment variable APP_API_TOKEN, which <see cref="SidecarHost"/> copies here when this is not set).
    /// </summary>
    public string? AppApiToken { get; set; }

    /// <summary>Declarative subscriptions, like Dapr Subscription resources.</summary>
    public List<DeclaredSubscription> Subscriptions { get; set; } = [];

    public Dictionary<string, BindingOptions> Bindings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Deliveries that reached the app (RETRY or a gRPC error) before the event is dead-lettered or dropped.</summary>
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public double RetryBackoffFactor { get; set; } = 2;

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a delivery to an app that does not answer is tried again; these tries consume no attempt.</summary>
    public TimeSpan UnreachableRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often apps not reached yet are asked for their subscriptions.</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deadline of one OnTopicEvent call; an app that hangs longer counts as a failed attempt.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public IReadOnlyList<string> PubsubNames => Pubsubs.Count == 0 ? ["pubsub"] : Pubsubs;

    /// <summary>The token calls to <paramref name="appId"/> carry in <c>dapr-api-token</c>, or null for none.</summary>
    public string? AppApiTokenFor(string appId) =>
        Apps.TryGetValue(appId, out var app) && !string.IsNullOrEmpty(app.AppApiToken) ? app.AppApiToken
        : !string.IsNullOrEmpty(AppApiToken) ? AppApiToken
        : null;

    /// <summary>Backoff before attempt <paramref name="attempts"/> + 1, after <paramref name="attempts"/> failed ones.</summary>
    public TimeSpan BackoffAfter(int attempts)
    {
        var delay = RetryDelay.TotalMilliseconds * Math.Pow(RetryBackoffFactor, Math.Max(0, attempts - 1));
        return TimeSpan.FromMilliseconds(Math.Min(delay, RetryMaxDelay.TotalMilliseconds));
    }
}

public sealed class AppOptions
{
    /// <summary>Where the app serves Dapr's AppCallback service (app protocol grpc), e.g. http://127.0.0.1:5101.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>This app's API token (its own daprd's APP_API_TOKEN), when it differs from <see cref="SidecarOptions.AppApiToken"/>.</summary>
    public string? AppApiToken { get; set; }
}

public sealed class DeclaredSubscription
{
    public string AppId { get; set; } = string.Empty;

    public string Pubsub { get; set; } = string.Empty;

    public string Topic { get; set; } = string.Empty;

    public string? DeadLetterTopic { get; set; }
}

/// <summary>
/// One output binding. Besides <see cref="Type"/> and <see cref="Directory"/> the names are those of the real
/// component's metadata, so a component file's values can be copied here.
/// </summary>
public sealed class BindingOptions
{
    public const string TwilioSms = "bindings.twilio.sms";
    public const string Smtp = "bindings.smtp";

    public string Type { get; set; } = string.Empty;

    /// <summary>Where the messages are written; default <c>.local/&lt;binding name&gt;</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>Stand-in only: the next N calls answer INTERNAL, so callers' retries can be tested.</summary>
    public int FailNextCalls { get; set; }

    /// <summary>
    /// Stand-in only: the next N calls never answer and send nothing, as a provider that hangs; each ends when its
    /// caller gives up or goes away. Lets tests stop a caller while a send is in flight.
    /// </summary>
    public int HoldNextCalls { get; set; }

    public string? FromNumber { get; set; }

    public string? ToNumber { get; set; }

    public string? EmailFrom { get; set; }

    public string? EmailTo { get; set; }

    public string? EmailCC { get; set; }

    public string? EmailBCC { get; set; }

    public string? Subject { get; set; }

    public string? Priority { get; set; }

    /// <summary>Stand-in only: the real SMTP binding always sends text/html; text/plain keeps plain messages readable.</summary>
    public string ContentType { get; set; } = "text/html";
}

/// <summary>Refuses at start what daprd would refuse when loading its components.</summary>
internal sealed class SidecarOptionsValidation : IValidateOptions<SidecarOptions>
{
    public ValidateOptionsResult Validate(string? name, SidecarOptions options)
    {
        var errors = new List<string>();
        if (options.MaxAttempts < 1)
        {
            errors.Add("Sidecar:MaxAttempts must be at least 1.");
        }

        foreach (var (appId, app) in options.Apps)
        {
            if (!Uri.TryCreate(app.Address, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttp)
            {
                errors.Add($"Sidecar:Apps:{appId}:Address must be an http:// address (the app's h2c gRPC port).");
            }
        }

        for (var i = 0; i < options.Subscriptions.Count; i++)
        {
            var subscription = options.Subscriptions[i];
            if (!options.Apps.ContainsKey(subscription.AppId))
            {
                errors.Add($"Sidecar:Subscriptions:{i}:AppId names no app of Sidecar:Apps.");
            }

            if (!options.PubsubNames.Contains(subscription.Pubsub))
            {
                errors.Add($"Sidecar:Subscriptions:{i}:Pubsub names no component of Sidecar:Pubsubs.");
            }

            if (string.IsNullOrWhiteSpace(subscription.Topic))
            {
                errors.Add($"Sidecar:Subscriptions:{i}:Topic is required.");
            }
        }

        foreach (var (bindingName, binding) in options.Bindings)
        {
            if (binding.Type is not (BindingOptions.TwilioSms or BindingOptions.Smtp))
            {
                errors.Add($"Sidecar:Bindings:{bindingName}:Type must be {BindingOptions.TwilioSms} or {BindingOptions.Smtp}.");
            }

            // The real Twilio binding fails to initialise without it.
            if (binding.Type == BindingOptions.TwilioSms && string.IsNullOrWhiteSpace(binding.FromNumber))
            {
                errors.Add($"Sidecar:Bindings:{bindingName}:FromNumber is required for {BindingOptions.TwilioSms}.");
            }

            if (binding.Priority is not null && !Bindings.SmtpBinding.TryParsePriority(binding.Priority, out _))
            {
                errors.Add($"Sidecar:Bindings:{bindingName}:Priority must be 1 (highest) to 5 (lowest).");
            }

            if (binding.ContentType is not ("text/html" or "text/plain"))
            {
                errors.Add($"Sidecar:Bindings:{bindingName}:ContentType must be text/html or text/plain.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
