using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Watershed.Notifications.Events;
using Watershed.Notifications.Sending;

namespace Watershed.Notifications;

/// <summary>The service's own registrations: options, the handlers' helpers, the senders and the dispatcher.</summary>
internal static class NotificationsHosting
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>()
            .Bind(builder.Configuration.GetSection(NotificationOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.HasKnownZone(), "Notifications:TimeZone must be an IANA time zone this machine knows, e.g. America/Lima.")
            .ValidateOnStart();

        builder.Services.AddScoped<ContactDirectory>();
        builder.Services.AddScoped<Notifier>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddSingleton<DeliveryCommitInterceptor>();
        builder.Services.ConfigureDbContext<Data.NotificationsDbContext>((services, options) =>
            options.AddInterceptors(services.GetRequiredService<DeliveryCommitInterceptor>()));
        builder.Services.AddScoped<BindingSender>();
        builder.Services.AddScoped<WebhookSender>();
        builder.Services.AddScoped<IDeliverySender, DeliverySender>();
        builder.Services.AddSingleton<DeliveryDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryDispatcher>());

        // One pipeline per endpoint (scheme, host and port), so one failing receiver opens only its own breaker.
        builder.Services.AddHttpClient(WebhookSender.HttpClientName)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider services) =>
            {
                var webhook = services.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook;
                resilience.AttemptTimeout.Timeout = webhook.AttemptTimeout;
                resilience.Retry.MaxRetryAttempts = webhook.Retries;
                resilience.Retry.Delay = webhook.RetryDelay;
                resilience.Retry.UseJitter = true;
                resilience.TotalRequestTimeout.Timeout = (webhook.AttemptTimeout + webhook.RetryDelay) * (webhook.Retries + 2);
                resilience.CircuitBreaker.FailureRatio = webhook.BreakerFailureRatio;
                resilience.CircuitBreaker.MinimumThroughput = webhook.BreakerMinimumThroughput;
                resilience.CircuitBreaker.SamplingDuration = webhook.AttemptTimeout * 6;
                resilience.CircuitBreaker.BreakDuration = webhook.BreakerDuration;
            })
            .SelectPipelineByAuthority();
        return builder;
    }
}
