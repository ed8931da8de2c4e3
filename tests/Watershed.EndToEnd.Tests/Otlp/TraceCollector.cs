using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Watershed.EndToEnd.Tests.Otlp;

/// <summary>One span as exported, with the service (resource service.name) that exported it.</summary>
public sealed record CollectedSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, ulong StartNanos)
{
    public override string ToString() => $"{Service} {Name} trace={TraceId} span={SpanId} parent={ParentSpanId}";
}

/// <summary>
/// A minimal OpenTelemetry collector in the test: it accepts OTLP/HTTP protobuf exports (POST /v1/traces) from the
/// processes under test and keeps every span, so a test can follow one trace across processes. Metrics and logs
/// posts are accepted and dropped.
/// </summary>
public sealed class TraceCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<CollectedSpan> _spans = new();

    private TraceCollector(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.First();

    public IReadOnlyList<CollectedSpan> Spans => [.. _spans];

    /// <summary>The settings that make a Watershed service (or the dev sidecar) export its traces here, quickly.</summary>
    public IReadOnlyDictionary<string, string> ExporterSettings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
    };

    public static async Task<TraceCollector> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();

        // Only this collector's own settings: the test folder holds other hosts' appsettings (Kestrel endpoints, h2c).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var collector = new TraceCollector(app);
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var export = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
            foreach (var resource in export.ResourceSpans)
            {
                var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "?";
                foreach (var scope in resource.ScopeSpans)
                {
                    foreach (var span in scope.Spans)
                    {
                        collector._spans.Enqueue(new CollectedSpan(service, scope.Scope?.Name ?? string.Empty, Convert.ToHexStringLower(span.TraceId.Span),
                            Convert.ToHexStringLower(span.SpanId.Span), Convert.ToHexStringLower(span.ParentSpanId.Span), span.Name, span.Kind, span.StartTimeUnixNano));
                    }
                }
            }

            // An empty ExportTraceServiceResponse: full success.
            context.Response.ContentType = "application/x-protobuf";
            context.Response.StatusCode = StatusCodes.Status200OK;
        });
        app.MapPost("/v1/{signal}", (string signal) => Results.Ok());
        await app.StartAsync();
        return collector;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
