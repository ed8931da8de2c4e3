using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>An ingest is visible at run time: its span, the alert evaluation inside it, its counters and its logs.</summary>
public sealed class TelemetryTests : PostgresApiTest
{
    private readonly LogCapture _logs = new();

    protected override Task<IndicatorsApp> CreateAppAsync() =>
        IndicatorsApp.OnPostgresAsync(services => services.AddSingleton<ILoggerProvider>(_logs));

    [Fact]
    public async Task An_ingest_shows_its_span_its_alert_evaluation_and_its_counters()
    {
        using var capture = new TelemetryCapture("watershed-indicators");
        var rule = (await S.Facilitator.Alerts.CreateAlertRuleAsync(new CreateAlertRuleRequest
        {
            Rule = new AlertRule
            {
                IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Metric = "percent:poor", PeriodType = PeriodType.Quarter,
                Condition = new Condition { Operator = ComparisonOperator.GreaterThan, Threshold = "30" },
            },
        })).Rule;
        var round = await S.FcsRoundAsync("2025Q4");
        var baseline = FcsCsv.Write(false, Households.Baseline());
        var bad = FcsCsv.Write(false, Households.Poor("t-1", "manzanares", "2025-11-03"), Households.Poor("t-2", "nowhere", "2025-11-03"));

        await S.ImportAsync(round, baseline);
        await S.ImportAsync(round, baseline);
        await S.ImportAsync(round, bad);

        var id = round.Id;
        var ingests = capture.Spans.Where(s => s.OperationName == "IngestSubmissions" && s.GetTagItem("survey_round.id") as string == id)
            .OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal([(4, 4, "stored"), (4, 0, "stored"), (2, 0, "rejected")],
            ingests.Select(s => ((int)s.GetTagItem("households")!, (int)s.GetTagItem("households.stored")!, (string)s.GetTagItem("outcome")!)));
        // Alerts are evaluated inside the ingest that stored households, and only there.
        var evaluation = Assert.Single(capture.Spans, s => s.OperationName == "EvaluateAlerts" && s.GetTagItem("survey_round.id") as string == id);
        Assert.Equal(ingests[0].SpanId, evaluation.ParentSpanId);
        Assert.Equal(1, evaluation.GetTagItem("alerts"));

        double Sum(string instrument, string tag, string value, (string Key, string Value)? also = null) => capture.Measurements
            .Where(m => m.Instrument == instrument && m.Tags.GetValueOrDefault(tag) == value && (also is not { } a || m.Tags.GetValueOrDefault(a.Key) == a.Value))
            .Sum(m => m.Value);
        Assert.Equal(2, Sum("watershed.indicators.ingests", "survey_round.id", id, ("outcome", "stored")));
        Assert.Equal(1, Sum("watershed.indicators.ingests", "survey_round.id", id, ("outcome", "rejected")));
        Assert.Equal(4, Sum("watershed.indicators.households.stored", "survey_round.id", id));
        Assert.Equal(4, Sum("watershed.indicators.households.duplicate", "survey_round.id", id));
        Assert.Equal(1, Sum("watershed.indicators.households.rejected", "survey_round.id", id));
        Assert.Equal(1, Sum("watershed.indicators.alerts.raised", "alert_rule.id", rule.Id, ("indicator.code", "FCS")));
        Assert.Equal(0, Sum("watershed.indicators.alerts.cleared", "alert_rule.id", rule.Id));

        // An operator reads what was stored and what changed, by ids and codes; ingests that stored nothing stay
        // below Information, and no household is named.
        var ingestLogs = _logs.Entries.Where(e => (e.Category.EndsWith(".SubmissionIngest", StringComparison.Ordinal) || e.Category.EndsWith(".AlertEvaluation", StringComparison.Ordinal)) && e.Level >= LogLevel.Information);
        Assert.Equal(
        [
            (LogLevel.Information, $"Survey round {id}: 4 households stored, 0 already stored, 0 rejected"),
            (LogLevel.Information, $"Alert rule {rule.Id} raised: FCS percent:poor in area {S.Manzanares.Id}, period 2025Q4, is 33.3333 over 3 households"),
        ],
            ingestLogs.Select(e => (e.Level, e.Message)).ToArray());
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Information && (e.Message.Contains("hh-", StringComparison.Ordinal) || e.Message.Contains("t-1", StringComparison.Ordinal)));
    }

    /// <summary>Keeps every entry the host logs (every level), for the test to read.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
