using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using GrpcStatusCode = Grpc.Core.StatusCode;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Watershed.ServiceDefaults.Security;

/// <summary>One rate-limit policy: at most <see cref="PermitLimit"/> calls per caller in each <see cref="Window"/>. Section: RateLimits:&lt;policy&gt;.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Calls allowed per caller in one window: 1 to 1,000,000,000.</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window: 1 second to 1 day.</summary>
    public TimeSpan Window { get; set; }
}

/// <summary>Names the setting at fault, e.g. <c>RateLimits:imports:PermitLimit</c>.</summary>
public sealed class RateLimitOptionsValidation : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        if (options.PermitLimit is < 1 or > 1_000_000_000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"RateLimits:{name}:PermitLimit must be between 1 and 1000000000 (it is {options.PermitLimit})."));
        }

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"RateLimits:{name}:Window must be between 00:00:01 and 1.00:00:00 (it is {options.Window})."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The policies a service may put on its costly or abusable RPCs; each service names which RPCs use which
/// (<see cref="RateLimits.RateLimit"/>). Limits count per caller: the token's subject, or the remote address for a
/// call without one. The defaults are generous: they stop a runaway script, not a busy assembly.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Votes cast or recorded (a facilitator recording a show of hands of a large roll stays well under it).</summary>
    public const string Votes = "votes";

    /// <summary>Proposals created.</summary>
    public const string Proposals = "proposals";

    /// <summary>Whole-file imports and uploads (survey CSVs, zone files, a roll) and survey removals: each one is parsed and checked in full, or recomputes the figures it touches.</summary>
    public const string Imports = "imports";

    /// <summary>Webhook registrations (watchers created or changed): each names an address the service will call.</summary>
    public const string Webhooks = "webhooks";

    public static readonly IReadOnlyDictionary<string, (int PermitLimit, TimeSpan Window)> Defaults =
        new Dictionary<string, (int, TimeSpan)>(StringComparer.Ordinal)
        {
            [Votes] = (600, TimeSpan.FromMinutes(1)),
            [Proposals] = (120, TimeSpan.FromMinutes(1)),
            [Imports] = (60, TimeSpan.FromMinutes(1)),
            [Webhooks] = (60, TimeSpan.FromMinutes(1)),
        };
}

public static partial class RateLimits
{
    /// <summary>Registers every policy with its limits (defaults, then <c>RateLimits:&lt;policy&gt;:PermitLimit</c> / <c>Window</c>).</summary>
    public static IServiceCollection AddServiceRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        foreach (var (name, limit) in RateLimitPolicies.Defaults)
        {
            services.AddOptions<RateLimitOptions>(name)
                .Configure(o => (o.PermitLimit, o.Window) = limit)
                .Bind(configuration.GetSection($"RateLimits:{name}"))
                .ValidateOnStart();
        }

        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidation>();

        services.AddRateLimiter(limiter =>
        {
            foreach (var name in RateLimitPolicies.Defaults.Keys)
            {
                limiter.AddPolicy(name, http =>
                {
                    var limit = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().Get(name);
                    return RateLimitPartition.GetFixedWindowLimiter(CallerKey(http), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = limit.PermitLimit,
                        Window = limit.Window,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
                });
            }

            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// Puts <paramref name="policy"/> on the named RPCs of <paramref name="service"/> (its generated <c>Descriptor</c>).
    /// A name the service does not have stops the start, so a typo cannot leave an RPC unlimited.
    /// </summary>
    public static GrpcServiceEndpointConventionBuilder RateLimit(
        this GrpcServiceEndpointConventionBuilder builder, string policy, ProtoServiceDescriptor service, params string[] methods)
    {
        if (!RateLimitPolicies.Defaults.ContainsKey(policy))
        {
            throw new ArgumentException($"Unknown rate-limit policy '{policy}'.", nameof(policy));
        }

        foreach (var method in methods)
        {
            if (service.FindMethodByName(method) is null)
            {
                throw new ArgumentException($"{service.FullName} has no RPC '{method}' to rate-limit.", nameof(methods));
            }
        }

        builder.Add(endpoint =>
        {
            var grpc = endpoint.Metadata.OfType<GrpcMethodMetadata>().FirstOrDefault();
            if (grpc is not null && grpc.Method.ServiceName == service.FullName && methods.Contains(grpc.Method.Name, StringComparer.Ordinal))
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(policy));
            }
        });
        return builder;
    }

    /// <summary>Who a limit counts: the validated token's subject, else the remote address (a call without a token).</summary>
    public static string CallerKey(HttpContext http) =>
        http.User.FindFirst("sub")?.Value is { Length: > 0 } subject
            ? "sub:" + subject
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>
    /// A refused call answers RESOURCE_EXHAUSTED as gRPC (a trailers-only response, not HTTP 429), with
    /// <c>google.rpc.RetryInfo</c> saying when to try again and <c>google.rpc.QuotaFailure</c> naming the limit.
    /// </summary>
    private static ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var method = http.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method;
        var policy = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName ?? string.Empty;
        var limit = http.RequestServices.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().Get(policy);
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : limit.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Too many {method?.Name ?? "such"} calls from this caller: at most {limit.PermitLimit} per {limit.Window}. Try again in {seconds} s.");

        var status = new Google.Rpc.Status
        {
            Code = (int)GrpcStatusCode.ResourceExhausted,
            Message = message,
            Details =
            {
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)) }),
                Any.Pack(new QuotaFailure
                {
                    Violations =
                    {
                        new QuotaFailure.Types.Violation
                        {
                            Subject = "caller",
                            Description = string.Create(CultureInfo.InvariantCulture, $"rate limit '{policy}': {limit.PermitLimit} calls per {limit.Window}"),
                        },
                    },
                }),
            },
        };

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)GrpcStatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());

        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits).FullName!);
        LogRefused(logger, method?.FullName ?? http.Request.Path.ToString(), policy, http.User.FindFirst("sub")?.Value ?? "anonymous");
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit {Policy} refused {Method} for {Subject}")]
    private static partial void LogRefused(ILogger logger, string method, string policy, string subject);
}
