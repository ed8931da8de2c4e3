using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Dapr;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using DaprRuntime = Dapr.Client.Autogen.Grpc.v1.Dapr;

namespace Watershed.DevSidecar.Tests;

/// <summary>What a subscriber receives for what a publisher sends, through the real DaprClient and a real AppCallback app.</summary>
public sealed class PublishTests : IAsyncLifetime
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private readonly TempDirectory _data = new();
    private readonly SubscriberState _state = new();
    private Subscriber _app = null!;
    private TestSidecar _sidecar = null!;

    public async Task InitializeAsync()
    {
        _state.Subscriptions.Add(new TopicSubscription { PubsubName = "pubsub", Topic = "ballots", DeadLetterTopic = "shop.dead" });
        _state.Subscriptions.Add(new TopicSubscription { PubsubName = "pubsub", Topic = "shop.dead" });
        _app = await Subscriber.StartAsync(_state);
        _sidecar = await TestSidecar.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["Sidecar:AppId"] = "consultation",
            ["Sidecar:Apps:shop:Address"] = _app.Address,
        });
        await _sidecar.WaitForSubscriptionsAsync("shop", 2);
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _app.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task A_structured_cloud_event_arrives_with_its_attributes_and_trace_context()
    {
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = "0198c0de-0000-7000-8000-000000000001",
            ["source"] = "watershed-consultation",
            ["type"] = "watershed.consultation.v1.BallotClosed",
            ["subject"] = "ballot/42",
            ["time"] = "2026-05-01T10:00:00.0000000Z",
            ["datacontenttype"] = "application/json",
            ["traceid"] = TraceParent,
            ["traceparent"] = TraceParent,
            ["tracestate"] = "ws=1",
            ["watershed"] = "POM",
            ["data"] = new JsonObject { ["ballotId"] = "42", ["approved"] = true, ["votes"] = 17 },
        };

        await _sidecar.Dapr.PublishByteEventAsync("pubsub", "ballots", Encoding.UTF8.GetBytes(cloudEvent.ToJsonString()), "application/cloudevents+json");

        await Eventually.UntilAsync(() => _state.On("ballots").Count == 1, "the event on ballots");
        var received = Assert.Single(_state.On("ballots"));
        var request = received.Request;
        Assert.Equal("0198c0de-0000-7000-8000-000000000001", request.Id);
        Assert.Equal("watershed-consultation", request.Source);
        Assert.Equal("watershed.consultation.v1.BallotClosed", request.Type);
        Assert.Equal("1.0", request.SpecVersion);
        Assert.Equal("application/json", request.DataContentType);
        Assert.Equal("ballots", request.Topic);
        Assert.Equal("pubsub", request.PubsubName);
        Assert.Equal(string.Empty, request.Path);
        Assert.True(JsonNode.DeepEquals(cloudEvent["data"], JsonNode.Parse(request.Data.ToStringUtf8())));

        var extensions = request.Extensions.Fields;
        Assert.Equal("ballot/42", extensions["subject"].StringValue);
        Assert.Equal("2026-05-01T10:00:00.0000000Z", extensions["time"].StringValue);
        Assert.Equal(TraceParent, extensions["traceparent"].StringValue);
        Assert.Equal("ws=1", extensions["tracestate"].StringValue);
        Assert.Equal("POM", extensions["watershed"].StringValue);
        Assert.Equal("ballots", extensions["topic"].StringValue);
        Assert.Equal("pubsub", extensions["pubsubname"].StringValue);
        Assert.DoesNotContain("id", extensions.Keys);
        Assert.DoesNotContain("data", extensions.Keys);

        // The app's server span continues the event's trace (under the sidecar's delivery span when one is recorded).
        Assert.Equal(TraceId(TraceParent), TraceId(received.TraceParent));
        Assert.Equal("ws=1", received.TraceState);
    }

    [Fact]
    public async Task A_structured_cloud_event_without_traceid_takes_the_trace_of_the_publish_call_as_daprd_does()
    {
        const string callTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var cloudEvent = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = "evt-no-traceid",
            ["source"] = "watershed-landuse",
            ["type"] = "watershed.landuse.v1.PlanApproved",
            ["datacontenttype"] = "application/json",
            ["traceparent"] = TraceParent,
            ["data"] = new JsonObject { ["planId"] = "p1" },
        };
        using var channel = GrpcChannel.ForAddress(_sidecar.Host.GrpcAddress);
        await new DaprRuntime.DaprClient(channel).PublishEventAsync(
            new PublishEventRequest
            {
                PubsubName = "pubsub",
                Topic = "ballots",
                DataContentType = "application/cloudevents+json",
                Data = ByteString.CopyFromUtf8(cloudEvent.ToJsonString()),
            },
            new Metadata { { "traceparent", callTrace } });

        await Eventually.UntilAsync(() => _state.On("ballots").Count == 1, "the event on ballots");
        var received = Assert.Single(_state.On("ballots"));
        var extensions = received.Request.Extensions.Fields;
        Assert.Equal(TraceId(callTrace), TraceId(extensions["traceparent"].StringValue));
        Assert.Equal(extensions["traceparent"].StringValue, extensions["traceid"].StringValue);
        Assert.Equal(TraceId(callTrace), TraceId(received.TraceParent));
    }

    [Fact]
    public async Task A_plain_object_is_wrapped_in_a_cloud_event_as_daprd_wraps_it()
    {
        await _sidecar.Dapr.PublishEventAsync("pubsub", "ballots", new { BallotId = "42", Approved = true });

        await Eventually.UntilAsync(() => _state.On("ballots").Count == 1, "the event on ballots");
        var received = Assert.Single(_state.On("ballots"));
        var request = received.Request;
        Assert.True(Guid.TryParse(request.Id, out _), request.Id);
        Assert.Equal("consultation", request.Source);
        Assert.Equal("com.dapr.event.sent", request.Type);
        Assert.Equal("1.0", request.SpecVersion);
        Assert.Equal("application/json", request.DataContentType);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["ballotId"] = "42", ["approved"] = true }, JsonNode.Parse(request.Data.ToStringUtf8())));

        var extensions = request.Extensions.Fields;
        Assert.Equal("ballots", extensions["topic"].StringValue);
        Assert.Equal("pubsub", extensions["pubsubname"].StringValue);
        Assert.True(DateTimeOffset.TryParse(extensions["time"].StringValue, System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.True(ActivityContext.TryParse(extensions["traceparent"].StringValue, null, out _), extensions["traceparent"].StringValue);
        Assert.Equal(extensions["traceparent"].StringValue, extensions["traceid"].StringValue);
        Assert.DoesNotContain("subject", extensions.Keys);
        Assert.Equal(TraceId(extensions["traceparent"].StringValue), TraceId(received.TraceParent));
    }

    [Fact]
    public async Task Cloudevent_metadata_overrides_the_attributes_of_a_wrapped_event()
    {
        await _sidecar.Dapr.PublishEventAsync("pubsub", "ballots", new { BallotId = "43" }, new Dictionary<string, string>
        {
            ["cloudevent.id"] = "fixed-id",
            ["cloudevent.source"] = "watershed-indicators",
            ["cloudevent.type"] = "watershed.indicators.v1.AlertRaised",
            ["cloudevent.subject"] = "alert/7",
            ["cloudevent.traceparent"] = TraceParent,
        });

        await Eventually.UntilAsync(() => _state.On("ballots").Count == 1, "the event on ballots");
        var request = Assert.Single(_state.On("ballots")).Request;
        Assert.Equal("fixed-id", request.Id);
        Assert.Equal("watershed-indicators", request.Source);
        Assert.Equal("watershed.indicators.v1.AlertRaised", request.Type);
        Assert.Equal("alert/7", request.Extensions.Fields["subject"].StringValue);
        Assert.Equal(TraceParent, request.Extensions.Fields["traceparent"].StringValue);
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("text/plain; charset=utf-8")]
    public async Task A_binary_or_text_payload_arrives_as_the_bytes_published(string contentType)
    {
        byte[] payload = [0x48, 0x6f, 0x6c, 0x61, 0x20, 0xc3, 0xb1];

        await _sidecar.Dapr.PublishByteEventAsync("pubsub", "ballots", payload, contentType);

        await Eventually.UntilAsync(() => _state.On("ballots").Count == 1, "the event on ballots");
        var request = Assert.Single(_state.On("ballots")).Request;
        Assert.Equal(contentType, request.DataContentType);
        Assert.Equal(payload, request.Data.ToByteArray());
        Assert.DoesNotContain("data_base64", request.Extensions.Fields.Keys);
    }

    [Fact]
    public async Task An_unknown_pubsub_is_invalid_argument_with_daprds_reason_and_nothing_is_stored()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => _sidecar.Dapr.PublishEventAsync("nope", "ballots", new { BallotId = "1" }));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Equal("pubsub nope is not found", rpc.Status.Detail);
        var info = rpc.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal("DAPR_PUBSUB_NOT_FOUND", info.Reason);
        Assert.Equal("dapr.io", info.Domain);
        Assert.Empty(await _sidecar.ReadAsync("/dev/topics/nope/ballots"));
    }

    [Fact]
    public async Task A_structured_cloud_event_that_is_not_json_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() =>
            _sidecar.Dapr.PublishByteEventAsync("pubsub", "ballots", Encoding.UTF8.GetBytes("not json"), "application/cloudevents+json"));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.InvalidArgument, rpc.StatusCode);
        Assert.Equal("DAPR_PUBSUB_CLOUD_EVENT_CREATION", rpc.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public async Task Dapr_methods_the_stand_in_does_not_implement_answer_unimplemented()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() => _sidecar.Dapr.GetStateAsync<string>("statestore", "key"));

        Assert.Equal(StatusCode.Unimplemented, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }

    [Fact]
    public async Task Health_answers_no_content_like_daprd()
    {
        using var response = await _sidecar.Http.GetAsync(new Uri("/v1.0/healthz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(await _sidecar.Dapr.CheckHealthAsync());
    }

    private static string? TraceId(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, out var context) ? context.TraceId.ToHexString() : null;
}
