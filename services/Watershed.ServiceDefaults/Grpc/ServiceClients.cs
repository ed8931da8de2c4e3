using System.ComponentModel.DataAnnotations;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client.Configuration;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Security;

namespace Watershed.ServiceDefaults.Grpc;

/// <summary>Where another Watershed service is and how patiently to call it. Section: Services:&lt;name&gt;.</summary>
public sealed class ServiceClientOptions
{
    /// <summary>The service's own gRPC address; not used when <see cref="DaprAppId"/> is set.</summary>
    public Uri? Address { get; set; }

    /// <summary>
    /// The callee's Dapr app id, to call it through Dapr service invocation instead of <see cref="Address"/>: calls go
    /// to the local sidecar's gRPC endpoint (<c>DAPR_GRPC_ENDPOINT</c>, else <c>http://127.0.0.1:DAPR_GRPC_PORT</c>, else
    /// <c>http://127.0.0.1:50001</c>) with the <c>dapr-app-id</c> header, and the sidecars carry them to the callee over
    /// mutual TLS under its access policy (Dapr's gRPC proxying). Only unary calls carry the header.
    /// </summary>
    public string? DaprAppId { get; set; }

    /// <summary>Deadline of one call when the incoming call has none shorter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per call (the first included) for UNAVAILABLE answers, with exponential backoff.</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Consecutive-ish failures over a window that open the breaker.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(2, 1000)]
    public int BreakerMinimumThroughput { get; set; } = 4;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Whose identity a call to another service carries.</summary>
public enum CallIdentity
{
    /// <summary>
    /// Always the calling service's own (<see cref="ServiceTokens.AddServiceToken"/>): the callee decides on what the
    /// service may do, whoever caused the call.
    /// </summary>
    Service,

    /// <summary>
    /// The user's token when the call is made while serving a user's call, because the callee must decide on that
    /// user's rights; the service's own when no user is behind the call (event handlers, background work).
    /// </summary>
    UserOrService,
}

/// <summary>
/// Typed gRPC clients to other Watershed services, configured once for every cross-service call:
/// retries of UNAVAILABLE with backoff in the channel's service config (gRPC's own retry policy),
/// a deadline on every call (the incoming call's, if shorter), a bearer token (<see cref="CallIdentity"/>),
/// and a circuit breaker (Polly) so a dead dependency fails fast. Any transient failure reaches the
/// calling service as <see cref="DependencyUnavailableException"/>, i.e. UNAVAILABLE to its caller.
/// </summary>
public static class ServiceClients
{
    private static readonly StatusCode[] Transient = [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.ResourceExhausted];

