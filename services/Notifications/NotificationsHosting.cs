using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
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
            .Validate(o => o.SendLease > o.LongestSend(),
                "Notifications:SendLease must be longer than the longest send (Notifications:BindingTimeout, or a webhook's attempts: (Webhook:AttemptTimeout + Webhook:RetryDelay) × (Webhook:Retries + 2)).")
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
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddResilienceHandler("webhook", (pipeline, context) =>
            {
                var webhook = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhook;

                // Transport waits (timeouts, quick retries, the breaker's pause) run on the machine's clock, not on the
                // service's clock of deliveries and quiet hours.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddTimeout(webhook.TotalTimeout());
                if (webhook.Retries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = webhook.Retries,
                        Delay = webhook.RetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                    });
                }

                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = webhook.BreakerFailureRatio,
                    MinimumThroughput = webhook.BreakerMinimumThroughput,
                    SamplingDuration = webhook.AttemptTimeout * 6,
                    BreakDuration = webhook.BreakerDuration,
                });
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = webhook.AttemptTimeout });
            })
            .SelectPipelineByAuthority();
        return builder;
    }
}
