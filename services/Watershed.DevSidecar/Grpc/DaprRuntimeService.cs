using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Watershed.DevSidecar.Bindings;
using Watershed.DevSidecar.PubSub;

namespace Watershed.DevSidecar.Grpc;

/// <summary>
/// The server base Dapr.Protos does not compile for <c>dapr.proto.runtime.v1.Dapr</c>, for the two methods the
/// stand-in serves. Every other method of the service answers UNIMPLEMENTED, from the framework, as it is not bound.
/// </summary>
/// <remarks>
/// ASP.NET Core gRPC calls <see cref="BindService"/> once without an instance to learn the methods, then routes each
/// to the override of the abstract method of the same name, as with generated bases.
/// </remarks>
[BindServiceMethod(typeof(DaprRuntimeBase), nameof(BindService))]
internal abstract class DaprRuntimeBase
{
    public static void BindService(ServiceBinderBase binder, DaprRuntimeBase? service)
    {
        binder.AddMethod(DaprMethods.PublishEvent, service is null ? null : service.PublishEvent);
        binder.AddMethod(DaprMethods.InvokeBinding, service is null ? null : service.InvokeBinding);
    }

    public abstract Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context);

    public abstract Task<InvokeBindingResponse> InvokeBinding(InvokeBindingRequest request, ServerCallContext context);
}

/// <summary>The API apps call on their sidecar: PublishEvent and InvokeBinding.</summary>
internal sealed class DaprRuntimeService(Publisher publisher, OutputBindings bindings, SidecarTelemetry telemetry) : DaprRuntimeBase
{
    public override async Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        await publisher.PublishAsync(request, context.RequestHeaders);
        return new Empty();
    }

    public override async Task<InvokeBindingResponse> InvokeBinding(InvokeBindingRequest request, ServerCallContext context)
    {
        // As daprd does, the binding call is a span of the caller's trace.
        var parent = TraceContext.Parse(context.RequestHeaders.GetValue("traceparent"), context.RequestHeaders.GetValue("tracestate"));
        using var span = telemetry.StartBinding(request.Name, request.Operation, parent);
        await bindings.InvokeAsync(request, context.CancellationToken);
        return new InvokeBindingResponse();
    }
}
