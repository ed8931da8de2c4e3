using System.Net;
using System.Text;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Watershed.Notifications.Domain;
using Watershed.Notifications.Domain.Messages;

namespace Watershed.Notifications.Sending;

/// <summary>What a send came to: sent, or failed with a reason and whether trying again may help.</summary>
public sealed record SendOutcome(bool Sent, string Reason, bool Retryable)
{
    public static readonly SendOutcome Ok = new(true, string.Empty, false);

    public static SendOutcome Retry(string reason) => new(false, reason, true);

    public static SendOutcome Final(string reason) => new(false, reason, false);
}

/// <summary>Sends one delivery on its channel.</summary>
public interface IDeliverySender
{
    Task<SendOutcome> SendAsync(Delivery delivery, CancellationToken ct);
}

/// <summary>
/// Routes a delivery to its channel: SMS and e-mail through Dapr output bindings, webhooks over HTTP. A watcher
/// deleted since the event was processed is not written to any more.
/// </summary>
public sealed class DeliverySender(Data.NotificationsDbContext db, BindingSender bindings, WebhookSender webhooks) : IDeliverySender
{
    public async Task<SendOutcome> SendAsync(Delivery delivery, CancellationToken ct)
    {
        Watcher? watcher = null;
        if (delivery.RecipientKind == RecipientKind.Watcher)
        {
            watcher = await db.Watchers.AsNoTracking().SingleOrDefaultAsync(w => w.Id == delivery.RecipientId, ct);
            if (watcher is null || !watcher.Channels.Contains(delivery.Channel))
            {
                return SendOutcome.Final("the watcher was deleted or no longer takes this channel");
            }
        }

        return delivery.Channel == Channel.Webhook ? await webhooks.SendAsync(delivery, watcher!, ct) : await bindings.SendAsync(delivery, ct);
    }
}

/// <summary>
/// SMS (bindings.twilio.sms: data = the text, metadata toNumber) and e-mail (bindings.smtp: data = the plain-text
/// body, metadata emailTo and subject), operation "create", through the Dapr sidecar. The text goes as raw UTF-8
/// bytes, not as a JSON string, so the binding receives exactly the message.
/// </summary>
public sealed class BindingSender(DaprClient dapr, IOptions<NotificationOptions> options)
{
    public async Task<SendOutcome> SendAsync(Delivery delivery, CancellationToken ct)
    {
        var settings = options.Value;
        var request = delivery.Channel == Channel.Sms
            ? new BindingRequest(settings.SmsBinding, "create") { Metadata = { ["toNumber"] = delivery.Address } }
            : new BindingRequest(settings.EmailBinding, "create") { Metadata = { ["emailTo"] = delivery.Address, ["subject"] = delivery.Subject } };
        request.Data = Encoding.UTF8.GetBytes(delivery.Body);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.BindingTimeout);
        try
        {
            await dapr.InvokeBindingAsync(request, timeout.Token);
            return SendOutcome.Ok;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return UnknownOutcome(request.BindingName);
        }
        catch (DaprException ex) when (ex.InnerException is RpcException { StatusCode: StatusCode.DeadlineExceeded or StatusCode.Cancelled } && !ct.IsCancellationRequested)
        {
            return UnknownOutcome(request.BindingName);
        }
        catch (DaprException ex)
        {
            var status = (ex.InnerException as RpcException)?.StatusCode.ToString() ?? "error";
            return SendOutcome.Retry($"binding {request.BindingName} failed ({status})");
        }
    }

    // The binding may have sent it before the answer was lost: sending again could send it twice.
    private static SendOutcome UnknownOutcome(string binding) =>
        SendOutcome.Final($"outcome unknown: binding {binding} did not answer in time; not sent again, so it is never sent twice");
}

/// <summary>
/// POSTs the CloudEvent JSON to the watcher's URL, signed with its secret at the moment of sending. The HTTP client
/// retries timeouts and 5xx quickly and keeps a circuit breaker per endpoint (Program.cs); what is still failing
/// after that fails this attempt, and the dispatcher tries again later.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";

    public async Task<SendOutcome> SendAsync(Delivery delivery, Watcher watcher, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Address)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, Webhook.ContentType),
        };
        request.Headers.TryAddWithoutValidation(Webhook.SignatureHeader, Webhook.Signature(watcher.WebhookSecret, delivery.Body, clock.GetUtcNow()));
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            var status = (int)response.StatusCode;
            // Redirects are not followed (they could lead anywhere), so a 3xx is as final as a 4xx.
            return response.IsSuccessStatusCode
                ? SendOutcome.Ok
                : status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                    ? SendOutcome.Retry($"the endpoint answered HTTP {status}")
                    : SendOutcome.Final($"the endpoint refused it (HTTP {status})");
        }
        catch (BrokenCircuitException)
        {
            return SendOutcome.Retry("the endpoint keeps failing; its circuit is open for a while");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return SendOutcome.Retry($"the endpoint did not answer ({ex.GetType().Name})");
        }
    }
}
