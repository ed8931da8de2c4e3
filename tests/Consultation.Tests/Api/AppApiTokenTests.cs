using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;
using MethodDescriptor = Google.Protobuf.Reflection.MethodDescriptor;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Dapr's app API token (APP_API_TOKEN, sent by daprd in the dapr-api-token metadata): where it is configured, every
/// call to Dapr's callback services without it, or with another value, answers UNAUTHENTICATED and changes nothing,
/// a bearer token does not stand in for it, and the calls that carry it are served as before. The public API does not
/// ask for it.
/// </summary>
public sealed class AppApiTokenTests : IAsyncLifetime
{
    private const string Token = "dapr-app-token-for-consultation-tests";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private ConsultationApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await ConsultationApp.OnPostgresAsync(settings: new Dictionary<string, string?> { ["APP_API_TOKEN"] = Token });
        _app.Channel().Dispose(); // starts the host (and migrates) before the first snapshot
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Every method of Dapr's callback services, whether this app serves it or not.</summary>
    public static TheoryData<string> CallbackMethods()
    {
        var data = new TheoryData<string>();
        foreach (var method in AppCallback.Descriptor.Methods.Concat(AppCallbackHealthCheck.Descriptor.Methods).Concat(AppCallbackAlpha.Descriptor.Methods))
        {
            data.Add(method.FullName);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CallbackMethods))]
    public async Task A_callback_without_the_token_or_with_another_is_unauthenticated_and_changes_nothing(string fullName)
    {
        var rpc = Find(fullName);
        var valid = rpc.InputType.Parser.ParseFrom(ByteString.Empty).ToByteArray();
        var before = await _app.SnapshotAsync();

        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(_app.Invoker(null), rpc, valid, apiToken: null));
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(_app.Invoker(null), rpc, valid, apiToken: "not-the-token"));
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(_app.Invoker(null), rpc, valid, apiToken: Token + " "));

        // A user's bearer token is no Dapr token; a body that is not even a message is refused before it is read.
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(_app.Invoker(TestTokens.Admin()), rpc, valid, apiToken: null));
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(_app.Invoker(null), rpc, [0xff, 0xff, 0xff], apiToken: null));

        Assert.Empty(before.Differences(await _app.SnapshotAsync()));
    }

    [Fact]
    public async Task A_hostile_dead_letter_without_the_token_is_not_kept_and_with_it_is()
    {
        var rpc = AppCallback.Descriptor.FindMethodByName("OnTopicEvent");
        var deadLetter = DaprCallbackSeeds.Event("consultation.dead_letter.v1", "watershed.consultation.v1.BallotClosed", "{}", "ballots/1");
        deadLetter.Extensions.Fields["topic"] = Value.ForString("consultation.ballot_closed.v1");
        var before = await _app.SnapshotAsync();

        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(_app.Invoker(null), rpc, deadLetter.ToByteArray(), apiToken: null));
        Assert.Empty(before.Differences(await _app.SnapshotAsync()));

        var (kept, reply) = await CallWithReplyAsync(_app.Invoker(null), rpc, deadLetter.ToByteArray(), Token);
        Assert.Equal(StatusCode.OK, kept);
        Assert.Equal(TopicEventResponse.Types.TopicEventResponseStatus.Success, TopicEventResponse.Parser.ParseFrom(reply).Status);
        Assert.Equal(["dead_letters"], before.Differences(await _app.SnapshotAsync()));
        var (listed, subscriptions) = await CallWithReplyAsync(_app.Invoker(null), AppCallback.Descriptor.FindMethodByName("ListTopicSubscriptions"), [], Token);
        Assert.Equal(StatusCode.OK, listed);
        Assert.Contains(ListTopicSubscriptionsResponse.Parser.ParseFrom(subscriptions).Subscriptions, s => s.Topic == "consultation.dead_letter.v1");

        // The methods this app does not serve still say so to the sidecar.
        Assert.Equal(StatusCode.Unimplemented, await CallAsync(_app.Invoker(null), AppCallback.Descriptor.FindMethodByName("OnInvoke"), [], Token));
    }

    [Fact]
    public async Task The_public_api_does_not_ask_for_the_dapr_token()
    {
        var stakeholders = new StakeholderService.StakeholderServiceClient(_app.Invoker(TestTokens.Admin()));
        Assert.NotNull(await stakeholders.ListWatershedsAsync(new ListWatershedsRequest()));
        var anonymous = new StakeholderService.StakeholderServiceClient(_app.Invoker(null));
        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListWatershedsAsync(new ListWatershedsRequest(), new Metadata { { "dapr-api-token", Token } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    private static MethodDescriptor Find(string fullName) =>
        AppCallback.Descriptor.Methods.Concat(AppCallbackHealthCheck.Descriptor.Methods).Concat(AppCallbackAlpha.Descriptor.Methods).Single(m => m.FullName == fullName);

    private static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor rpc, byte[] body, string? apiToken) =>
        (await CallWithReplyAsync(invoker, rpc, body, apiToken)).Code;

    /// <summary>One unary call with a body of raw bytes (Dapr.Protos has no AppCallback client; and a test may send what no client would).</summary>
    private static async Task<(StatusCode Code, byte[] Reply)> CallWithReplyAsync(CallInvoker invoker, MethodDescriptor rpc, byte[] body, string? apiToken)
    {
        Assert.False(rpc.IsClientStreaming || rpc.IsServerStreaming, $"{rpc.FullName} is a streaming method");
        var method = new Method<byte[], byte[]>(MethodType.Unary, rpc.Service.FullName, rpc.Name, Bytes, Bytes);
        var headers = new Metadata();
        if (apiToken is not null)
        {
            headers.Add("dapr-api-token", apiToken);
        }

        try
        {
            return (StatusCode.OK, await invoker.AsyncUnaryCall(method, null, new CallOptions(headers), body));
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, []);
        }
    }
}
