extern alias sidecar;

using System.Text;
using System.Text.RegularExpressions;
using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SidecarHost = sidecar::Watershed.DevSidecar.SidecarHost;
using Watershed.Notifications.V1;
using Watershed.Testing;
using Channel = Watershed.Notifications.Domain.Channel;
using DeliveryState = Watershed.Notifications.Domain.DeliveryState;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// SMS and e-mail sent by the dispatcher through Dapr output bindings, received by the development sidecar
/// stand-in (started in-process, as daprd would run beside the service), which writes each message as a file.
/// </summary>
public sealed partial class SidecarSendingTests : IAsyncLifetime
{
    // 10:00 in Lima (UTC-5) on 4 December 2026: no quiet hours.
    private static readonly DateTimeOffset Morning = new(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);

    private const string Rosa = "0193a1b2-0000-7000-8000-000000000001";
    private const string Juan = "0193a1b2-0000-7000-8000-000000000002";
    private const string Ana = "0193a1b2-0000-7000-8000-000000000003";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "watershed-notifications-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(Morning);
    private SidecarHost _sidecar = null!;
    private DaprClient _dapr = null!;
    private ContactStandIn _consultation = null!;
    private NotificationsApp _app = null!;

    private string Sms => Path.Combine(_data, "sms");

    private string Email => Path.Combine(_data, "email");

