using System.Diagnostics;
using System.Text.Json.Nodes;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Watershed.DevSidecar.Grpc;
using ResponseStatus = Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus;

namespace Watershed.DevSidecar.PubSub;

internal enum DeliveryResult
{
    /// <summary>SUCCESS (or no status: proto3's zero value is SUCCESS).</summary>
    Delivered,

    /// <summary>RETRY, an unknown status, or a gRPC error: another attempt after a backoff.</summary>
    Retry,

    /// <summary>DROP: to the dead-letter topic if the subscription has one, else dropped.</summary>
    Drop,

    /// <summary>UNIMPLEMENTED: daprd takes it as "this app does not take events" and drops the event, dead-letter topic or not.</summary>
    Discard,

    /// <summary>The app did not answer (UNAVAILABLE, connection refused, no address): no attempt is counted.</summary>
    Unreachable,
}

internal readonly record struct DeliveryOutcome(DeliveryResult Result, string Detail);

/// <summary>One OnTopicEvent call for one pending delivery, and what its answer means.</summary>
internal sealed class EventDeliverer(AppChannels apps, SidecarTelemetry telemetry, IOptions<SidecarOptions> options, TimeProvider clock)
{
    public async Task<DeliveryOutcome> DeliverAsync(PendingDelivery delivery, CancellationToken ct)
    {
        var lane = delivery.Lane;
        if (apps.For(lane.AppId) is not { } app)
        {
            return new(DeliveryResult.Unreachable, "no address configured for the app");
        }

        var cloudEvent = (JsonObject)JsonNode.Parse(delivery.CloudEvent)!;
        TopicEventRequest request;
        try
        {
            request = CloudEventEnvelope.ToTopicEvent(cloudEvent, lane.Pubsub, lane.Topic, delivery.Path);
        }
        catch (FormatException ex)
        {
            return new(DeliveryResult.Retry, ex.Message);
        }

        // daprd reads the parent from traceparent, or the legacy traceid when traceparent is absent.
        var parent = TraceContext.Parse(
            CloudEventEnvelope.Text(cloudEvent, "traceparent") ?? CloudEventEnvelope.Text(cloudEvent, "traceid"),
            CloudEventEnvelope.Text(cloudEvent, "tracestate"));
        using var span = telemetry.StartDelivery(lane.AppId, lane.Topic, delivery.EventId, parent);

        // The app's server span continues the trace: under the delivery span when there is one, else under the event's context.
        var sent = span?.Context ?? parent;
        var headers = new Metadata();
        if (sent != default)
        {
            headers.Add("traceparent", TraceContext.ToTraceParent(sent));
            if (!string.IsNullOrEmpty(sent.TraceState))
            {
                headers.Add("tracestate", sent.TraceState);
            }
        }

        var outcome = await CallAsync(app, request, headers, ct);
        if (outcome.Result != DeliveryResult.Delivered)
        {
            span?.SetStatus(ActivityStatusCode.Error, outcome.Detail);
        }

        return outcome;
    }

    private async Task<DeliveryOutcome> CallAsync(CallInvoker app, TopicEventRequest request, Metadata headers, CancellationToken ct)
    {
        var call = new CallOptions(headers, clock.GetUtcNow().UtcDateTime + options.Value.DeliveryTimeout, ct);
        try
        {
            var response = await app.AsyncUnaryCall(DaprMethods.OnTopicEvent, null, call, request);
            return response.Status switch
            {
                ResponseStatus.Success => new(DeliveryResult.Delivered, "SUCCESS"),
                ResponseStatus.Retry => new(DeliveryResult.Retry, "RETRY"),
                ResponseStatus.Drop => new(DeliveryResult.Drop, "DROP"),
                _ => new(DeliveryResult.Retry, $"unknown status {(int)response.Status}"),
            };
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
        {
            return new(DeliveryResult.Unreachable, "UNAVAILABLE");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            return new(DeliveryResult.Discard, "UNIMPLEMENTED");
        }
        catch (RpcException ex)
        {
            return new(DeliveryResult.Retry, $"gRPC error {ex.StatusCode}");
        }
    }
}
