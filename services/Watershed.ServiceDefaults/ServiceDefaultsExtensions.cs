using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

namespace Watershed.ServiceDefaults;

/// <summary>The grpc.health.v1 service names the probes ask for.</summary>
public static class HealthServices
{
    public const string Liveness = "liveness";
    public const string Readiness = "readiness";
}

/// <summary>What every Watershed service host calls once: telemetry, gRPC with error mapping, health, auth.</summary>
public static class ServiceDefaultsExtensions
{
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton<TimeProvider, DatabaseTimeProvider>();
        builder.Services.AddSingleton(new ServiceIdentity(serviceName));
        builder.AddTelemetry(serviceName);
        builder.AddQuietFrameworkLogs();

        // Drain in-flight calls on SIGTERM within the pod's grace period (30 s, after a 5 s preStop pause).
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.Services.AddGrpc(options =>
        {
            options.Interceptors.Add<ErrorMappingInterceptor>();
            options.EnableDetailedErrors = false;
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddServiceHealthChecks();

        // After every AddGrpc (reflection and health call it too): a malformed body answers INVALID_ARGUMENT, not UNKNOWN.
        builder.Services.UseMalformedRequestStatus();

        builder.AddBearerAuthentication();
        builder.Services.AddServiceRateLimits(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// grpc.health.v1 with a liveness service that never asks a dependency (a database outage must not restart
    /// every pod) and readiness (also the default service "") that asks every check, the database's included.
    /// </summary>
    public static IHealthChecksBuilder AddServiceHealthChecks(this IServiceCollection services) =>
        services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map(HealthServices.Liveness, check => check.Tags.Contains(HealthServices.Liveness));
            options.Services.Map(HealthServices.Readiness, _ => true);
            options.Services.Map(string.Empty, _ => true);
        }).AddCheck(HealthServices.Liveness, () => HealthCheckResult.Healthy(), [HealthServices.Liveness]);

    /// <summary>Registers the service's <see cref="ServiceTelemetry"/> as a singleton.</summary>
    public static WebApplicationBuilder AddServiceTelemetry<T>(this WebApplicationBuilder builder)
        where T : ServiceTelemetry
    {
        builder.Services.AddSingleton<T>();
        return builder;
    }

    /// <summary>
    /// The framework's own logs of refused calls would repeat what the error interceptor logs, with the status
    /// detail (which may name people) at Information, and EF Core logs an expected duplicate key, or the first
    /// look for the migrations table, as an error with a stack. The interceptor logs each failure once, at its level.
    /// <see cref="QuietFrameworkLogs"/> applies after configuration, so a provider-specific level (e.g.
    /// <c>Logging:Console:LogLevel:Default</c>) does not bring them back.
    /// </summary>
    private static void AddQuietFrameworkLogs(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>, QuietFrameworkLogs>();

    /// <summary>
    /// Logs, metrics and traces under <paramref name="serviceName"/>, exported over OTLP only where a collector is
    /// configured (OTEL_EXPORTER_OTLP_ENDPOINT). Part of <see cref="AddServiceDefaults"/>; the web app calls it alone.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.EntityFrameworkCore", "Npgsql", serviceName))
            .WithTracing(tracing => tracing
                .AddSource(serviceName, Events.EventTelemetry.SourceName)
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql());

        // Export only where a collector is configured (OTEL_EXPORTER_OTLP_ENDPOINT), as in Kubernetes.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Bearer tokens on every call. With <c>Auth:Authority</c> (production: a Keycloak realm; tests: the DevIdentity
    /// provider) the keys come from the authority's discovery document and JWKS, only asymmetric algorithms are
    /// accepted (RS256 and kin: never HS256 nor "none"), and the keys are read again every <c>Auth:KeyRefreshInterval</c>
    /// and at once (at most once per <c>Auth:KeyRefreshMinimumGap</c>) when a token names a key not seen yet, so a
    /// rotated key is picked up on its first use.
    /// Without an authority, in Development only, an HS256 key (<c>Auth:SigningKey</c>). Issuer, audience, lifetime
    /// and signature are checked either way.
    /// </summary>
    private static void AddBearerAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, authOptions) =>
            {
                var auth = authOptions.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "sub",
                    RoleClaimType = WatershedClaims.Role,
                };
                // The subject is kept with what the caller records (RecordedBy, StoredBy...): a token without one, or with
                // one no column can hold, is not a caller this system can name.
                jwt.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (!Caller.IsAcceptableSubject(context.Principal?.FindFirst("sub")?.Value))
                        {
                            context.Fail($"The token's subject must be 1 to {Caller.SubjectMaxLength} characters without control characters.");
                        }

                        return Task.CompletedTask;
                    },
                };
                if (!string.IsNullOrWhiteSpace(auth.Authority))
                {
                    jwt.Authority = auth.Authority;
                    jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                    jwt.AutomaticRefreshInterval = auth.KeyRefreshInterval;
                    jwt.RefreshInterval = auth.KeyRefreshMinimumGap;
                    jwt.TokenValidationParameters.ValidAlgorithms = AsymmetricAlgorithms;
                }
                else if (!string.IsNullOrWhiteSpace(auth.SigningKey))
                {
                    jwt.TokenValidationParameters.IssuerSigningKey =
                        new SymmetricSecurityKey(Convert.FromBase64String(auth.SigningKey));
                    jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
                }
            });

        // IdentityModel would keep accepting tokens of a key the authority no longer publishes for up to an hour after
        // (its "last known good" configuration). A retired key may be a compromised one: it stops passing as soon as the
        // service has read the keys without it. A failed read keeps the keys read before, so an outage refuses nothing.
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            if (jwt.ConfigurationManager is BaseConfigurationManager keys)
            {
                keys.UseLastKnownGoodConfiguration = false;
            }
        });

        // Every endpoint needs a validated token unless it says otherwise (health, reflection).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// Authentication, authorisation and rate limits (after authentication: limits count per token subject); health
    /// (grpc.health.v1) open to anonymous callers; reflection only where <c>Grpc:Reflection</c> is true (Development and
    /// scripts/run-local.sh set it): elsewhere the contracts are not listed to whoever asks.
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseMalformedFrameStatus();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        if (app.Configuration.GetValue(ReflectionSetting, defaultValue: false))
        {
            app.MapGrpcReflectionService().AllowAnonymous();
        }

        return app;
    }

    /// <summary>Whether gRPC server reflection is served (default false).</summary>
    public const string ReflectionSetting = "Grpc:Reflection";
}
