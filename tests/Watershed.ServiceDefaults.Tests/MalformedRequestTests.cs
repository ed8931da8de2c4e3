using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Watershed.Consultation.V1;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// A host set up by AddServiceDefaults answers a request it cannot read — a malformed protobuf message, a string that
/// is not UTF-8, a broken gRPC frame, also in the middle of a client stream the handler is reading — with
/// INVALID_ARGUMENT and google.rpc.ErrorInfo MALFORMED_REQUEST (kind frame, protobuf or utf8), never UNKNOWN or INTERNAL;
/// a well-formed call is served as before, and a failure of the handler itself is still INTERNAL.
/// </summary>
public sealed class MalformedRequestTests : IAsyncLifetime
{
    private WebApplication _app = null!;

    /// <summary>GetSpace answers an empty space; GetSpace with space_id "fail" fails as a bug would; ListSpaces answers OK.</summary>
    private sealed class Spaces : SpaceService.SpaceServiceBase
    {
        public override Task<GetSpaceResponse> GetSpace(GetSpaceRequest request, ServerCallContext context) =>
            request.SpaceId == "fail" ? throw new InvalidOperationException("a bug") : Task.FromResult(new GetSpaceResponse { Space = new Space { Id = request.SpaceId } });
    }

    /// <summary>Reads the whole stream and says how many messages it read.</summary>
    private sealed class Surveys : SurveyService.SurveyServiceBase
    {
        public static int Read;

        public override async Task<UploadSubmissionsResponse> UploadSubmissions(IAsyncStreamReader<UploadSubmissionsRequest> requestStream, ServerCallContext context)
        {
            var count = 0;
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                Interlocked.Increment(ref Read);
                count++;
            }

            return new UploadSubmissionsResponse { Result = new IngestResult { StoredRows = count } };
        }
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
        });
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults("watershed-malformed-test");
        _app = builder.Build();
        _app.MapServiceDefaults();
        _app.MapGrpcService<Spaces>();
        _app.MapGrpcService<Surveys>();
        await _app.StartAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<RawGrpc.Answer> CallAsync(string path, byte[] body) =>
        RawGrpc.CallAsync(new Uri("http://localhost"), path, body, TestTokens.Admin(), _app.GetTestServer().CreateHandler());

    private static byte[] Message(IMessage message) => RawGrpc.Frame(message.ToByteArray());

    public static TheoryData<string, byte[], string> Unreadable() => new()
    {
        { "a length-delimited field cut short", RawGrpc.Frame([0x0A, 0x05, 0x61]), "protobuf" },
        { "field number 0", RawGrpc.Frame([0x00, 0x01]), "protobuf" },
        { "space_id not UTF-8", RawGrpc.Frame([0x0A, 0x02, 0xC3, 0x28]), "utf8" },
        { "a lone surrogate encoded in UTF-8", RawGrpc.Frame([0x0A, 0x03, 0xED, 0xA0, 0x80]), "utf8" },
        { "a frame longer than the body", RawGrpc.Frame([], declaredLength: 10), "frame" },
        { "a frame length over 2^31", RawGrpc.Frame([], declaredLength: -1), "frame" },
        { "compressed flag 7", RawGrpc.Frame([], compressedFlag: 7), "frame" },
        { "compressed without grpc-encoding", RawGrpc.Frame([], compressedFlag: 1), "frame" },
        { "no message", [], "frame" },
        { "three bytes", [0, 0, 0], "frame" },
        { "a byte after the message", [.. RawGrpc.Frame([]), 0x01], "frame" },
        { "two messages", [.. RawGrpc.Frame([]), .. RawGrpc.Frame([])], "frame" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task An_unreadable_unary_request_is_invalid_argument_malformed_request(string kind, byte[] body, string expectedKind)
    {
        var answer = await CallAsync("/watershed.consultation.v1.SpaceService/GetSpace", body);
        Assert.Equal(StatusCode.InvalidArgument, answer.Code);
        var info = Assert.Single(answer.Details!.Details).Unpack<ErrorInfo>();
        Assert.Equal(("MALFORMED_REQUEST", expectedKind), (info.Reason, info.Metadata["kind"]));
        Assert.Equal(answer.Message, answer.Details.Message);
        Assert.False(string.IsNullOrEmpty(kind));
    }

    [Fact]
    public async Task A_well_formed_call_is_served_and_a_failing_handler_is_still_internal()
    {
        var ok = await CallAsync("/watershed.consultation.v1.SpaceService/GetSpace", Message(new GetSpaceRequest { SpaceId = "s-1" }));
        Assert.Equal(StatusCode.OK, ok.Code);

        var bug = await CallAsync("/watershed.consultation.v1.SpaceService/GetSpace", Message(new GetSpaceRequest { SpaceId = "fail" }));
        Assert.Equal(StatusCode.Internal, bug.Code);
        Assert.Equal("An internal error occurred; it has been logged.", bug.Message);

        var unimplemented = await CallAsync("/watershed.consultation.v1.SpaceService/ListSpaces", Message(new ListSpacesRequest()));
        Assert.Equal(StatusCode.Unimplemented, unimplemented.Code);
    }

    [Fact]
    public async Task A_client_stream_broken_after_its_first_message_is_invalid_argument_once_the_handler_reads_on()
    {
        var first = Message(new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = "r" } });
        var whole = await CallAsync("/watershed.indicators.v1.SurveyService/UploadSubmissions", [.. first, .. first]);
        Assert.Equal(StatusCode.OK, whole.Code);

        Surveys.Read = 0;
        foreach (var broken in new byte[][] { [.. first, 0x01], [.. first, .. RawGrpc.Frame([0x0A, 0x05, 0x61])], [.. first, .. RawGrpc.Frame([], compressedFlag: 9)] })
        {
            var answer = await CallAsync("/watershed.indicators.v1.SurveyService/UploadSubmissions", broken);
            Assert.Equal(StatusCode.InvalidArgument, answer.Code);
            Assert.Equal("MALFORMED_REQUEST", Assert.Single(answer.Details!.Details).Unpack<ErrorInfo>().Reason);
        }

        Assert.Equal(3, Surveys.Read);
    }
}