    /// <param name="identity">Whose token the calls carry; the service's own needs <see cref="ServiceTokens.AddServiceToken"/>.</param>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IHostApplicationBuilder builder, string serviceName, CallIdentity identity)
        where TClient : class
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(IServiceTokenProvider)))
        {
            throw new InvalidOperationException(
                $"The {serviceName} client calls with the service's own identity whenever no user is behind a call: call AddServiceToken before AddServiceClient.");
        }

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOptions<ServiceClientOptions>(serviceName)
            .Bind(builder.Configuration.GetSection($"Services:{serviceName}"))
            .ValidateDataAnnotations()
            .Validate(
                o => o.DaprAppId is not null || o.Address is { IsAbsoluteUri: true },
                $"Services:{serviceName}:Address must be an absolute URL such as http://consultation:8080 (or set Services:{serviceName}:DaprAppId to call through the Dapr sidecar)")
            .Validate(
                o => o.DaprAppId is null || DaprSidecar.IsAppId(o.DaprAppId),
                $"Services:{serviceName}:DaprAppId must be a Dapr app id: lower-case letters, digits and '-', at most 63 characters")
            .Validate(
                o => o.DaprAppId is null || DaprSidecar.GrpcEndpoint(builder.Configuration) is not null,
                $"Services:{serviceName}:DaprAppId calls through the Dapr sidecar, whose address must be an absolute URL (DAPR_GRPC_ENDPOINT) or a port (DAPR_GRPC_PORT)")
            .ValidateOnStart();

        builder.Services.AddKeyedSingleton(serviceName, (services, _) =>
        {
            var o = services.GetRequiredService<IOptionsMonitor<ServiceClientOptions>>().Get(serviceName);
            return new ResiliencePipelineBuilder()
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = o.BreakerFailureRatio,
                    MinimumThroughput = o.BreakerMinimumThroughput,
                    SamplingDuration = o.BreakerSamplingDuration,
                    BreakDuration = o.BreakerDuration,
                    ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => Transient.Contains(e.StatusCode)),
                })
                .Build();
        });

        return builder.Services
            .AddGrpcClient<TClient>((services, client) =>
            {
                var o = services.GetRequiredService<IOptionsMonitor<ServiceClientOptions>>().Get(serviceName);
                client.Address = o.DaprAppId is null ? o.Address : DaprSidecar.GrpcEndpoint(builder.Configuration);
                client.ChannelOptionsActions.Add(channel => channel.ServiceConfig = new ServiceConfig
                {
                    MethodConfigs =
                    {
                        new MethodConfig
                        {
                            Names = { MethodName.Default },
                            RetryPolicy = new RetryPolicy
                            {
                                MaxAttempts = o.MaxAttempts,
                                InitialBackoff = TimeSpan.FromMilliseconds(100),
                                MaxBackoff = TimeSpan.FromSeconds(1),
                                BackoffMultiplier = 2,
                                RetryableStatusCodes = { StatusCode.Unavailable },
                            },
                        },
                    },
                });
            })
            .AddInterceptor(services => new DependencyInterceptor(
                serviceName,
                services.GetRequiredService<IOptionsMonitor<ServiceClientOptions>>().Get(serviceName),
                services.GetRequiredKeyedService<ResiliencePipeline>(serviceName),
                services.GetRequiredService<IHttpContextAccessor>(),
                // gRPC compares a deadline with the machine's clock (as the incoming call's deadline is): a service's
                // own TimeProvider may be moved (tests), and a deadline taken from it would be meaningless.
                TimeProvider.System,
                identity,
                services.GetRequiredService<IServiceTokenProvider>()));
    }

    /// <summary>
    /// Deadline, token, circuit breaker and failure translation for unary calls. The user's token is forwarded only
    /// for <see cref="CallIdentity.UserOrService"/> and only from an endpoint that required it: an anonymous endpoint
    /// (Dapr's AppCallback, where event handlers run) never passes on whatever its caller sent, so event handlers and
    /// background work always call as the service.
    /// </summary>
    private sealed class DependencyInterceptor(
        string serviceName,
        ServiceClientOptions options,
        ResiliencePipeline breaker,
        IHttpContextAccessor http,
        TimeProvider clock,
        CallIdentity identity,
        IServiceTokenProvider serviceToken) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            var incoming = http.HttpContext;
            var deadline = clock.GetUtcNow().UtcDateTime + options.Deadline;
            var cancellation = incoming?.RequestAborted ?? CancellationToken.None;
            var incomingDeadline = incoming?.Features.Get<global::Grpc.AspNetCore.Server.IServerCallContextFeature>()?.ServerCallContext.Deadline;
            if (incomingDeadline is { } d && d < deadline)
            {
                deadline = d;
            }

            var headers = context.Options.Headers ?? [];
            if (options.DaprAppId is { } appId && headers.Get(DaprSidecar.AppIdHeader) is null)
            {
                headers.Add(DaprSidecar.AppIdHeader, appId);
            }

            var forwardable = identity == CallIdentity.UserOrService
                && incoming?.User.Identity?.IsAuthenticated == true
                && incoming.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null;
            var authorization = forwardable ? incoming!.Request.Headers.Authorization.ToString() : null;
            if (!string.IsNullOrEmpty(authorization) && headers.Get("authorization") is null)
            {
                headers.Add("authorization", authorization);
            }

            var callOptions = context.Options.WithDeadline(deadline).WithCancellationToken(cancellation).WithHeaders(headers);
            var call = new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, callOptions);
            var response = Guard(async () =>
            {
                if (headers.Get("authorization") is null)
                {
                    headers.Add("authorization", $"Bearer {await serviceToken.GetTokenAsync(cancellation)}");
                }

                return await continuation(request, call).ResponseAsync;
            });
            return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        private async Task<TResponse> Guard<TResponse>(Func<Task<TResponse>> send)
        {
            try
            {
                return await breaker.ExecuteAsync(async _ => await send(), CancellationToken.None);
            }
            catch (BrokenCircuitException ex)
            {
                throw new DependencyUnavailableException(serviceName, $"The {serviceName} service is failing; calls to it are paused briefly.", ex);
            }
            catch (RpcException ex) when (Transient.Contains(ex.StatusCode) || ex.StatusCode == StatusCode.Internal && ex.InnerException is HttpRequestException)
            {
                throw new DependencyUnavailableException(serviceName, $"The {serviceName} service did not answer ({ex.StatusCode}).", ex);
            }
        }
    }
}

/// <summary>Where the pod's (or the process's) Dapr sidecar serves Dapr's gRPC API, read as the Dapr SDKs read it.</summary>
internal static partial class DaprSidecar
{
    /// <summary>Names the app a call proxied by the sidecar is for (Dapr's gRPC proxying).</summary>
    public const string AppIdHeader = "dapr-app-id";

    public static bool IsAppId(string value) => AppId().IsMatch(value);

    /// <summary><c>DAPR_GRPC_ENDPOINT</c>, else <c>http://127.0.0.1:DAPR_GRPC_PORT</c>, else Dapr's default port 50001; null when malformed.</summary>
    public static Uri? GrpcEndpoint(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        if (configuration["DAPR_GRPC_ENDPOINT"] is { Length: > 0 } endpoint)
        {
            return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
        }

        if (configuration["DAPR_GRPC_PORT"] is { Length: > 0 } port)
        {
            return int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is > 0 and < 65536
                ? new Uri($"http://127.0.0.1:{number}")
                : null;
        }

        return new Uri("http://127.0.0.1:50001");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex AppId();
}
