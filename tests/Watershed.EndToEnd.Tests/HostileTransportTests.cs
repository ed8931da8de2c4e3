using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;
using Watershed.Events.V1;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// What reaches a service before its own code runs, sent by hand over real HTTP/2 to the four services as processes on
/// PostgreSQL: a body that is not a protobuf message of the method's request type, whose string field is not UTF-8, or
/// that is not a well-formed gRPC frame, answers INVALID_ARGUMENT (google.rpc.ErrorInfo MALFORMED_REQUEST) on every RPC
/// of every service, changes nothing and leaves the service serving; a refusal that names a person leaves no trace of the name in the process's logs at the
/// level it is configured with; and a 1 MB value gets a small status.
/// </summary>
public sealed class HostileTransportTests
{
    private const string Person = "Ana Quispe Huaman";

    private static readonly Dictionary<string, ServiceDescriptor[]> Served = new()
    {
        ["Consultation"] =
        [
            Consultation.V1.StakeholderService.Descriptor, Consultation.V1.SpaceService.Descriptor, Consultation.V1.AssemblyService.Descriptor,
            Consultation.V1.ProposalService.Descriptor, Consultation.V1.ContactService.Descriptor, DeadLetterService.Descriptor, AppCallback.Descriptor,
        ],
        ["LandUse"] = [LandUse.V1.WatershedUnitService.Descriptor, LandUse.V1.PlanService.Descriptor, DeadLetterService.Descriptor, AppCallback.Descriptor],
        ["Indicators"] =
        [
            Indicators.V1.AreaService.Descriptor, Indicators.V1.IndicatorService.Descriptor, Indicators.V1.SurveyService.Descriptor,
            Indicators.V1.AggregateService.Descriptor, Indicators.V1.PlanTrackingService.Descriptor, Indicators.V1.AlertService.Descriptor,
            DeadLetterService.Descriptor, AppCallback.Descriptor,
        ],
        ["Notifications"] =
        [
            Notifications.V1.WatcherService.Descriptor, Notifications.V1.PreferenceService.Descriptor, Notifications.V1.DeliveryService.Descriptor,
            DeadLetterService.Descriptor, AppCallback.Descriptor,
        ],
    };

    public static TheoryData<string> Services() => [.. Served.Keys];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_body_that_is_not_a_valid_message_or_frame_answers_invalid_argument_on_every_rpc(string service)
    {
        var settings = await EventSystem.SettingsAsync($"e2e_malformed_{service.ToLowerInvariant()}", sidecar: null);
        await using var process = await ServiceProcess.StartAsync(service, settings);
        var before = await DatabaseSnapshot.TakeAsync("Postgres", settings["Database:ConnectionString"]);

        var faults = new List<string>();
        var calls = 0;
        foreach (var rpc in Served[service].SelectMany(s => s.Methods))
        {
            byte[] valid = [];
            var bodies = new List<(string Kind, byte[] Body)>
            {
                ("a length-delimited field cut short", RawGrpc.Frame([0x0A, 0x05, 0x61])),
                ("field number 0", RawGrpc.Frame([0x00, 0x01])),
                ("a frame longer than the body", RawGrpc.Frame(valid, declaredLength: 10)),
                ("a frame length over 2^31", RawGrpc.Frame(valid, declaredLength: -1)),
                ("compressed flag 7", RawGrpc.Frame(valid, compressedFlag: 7)),
                ("compressed without grpc-encoding", RawGrpc.Frame(valid, compressedFlag: 1)),
                ("three bytes", [0, 0, 0]),
                ("a byte after the message", [.. RawGrpc.Frame(valid), 0x01]),
            };
            if (rpc.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String && !f.IsRepeated) is { } text)
            {
                bodies.Add(($"{text.Name} not UTF-8", RawGrpc.Frame([.. Tag(text.FieldNumber), 0x02, 0xC3, 0x28])));
            }

            // A stream of requests may hold no message or several; one request may not.
            if (!rpc.IsClientStreaming)
            {
                bodies.Add(("no message", []));
                bodies.Add(("two messages", [.. RawGrpc.Frame(valid), .. RawGrpc.Frame(valid)]));
            }

            foreach (var (kind, body) in bodies)
            {
                calls++;
                var answer = await RawGrpc.CallAsync(process.Address, $"/{rpc.Service.FullName}/{rpc.Name}", body, TestTokens.Admin());
                var reason = answer.Details?.Details.Select(d => d.TryUnpack<ErrorInfo>(out var info) ? info.Reason : null).FirstOrDefault(r => r is not null);
                // A handler reading a stream may refuse its first (empty) message before it reaches the broken frame after it.
                var handlerFirst = rpc.IsClientStreaming && kind == "a byte after the message";
                if (answer.Code != StatusCode.InvalidArgument || (reason != "MALFORMED_REQUEST" && !handlerFirst))
                {
                    faults.Add($"{rpc.FullName} [{kind}]: {answer.Code} {reason} '{answer.Message}'");
                }
            }
        }

        Assert.True(faults.Count == 0, $"{faults.Count} of {calls} malformed calls answered otherwise:\n{string.Join("\n", faults)}");
        Assert.Empty(before.Differences(await DatabaseSnapshot.TakeAsync("Postgres", settings["Database:ConnectionString"])));
        Assert.DoesNotContain("Exception was thrown by handler", process.Output, StringComparison.Ordinal);

        // Still serving, well-formed calls as before.
        var health = await RawGrpc.CallAsync(process.Address, "/grpc.health.v1.Health/Check", RawGrpc.Frame([]), bearer: null);
        Assert.Equal(StatusCode.OK, health.Code);
    }

    [Fact]
    public async Task A_refusal_naming_a_person_is_not_in_the_service_s_logs_and_a_1_mb_value_gets_a_small_status()
    {
        var settings = await EventSystem.SettingsAsync("e2e_logs_indicators", sidecar: null);
        await using var indicators = await ServiceProcess.StartAsync("Indicators", settings);
        var aggregates = new Indicators.V1.AggregateService.AggregateServiceClient(EventSystem.Invoker(indicators.Address, TestTokens.Admin()));

        var named = await Assert.ThrowsAsync<RpcException>(() => aggregates.GetAggregateAsync(new Indicators.V1.GetAggregateRequest
        {
            IndicatorCode = "FCS", AreaId = Guid.CreateVersion7().ToString(), Period = Person,
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, named.StatusCode);
        Assert.Contains(Person, named.Status.Detail, StringComparison.Ordinal);

        var huge = await Assert.ThrowsAsync<RpcException>(() => aggregates.GetAggregateAsync(new Indicators.V1.GetAggregateRequest
        {
            IndicatorCode = "FCS", AreaId = Guid.CreateVersion7().ToString(), Period = new string('9', 1 << 20),
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, huge.StatusCode);
        Assert.InRange(huge.Status.Detail.Length, 1, 500);
        Assert.InRange(huge.Trailers.GetValueBytes("grpc-status-details-bin")?.Length ?? 0, 1, 2_000);

        // The process logs to the console at its configured level (appsettings.json: Information); stop it so every line is in.
        await indicators.TerminateAsync();
        Assert.Contains("Application started", indicators.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Quispe", indicators.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('9', 1000), indicators.Output, StringComparison.Ordinal);
    }

    /// <summary>A length-delimited field's tag as a protobuf varint.</summary>
    private static byte[] Tag(int fieldNumber)
    {
        var bytes = new List<byte>();
        var value = (uint)((fieldNumber << 3) | 2);
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
