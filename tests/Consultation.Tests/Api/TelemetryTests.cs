using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Watershed.Consultation.V1;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>Activity sources are process-wide, so this runs alone: no other test's host adds spans meanwhile.</summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>The service defaults wire traces and logs through OpenTelemetry: a call yields a server span and database spans.</summary>
[Collection(nameof(TelemetryTests))]
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_call_is_traced_from_the_grpc_server_to_postgres_and_its_logs_are_exported()
    {
        var spans = new List<Activity>();
        var logs = new List<LogRecord>();
        await using var app = await ConsultationApp.OnPostgresAsync(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(logs));
        });

        var created = await app.ClientsFor(TestTokens.Admin()).Stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "traced", Name = "Traced" });
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("CreateWatershed", StringComparison.Ordinal));
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.TraceId == server.TraceId);
        Assert.Equal(7, Guid.Parse(created.Watershed.Id).Version);
        Assert.Contains(logs, l => l.CategoryName?.StartsWith("Microsoft.Hosting.Lifetime", StringComparison.Ordinal) == true);
    }
}
