using System.Reflection;
using System.Text;
using Google.Protobuf;
using Google.Rpc;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Watershed.ServiceDefaults.Grpc;

/// <summary>
/// A request body that is not a valid message (malformed protobuf, a string field that is not UTF-8) answers
/// INVALID_ARGUMENT, not UNKNOWN.
/// </summary>
/// <remarks>
/// grpc-dotnet deserialises the request before any interceptor runs, and its call handler answers an exception
/// thrown there with UNKNOWN ("Exception was thrown by handler") — but an <see cref="RpcException"/> keeps its
/// status. So each method is bound with its request marshaller wrapped: a parse failure becomes an RpcException with
/// INVALID_ARGUMENT and an ErrorInfo (reason MALFORMED_REQUEST). The binding itself is grpc-dotnet's, redone with
/// public API (<see cref="IServiceMethodProvider{TService}"/>): its own binder is an internal type, which
/// <see cref="UseMalformedRequestStatus"/> replaces and <see cref="AssertBound"/> checks at start.
/// </remarks>
public static class MalformedRequests
{
    public const string Reason = "MALFORMED_REQUEST";

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
                throw Malformed(typeof(TRequest), ex is DecoderFallbackException);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private static RpcException Malformed(Type requestType, bool invalidUtf8)
    {
        var message = invalidUtf8
            ? "The request has a string field that is not valid UTF-8."
            : "The request body is not a valid protobuf message of the method's request type.";
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details =
            {
                Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo
                {
                    Reason = Reason,
                    Domain = "watershed",
                    Metadata = { ["request_type"] = requestType.Name },
                }),
            },
        };
        return status.ToRpcException();
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
