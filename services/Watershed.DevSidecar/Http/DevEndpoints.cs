using System.Text.Json;
using System.Text.Json.Nodes;
using Watershed.DevSidecar.PubSub;

namespace Watershed.DevSidecar.Http;

/// <summary>
/// The HTTP port: daprd's health endpoints, and read-only pages of the store that only the stand-in has
/// (under /dev), so a person can read what was published, what is pending and what went to dead letters.
/// </summary>
internal static class DevEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    private static readonly JsonSerializerOptions Readable = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void MapDevEndpoints(this IEndpointRouteBuilder app)
    {
        // daprd answers 204 once it is ready; the .NET SDK's WaitForSidecarAsync asks the outbound one.
        app.MapGet("/v1.0/healthz", () => Results.NoContent());
        app.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());

        app.MapGet("/dev/topics/{pubsub}/{topic}", async (string pubsub, string topic, int? limit, EventStore store, CancellationToken ct) =>
        {
            var events = await store.TopicEventsAsync(pubsub, topic, Limit(limit), ct);
            return Results.Json(events.Select(e => new TopicEventView(e.Seq, e.StoredAt, JsonNode.Parse(e.CloudEvent))), Readable);
        });

        app.MapGet("/dev/deliveries", async (string? state, int? limit, EventStore store, CancellationToken ct) =>
        {
            if (!DeliveryStates.IsKnown(state))
            {
                return Results.Problem($"state must be {DeliveryStates.Pending}, {DeliveryStates.Delivered} or {DeliveryStates.Dead}.", statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Json(await store.DeliveriesAsync(state!, Limit(limit), ct), Readable);
        });

        app.MapGet("/dev/subscriptions", async (EventStore store, CancellationToken ct) => Results.Json(await store.SubscriptionsAsync(ct), Readable));
    }

    private static int Limit(int? limit) => Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);

    private sealed record TopicEventView(long Seq, string StoredAt, JsonNode? CloudEvent);
}