    public async Task InitializeAsync()
    {
        _sidecar = await SidecarHost.StartAsync([], new Dictionary<string, string?>
        {
            ["Sidecar:GrpcUrl"] = "http://127.0.0.1:0",
            ["Sidecar:HttpUrl"] = "http://127.0.0.1:0",
            ["Sidecar:DataDirectory"] = Path.Combine(_data, "sidecar"),
            ["Sidecar:Bindings:sms:Type"] = "bindings.twilio.sms",
            ["Sidecar:Bindings:sms:FromNumber"] = "+51984000000",
            ["Sidecar:Bindings:sms:Directory"] = Sms,
            ["Sidecar:Bindings:email:Type"] = "bindings.smtp",
            ["Sidecar:Bindings:email:EmailFrom"] = "avisos@watershed.local",
            ["Sidecar:Bindings:email:ContentType"] = "text/plain",
            ["Sidecar:Bindings:email:Directory"] = Email,
            ["Sidecar:Bindings:flaky:Type"] = "bindings.twilio.sms",
            ["Sidecar:Bindings:flaky:FromNumber"] = "+51984000000",
            ["Sidecar:Bindings:flaky:FailNextCalls"] = "1",
            ["Sidecar:Bindings:flaky:Directory"] = Path.Combine(_data, "flaky"),

            // The test's output folder holds the notifications service's appsettings.json; keep its endpoint off 5104.
            ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        _dapr = new DaprClientBuilder().UseGrpcEndpoint(_sidecar.GrpcAddress.ToString()).UseHttpEndpoint(_sidecar.HttpAddress.ToString()).Build();
        _consultation = await ContactStandIn.StartAsync(
        [
            ContactStandIn.Contact(Rosa, "Rosa Quispe", "+51984000001", "rosa@example.pe", "qu-PE", sms: true, emailConsent: false),
            ContactStandIn.Contact(Juan, "Juan Mamani", "+51984000002", "juan@example.pe", "es-PE", sms: true, emailConsent: true),
            ContactStandIn.Contact(Ana, "Ana Huamán", "", "ana@example.org", "en", sms: true, emailConsent: true),
        ]);
        _app = await Start("sms");
    }

    private Task<NotificationsApp> Start(string smsBinding) =>
        NotificationsApp.OnPostgresAsync(_consultation.Address, _clock,
            settings: new Dictionary<string, string?> { ["Notifications:SmsBinding"] = smsBinding, ["Notifications:EmailBinding"] = "email" },
            services: s => s.AddSingleton(_dapr));

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _consultation.DisposeAsync();
        _dapr.Dispose();
        await _sidecar.DisposeAsync();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task A_closed_ballot_is_written_by_the_sms_and_email_bindings_as_each_member_reads_it()
    {
        var reply = await _app.Callback().OnTopicEventAsync(Sample.Delivered(Sample.BallotClosed(), "evt-ballot-sidecar", "ballots/b001"));
        Assert.Equal(Dapr.AppCallback.Autogen.Grpc.v1.TopicEventResponse.Types.TopicEventResponseStatus.Success, reply.Status);
        Assert.Equal(4, await _app.DispatchAsync());

        var deliveries = await _app.StoredDeliveriesAsync();
        Assert.All(deliveries, d => Assert.Equal((DeliveryState.Sent, 1), (d.State, d.Attempts)));

        var texts = Directory.GetFiles(Sms, "*.txt").Select(f => File.ReadAllLines(f, Encoding.UTF8)).ToList();
        Assert.Equal(2, texts.Count);
        var byNumber = texts.ToDictionary(lines => lines.Single(l => l.StartsWith("To: ", StringComparison.Ordinal))[4..], lines => lines);
        Assert.Equal(
            "\"Riego por aspersion en Tocorani\": asambleaqa propuesta nisqatan chaskirqan. Ari 9, mana 2, mana akllaspa 1; llapan 12.",
            byNumber["+51984000001"][^1]);
        Assert.Equal(
            "Resultado de la votacion: \"Riego por aspersion en Tocorani\" fue APROBADA. Si 9, no 2, abstenciones 1 (12 votos).",
            byNumber["+51984000002"][^1]);
        Assert.Contains("From: +51984000000", byNumber["+51984000002"]);
        Assert.Contains("Characters: 112", byNumber["+51984000002"]);

        var mails = Directory.GetFiles(Email, "*.eml").Select(Eml.Read).ToDictionary(m => m.To);
        Assert.Equal(["ana@example.org", "juan@example.pe"], mails.Keys.Order());
        var juan = mails["juan@example.pe"];
        Assert.Equal("Resultado de la votación: Riego por aspersión en Tocorani — aprobada", juan.Subject);
        Assert.Equal(deliveries.Single(d => d.Channel == Channel.Email && d.Address == "juan@example.pe").Body.ReplaceLineEndings("\r\n").TrimEnd(), juan.Body.TrimEnd());
        Assert.StartsWith("La votación sobre «Riego por aspersión en Tocorani» ha terminado: la propuesta fue aprobada.", juan.Body, StringComparison.Ordinal);
        Assert.Equal("Vote result: Riego por aspersión en Tocorani — approved", mails["ana@example.org"].Subject);
        Assert.StartsWith("The vote on “Riego por aspersión en Tocorani” has closed: the proposal was approved.", mails["ana@example.org"].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binding_that_fails_once_is_retried_after_a_minute_and_writes_the_message_once()
    {
        await using var app = await Start("flaky");
        var watcher = Sample.Watcher("Mesa de alertas", Watershed.Notifications.V1.Channel.Sms);
        await app.Watchers(TestTokens.Facilitator(Sample.Watershed)).CreateWatcherAsync(watcher);
        await app.Callback().OnTopicEventAsync(Sample.Delivered(Sample.AlertRaised(), "evt-flaky", "alert_rules/e001/areas/e002"));

        Assert.Equal(1, await app.DispatchAsync());
        var failed = Assert.Single(await app.StoredDeliveriesAsync());
        Assert.Equal((DeliveryState.Failed, 1, "binding flaky failed (Internal)", Morning.AddMinutes(1)),
            (failed.State, failed.Attempts, failed.FailureReason, failed.NextAttemptAt!.Value));
        Assert.Equal(0, await app.DispatchAsync());

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await app.DispatchAsync());
        var sent = Assert.Single(await app.StoredDeliveriesAsync());
        Assert.Equal((DeliveryState.Sent, 2), (sent.State, sent.Attempts));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_data, "flaky")));
        Assert.Equal(
            "Alerta en Manzanares: hogares con consumo pobre por encima del 20 %. Valor 28.1 % (trimestre 4 de 2025, 32 hogares).",
            File.ReadAllLines(file, Encoding.UTF8)[^1]);
    }

    /// <summary>The parts of an .eml file a reader looks at; the subject's RFC 2047 words decoded.</summary>
    private sealed partial record Eml(string To, string Subject, string Body)
    {
        public static Eml Read(string path)
        {
            var text = File.ReadAllText(path, Encoding.UTF8);
            var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var headers = text[..split].Replace("\r\n ", " ", StringComparison.Ordinal).Split("\r\n");
            string Header(string name) => headers.Single(h => h.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..];
            var subject = string.Concat(EncodedWord().Matches(Header("Subject")).Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value))));
            return new Eml(Header("To"), subject.Length > 0 ? subject : Header("Subject"), text[(split + 4)..]);
        }

        [GeneratedRegex(@"=\?utf-8\?B\?([A-Za-z0-9+/=]+)\?=", RegexOptions.IgnoreCase)]
        private static partial Regex EncodedWord();
    }
}
