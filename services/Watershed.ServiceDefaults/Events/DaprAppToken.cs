using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.ServiceDefaults.Events;

/// <summary>
/// Dapr's app API token: when <c>APP_API_TOKEN</c> is set (the same variable daprd reads; on Kubernetes the
/// <c>dapr.io/app-token-secret</c> annotation gives it to the sidecar, and the service reads the same Secret), daprd
/// sends it in the <c>dapr-api-token</c> metadata of every call to the app, and every call to Dapr's callback
/// services without it, or with another value, answers UNAUTHENTICATED before its body is read. AppCallback carries
/// no user token (daprd has none), so without this anyone who reaches the service's port could deliver events.
/// </summary>
public static partial class DaprAppToken
{
    /// <summary>The setting (environment variable) holding the token.</summary>
    public const string Setting = "APP_API_TOKEN";

    /// <summary>The metadata daprd sends it in.</summary>
    public const string Header = "dapr-api-token";

    /// <summary>Dapr's callback services (the app side of Dapr's contracts): the token guards all of them.</summary>
    private static readonly PathString[] CallbackServices =
    [
        "/dapr.proto.runtime.v1.AppCallback", "/dapr.proto.runtime.v1.AppCallbackHealthCheck", "/dapr.proto.runtime.v1.AppCallbackAlpha",
    ];

    /// <summary>Requires the token on Dapr's callback services where <see cref="Setting"/> is set; says so at start.</summary>
    public static WebApplication UseDaprAppToken(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DaprAppToken).FullName!);
        var token = app.Configuration[Setting];
        if (string.IsNullOrWhiteSpace(token))
        {
            if (!app.Environment.IsDevelopment())
            {
                LogOpen(logger, Setting);
            }

            return app;
        }

        var expected = Encoding.UTF8.GetBytes(token);
        app.Use(async (context, next) =>
        {
            if (!IsCallback(context.Request.Path) || Matches(context.Request.Headers[Header], expected))
            {
                await next(context);
                return;
            }

            LogRefused(logger, Echo.Of(context.Request.Path.Value, 120));

            // A trailers-only gRPC answer (HTTP 200 whose headers carry the status), as grpc-dotnet writes its own refusals.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "16";
            context.Response.Headers["grpc-message"] = Uri.EscapeDataString($"Dapr's callbacks need the app API token ({Header}).");
        });
        return app;
    }

    private static bool IsCallback(PathString path)
    {
        foreach (var service in CallbackServices)
        {
            if (path.StartsWithSegments(service, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(Microsoft.Extensions.Primitives.StringValues sent, byte[] expected) =>
        sent.Count == 1 && sent[0] is { } value && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value), expected);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Path} refused with Unauthenticated: no or a wrong Dapr app API token")]
    private static partial void LogRefused(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting} is not set: Dapr's AppCallback accepts events from any caller that reaches this port")]
    private static partial void LogOpen(ILogger logger, string setting);
}
