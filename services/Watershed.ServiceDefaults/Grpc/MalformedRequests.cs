using System.Reflection;
using System.Text;
using Google.Protobuf;
using Google.Rpc;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Watershed.ServiceDefaults.Grpc;

/// <summary>
/// A request body that is not a valid message (malformed protobuf, a string field that is not UTF-8) or not a valid
/// gRPC frame (a length that disagrees with the body, bytes after a unary call's message, a compressed flag other than
/// 0 or 1, a compressed message without grpc-encoding, an empty body) answers INVALID_ARGUMENT with a
/// google.rpc.ErrorInfo of reason MALFORMED_REQUEST, not UNKNOWN or INTERNAL.
/// </summary>
/// <remarks>
/// grpc-dotnet reads and deserialises a unary or server-streaming request before any interceptor runs; it answers an
/// exception thrown while parsing with UNKNOWN ("Exception was thrown by handler") and its own framing checks with
/// INTERNAL ("Incomplete message.") — but an <see cref="RpcException"/> thrown while parsing keeps its status. So:
/// <list type="bullet">
/// <item>each method is bound with its request marshaller wrapped: a parse failure becomes an RpcException with
/// INVALID_ARGUMENT. The binding itself is grpc-dotnet's, redone with public API
/// (<see cref="IServiceMethodProvider{TService}"/>): its own binder is an internal type, which
/// <see cref="UseMalformedRequestStatus"/> replaces and <see cref="AssertBound"/> checks at start;</item>
/// <item>a failure grpc-dotnet answers before the call reached any interceptor can only come from reading the body (the
/// service and its dependencies are created after the interceptors start): <see cref="UseMalformedFrameStatus"/>
/// turns such an UNKNOWN or INTERNAL answer into INVALID_ARGUMENT as its headers go out (a failure before any
/// response is a trailers-only answer, whose status travels in the headers);</item>
/// <item>a client-streaming call reads its messages inside the handler: the error interceptor gives the handler a
/// reader (<see cref="Reading{T}"/>) that answers a broken frame the same way.</item>
/// </list>
/// </remarks>
public static class MalformedRequests
{
    public const string Reason = "MALFORMED_REQUEST";

    /// <summary>The key, in the call's user state (HttpContext.Items), saying the call reached the interceptors.</summary>
    public static readonly object HandlerEntered = new();

    private const string FrameMessage = "The request is not a well-formed gRPC message (a length-prefixed frame holding one protobuf message).";

