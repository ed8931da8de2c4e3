using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Watershed.Testing;

/// <summary>
/// Records which RPCs a piece of test code really called, so a table of per-RPC cases cannot claim an RPC
/// whose case calls another one. Every test client built by <see cref="WatershedApp{TProgram}"/> carries it;
/// it records only inside <see cref="Start"/>'s scope, on the same async flow.
/// </summary>
public sealed class CallRecorder : Interceptor
{
    private static readonly AsyncLocal<Scope?> Current = new();

    public static Scope Start() => Current.Value = new Scope();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        Record(context.Method);
        return continuation(request, context);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Record(context.Method);
        return continuation(context);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Record(context.Method);
        return continuation(request, context);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        Record(context.Method);
        return continuation(context);
    }

    private static void Record(IMethod method) => Current.Value?.Add(method.Name);

    public sealed class Scope : IDisposable
    {
        private readonly List<string> _methods = [];

        /// <summary>Method names (e.g. "CastVote") in call order.</summary>
        public IReadOnlyList<string> Methods
        {
            get
            {
                lock (_methods)
                {
                    return [.. _methods];
                }
            }
        }

        internal void Add(string method)
        {
            lock (_methods)
            {
                _methods.Add(method);
            }
        }

        public void Dispose() => Current.Value = null;
    }
}
