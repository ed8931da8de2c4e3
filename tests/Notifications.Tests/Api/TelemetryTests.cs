using Microsoft.Extensions.DependencyInjection;
using Watershed.Notifications.Sending;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Notifications.Tests.Api;

/// <summary>The NotifyEvent and SendDelivery spans and the queued/sent/failed counters, tagged by watershed, channel and kind.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Handling_and_sending_an_event_shows_in_spans_and_counters()
    {
        var watershed = $"telemetry-{Guid.NewGuid():N}"[..30];
        var sender = new RecordingSender { Answer = d => d.Channel == Watershed.Notifications.Domain.Channel.Sms ? SendOutcome.Final("refused") : SendOutcome.Ok };
        await using var app = await NotificationsApp.OnPostgresAsync(services: s => s.AddSingleton<IDeliverySender>(sender));
        var request = Sample.Watcher("Mesa de alertas", Channel.Sms, Channel.Email);
        request.WatershedCode = watershed;
        await app.Watchers(TestTokens.Admin()).CreateWatcherAsync(request);
        var alert = Sample.AlertRaised();
        alert.WatershedCode = watershed;
        var eventId = $"evt-{watershed}";

        using var telemetry = new TelemetryCapture("watershed-notifications");
        await app.Callback().OnTopicEventAsync(Sample.Delivered(alert, eventId, "alert_rules/e001/areas/e002"));
        Assert.Equal(2, await app.DispatchAsync());

        var mine = telemetry.Measurements.Where(m => m.Tags.GetValueOrDefault("watershed") == watershed).ToList();
        Assert.Equal(
        [
            ("watershed.notifications.deliveries.failed", "sms", "alerts"),
            ("watershed.notifications.deliveries.queued", "email", "alerts"),
            ("watershed.notifications.deliveries.queued", "sms", "alerts"),
            ("watershed.notifications.deliveries.sent", "email", "alerts"),
        ], mine.Select(m => (m.Instrument, m.Tags["channel"], m.Tags["kind"])).Order());
        Assert.Equal("True", mine.Single(m => m.Instrument.EndsWith("failed", StringComparison.Ordinal)).Tags["final"]);

        var notify = Assert.Single(telemetry.Spans, s => s.OperationName == "NotifyEvent" && (string?)s.GetTagItem("event.id") == eventId);
        Assert.Equal(("Alerts", 2), ((string?)notify.GetTagItem("event.kind"), (int?)notify.GetTagItem("deliveries")));
        Assert.Equal(2, telemetry.Spans.Count(s => s.OperationName == "SendDelivery" && (string?)s.GetTagItem("event.id") == eventId));
    }
}