    /// <summary>
    /// Answers INVALID_ARGUMENT (MALFORMED_REQUEST) where grpc-dotnet answered UNKNOWN or INTERNAL to a gRPC call that
    /// never reached the interceptors: the body could not be read as one gRPC frame.
    /// </summary>
    public static WebApplication UseMalformedFrameStatus(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
            {
                context.Response.OnStarting(static state =>
                {
                    var http = (HttpContext)state;
                    var headers = http.Response.Headers;
                    if (!http.Items.ContainsKey(HandlerEntered) && headers["grpc-status"].ToString() is "2" or "13")
                    {
                        var status = Status(FrameMessage, "frame");
                        headers["grpc-status"] = ((int)Code.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture);
                        headers["grpc-message"] = Uri.EscapeDataString(status.Message);
                        headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
                    }

                    return Task.CompletedTask;
                }, context);
            }

            await next(context);
        });
        return app;
    }

    /// <summary>A request stream whose broken frames (or malformed messages) answer INVALID_ARGUMENT (MALFORMED_REQUEST).</summary>
    public static IAsyncStreamReader<T> Reading<T>(IAsyncStreamReader<T> requestStream) => new FrameCheckedReader<T>(requestStream);

    private sealed class FrameCheckedReader<T>(IAsyncStreamReader<T> inner) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Internal or StatusCode.Unknown && !cancellationToken.IsCancellationRequested)
            {
                throw Status(FrameMessage, "frame").ToRpcException();
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw Status(FrameMessage, "frame").ToRpcException();
            }
        }
    }

    private const string FrameworkBinder = "Grpc.AspNetCore.Server.Model.Internal.BinderServiceMethodProvider`1";

    /// <summary>Replaces grpc-dotnet's service binder (registered by AddGrpc) with one whose request marshallers answer INVALID_ARGUMENT.</summary>
    public static IServiceCollection UseMalformedRequestStatus(this IServiceCollection services)
    {
        var framework = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.FullName == FrameworkBinder).ToList();
        if (framework.Count == 0)
        {
            throw new InvalidOperationException(
                $"grpc-dotnet's {FrameworkBinder} is not registered (call AddGrpc first, or the package changed): malformed requests would answer UNKNOWN.");
        }

        framework.ForEach(d => services.Remove(d));
        services.Add(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(MalformedRequestBinder<>)));
        return services;
    }

    /// <summary>Fails the start when grpc-dotnet's own binder came back (AddGrpc called again after the replacement): every method would be bound twice.</summary>
    public static void AssertBound(IServiceProvider services)
    {
        var providers = services.GetServices<IServiceMethodProvider<object>>().Select(p => p.GetType().GetGenericTypeDefinition().FullName).ToList();
        if (providers.Contains(FrameworkBinder) || !providers.Contains(typeof(MalformedRequestBinder<>).FullName))
        {
            throw new InvalidOperationException($"gRPC services are bound by {string.Join(", ", providers)}; expected {nameof(MalformedRequestBinder<object>)} alone. Call AddGrpc once, before UseMalformedRequestStatus.");
        }
    }

    /// <summary>The request's marshaller, answering a body it cannot parse with INVALID_ARGUMENT.</summary>
    internal static Method<TRequest, TResponse> WithMalformedRequestStatus<TRequest, TResponse>(this Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = new Marshaller<TRequest>(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (Exception ex) when (ex is InvalidProtocolBufferException or DecoderFallbackException)
            {
                // Google.Protobuf reports a string that is not UTF-8 as InvalidProtocolBufferException around the decoder's failure.
                throw Malformed(typeof(TRequest), ex is DecoderFallbackException || ex.InnerException is DecoderFallbackException);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private static RpcException Malformed(Type requestType, bool invalidUtf8)
    {
        var message = invalidUtf8
            ? "The request has a string field that is not valid UTF-8."
            : "The request body is not a valid protobuf message of the method's request type.";
        return Status(message, invalidUtf8 ? "utf8" : "protobuf", requestType.Name).ToRpcException();
    }

    /// <param name="kind">What was wrong: frame, protobuf or utf8 (ErrorInfo metadata "kind").</param>
    /// <param name="requestType">The request message's type, when the frame was read.</param>
    private static Google.Rpc.Status Status(string message, string kind, string? requestType = null)
    {
        var info = new ErrorInfo { Reason = Reason, Domain = "watershed", Metadata = { ["kind"] = kind } };
        if (requestType is not null)
        {
            info.Metadata["request_type"] = requestType;
        }

        return new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = message, Details = { Google.Protobuf.WellKnownTypes.Any.Pack(info) } };
    }
}

/// <summary>
/// Binds a gRPC service as grpc-dotnet does (the generated BindService, handlers found on the service's class, its
/// attributes as endpoint metadata), with <see cref="MalformedRequests.WithMalformedRequestStatus{TRequest,TResponse}"/> on every method.
/// </summary>
public sealed class MalformedRequestBinder<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        if (BindMethod(typeof(TService)) is not { } bind)
        {
            return;
        }

        var baseType = bind.GetParameters()[1].ParameterType;
        try
        {
            bind.Invoke(null, [new Binder(context, baseType), null]);
        }
        catch (TargetInvocationException ex)
        {
            throw new InvalidOperationException($"Error binding gRPC service '{typeof(TService).Name}'.", ex.InnerException ?? ex);
        }
    }

    /// <summary>The generated static BindService(ServiceBinderBase, TServiceBase), named by the base class's BindServiceMethod attribute.</summary>
    private static MethodInfo? BindMethod(Type service)
    {
        for (var type = service; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>() is { } attribute)
            {
                return attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, null,
                    [typeof(ServiceBinderBase), type], null);
            }
        }

        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type baseType) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(method.WithMalformedRequestStatus(), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(method.WithMalformedRequestStatus(), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(method.WithMalformedRequestStatus(), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Handler<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(method.WithMalformedRequestStatus(), metadata, invoker);
        }

        /// <summary>
        /// The service's override of the generated base method (a method of the same name that does not override it is
        /// not a handler), as an open delegate, and the endpoint metadata: the class's attributes, then the method's.
        /// </summary>
        private (TDelegate Invoker, List<object> Metadata) Handler<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = Override(name, parameters)
                ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            var metadata = new List<object>();
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        private MethodInfo? Override(string name, Type[] parameters)
        {
            for (var type = typeof(TService); type is not null; type = type.BaseType)
            {
                var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, null, parameters, null);
                if (method is null)
                {
                    return null;
                }

                if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == baseType)
                {
                    return method;
                }
            }

            return null;
        }
    }
}
