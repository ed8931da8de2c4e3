using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Watershed.DevSidecar.Grpc;

/// <summary>
/// daprd's refusals, with its status codes, messages and the <c>google.rpc.ErrorInfo</c> reasons of its richer
/// error model (domain <c>dapr.io</c>), so a caller handling them handles daprd's (dapr/dapr pkg/api/errors).
/// </summary>
internal static class DaprErrors
{
    public static RpcException PubsubNameEmpty() =>
        Create(StatusCode.InvalidArgument, "pubsub name is empty", "DAPR_PUBSUB_NAME_EMPTY");

    public static RpcException PubsubNotFound(string pubsub) =>
        Create(StatusCode.InvalidArgument, $"pubsub {pubsub} is not found", "DAPR_PUBSUB_NOT_FOUND");

    public static RpcException TopicEmpty(string pubsub) =>
        Create(StatusCode.InvalidArgument, $"topic is empty in pubsub {pubsub}", "DAPR_PUBSUB_TOPIC_NAME_EMPTY");

    public static RpcException CloudEventCreation() =>
        Create(StatusCode.InvalidArgument, "cannot create cloudevent", "DAPR_PUBSUB_CLOUD_EVENT_CREATION");

    /// <summary>Stand-in only: raw payloads (metadata rawPayload=true) are not implemented.</summary>
    public static RpcException RawPayloadUnsupported() =>
        new(new global::Grpc.Core.Status(StatusCode.Unimplemented, "rawPayload is not supported by the Watershed dev sidecar"));

    /// <summary>daprd answers every failure of an output binding, an unknown name included, with INTERNAL.</summary>
    public static RpcException OutputBinding(string binding, string detail) =>
        Create(StatusCode.Internal, $"error invoking output binding {binding}: {detail}", "ERR_INVOKE_OUTPUT_BINDING");

    private static RpcException Create(StatusCode code, string message, string reason) =>
        new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = "dapr.io" }) },
        }.ToRpcException();
}
