using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Watershed.ServiceDefaults;

/// <summary>
/// A service's own spans and counters. Each service derives one class (<c>ConsultationTelemetry</c>, …),
/// adds a counter per domain outcome and registers it with <see cref="ServiceDefaultsExtensions.AddServiceTelemetry{T}"/>.
/// The source and the meter carry the service's name, which the host's tracing and metrics already listen to.
/// Tags are ids and codes, never personal data.
/// </summary>
public abstract class ServiceTelemetry : IDisposable
{
    protected ServiceTelemetry(IMeterFactory meters, ServiceIdentity service)
    {
        Source = new ActivitySource(service.Name);
        Meter = meters.Create(service.Name);
    }

    public ActivitySource Source { get; }

    protected Meter Meter { get; }

    /// <summary>Starts an internal span for a domain operation (null when nobody listens).</summary>
    public Activity? Start(string operation) => Source.StartActivity(operation, ActivityKind.Internal);

    public void Dispose()
    {
        Source.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The service's name as telemetry reports it (e.g. <c>watershed-consultation</c>).</summary>
public sealed record ServiceIdentity(string Name);
