using System.Text;
using Dapr;
using Dapr.Client;
using Google.Rpc;
using Grpc.Core;

namespace Watershed.DevSidecar.Tests;

/// <summary>InvokeBinding through the real DaprClient: readable files instead of messages, and daprd's refusals.</summary>
public sealed class BindingTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private TestSidecar _sidecar = null!;

    public async Task InitializeAsync() =>
        _sidecar = await TestSidecar.StartAsync(_data.Sub("sidecar"), new Dictionary<string, string?>
        {
            ["Sidecar:Bindings:sms:Type"] = "bindings.twilio.sms",
            ["Sidecar:Bindings:sms:fromNumber"] = "+51984000000",
            ["Sidecar:Bindings:sms:Directory"] = _data.Sub("sms"),
            ["Sidecar:Bindings:email:Type"] = "bindings.smtp",
            ["Sidecar:Bindings:email:emailFrom"] = "avisos@watershed.local",
            ["Sidecar:Bindings:email:Directory"] = _data.Sub("email"),
            ["Sidecar:Bindings:plain:Type"] = "bindings.smtp",
            ["Sidecar:Bindings:plain:emailFrom"] = "avisos@watershed.local",
            ["Sidecar:Bindings:plain:subject"] = "Aviso",
            ["Sidecar:Bindings:plain:ContentType"] = "text/plain",
            ["Sidecar:Bindings:plain:Directory"] = _data.Sub("plain"),
            ["Sidecar:Bindings:flaky:Type"] = "bindings.twilio.sms",
            ["Sidecar:Bindings:flaky:fromNumber"] = "+51984000000",
            ["Sidecar:Bindings:flaky:FailNextCalls"] = "2",
            ["Sidecar:Bindings:flaky:Directory"] = _data.Sub("flaky"),
            ["Sidecar:Bindings:stuck:Type"] = "bindings.twilio.sms",
            ["Sidecar:Bindings:stuck:fromNumber"] = "+51984000000",
            ["Sidecar:Bindings:stuck:HoldNextCalls"] = "1",
            ["Sidecar:Bindings:stuck:Directory"] = _data.Sub("stuck"),
        });

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task An_sms_is_a_text_file_with_recipient_sender_body_and_character_count()
    {
        const string body = "Asamblea comunal el sábado 10:00 en Pomacanchi";

        await _sidecar.Dapr.InvokeBindingAsync("sms", "create", body, new Dictionary<string, string> { ["toNumber"] = "+51984111222" });

        var file = Assert.Single(Directory.GetFiles(_data.Sub("sms")));
        Assert.EndsWith(".txt", file, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(file, Encoding.UTF8);
        Assert.Contains("To: +51984111222", lines);
        Assert.Contains("From: +51984000000", lines);
        Assert.Contains("Characters: 46", lines);
        Assert.Equal(body, lines[^1]);
    }

    [Fact]
    public async Task An_email_is_an_rfc_5322_message_with_the_request_and_binding_fields()
    {
        const string subject = "Asamblea convocada — Pomacanchi";

        await _sidecar.Dapr.InvokeBindingAsync("email", "create", "<p>Se convoca a asamblea.</p>", new Dictionary<string, string>
        {
            ["emailTo"] = "ana@example.pe; luis@example.pe",
            ["emailCC"] = "facilitador@example.pe",
            ["subject"] = subject,
            ["priority"] = "1",
        });

        var file = Assert.Single(Directory.GetFiles(_data.Sub("email")));
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(file, Encoding.UTF8);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = text[..split].Split("\r\n");
        Assert.Contains("From: avisos@watershed.local", headers);
        Assert.Contains("To: ana@example.pe, luis@example.pe", headers);
        Assert.Contains("Cc: facilitador@example.pe", headers);
        Assert.Contains($"Subject: =?utf-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(subject))}?=", headers);
        Assert.Contains("X-Priority: 1", headers);
        Assert.Contains("MIME-Version: 1.0", headers);
        Assert.Contains("Content-Type: text/html; charset=utf-8", headers);
        Assert.Contains(headers, h => h.StartsWith("Date: ", StringComparison.Ordinal));
        Assert.Contains(headers, h => h.StartsWith("Message-ID: <", StringComparison.Ordinal));
        Assert.Equal("<p>Se convoca a asamblea.</p>\r\n", text[(split + 4)..]);
    }

    [Fact]
    public async Task A_binding_configured_for_plain_text_writes_text_plain_and_names_files_in_order()
    {
        await _sidecar.Dapr.InvokeBindingAsync(new BindingRequest("plain", "create")
        {
            Data = Encoding.UTF8.GetBytes("primero\nsegundo"),
            Metadata = { ["emailTo"] = "ana@example.pe" },
        });
        await _sidecar.Dapr.InvokeBindingAsync(new BindingRequest("plain", "create")
        {
            Data = Encoding.UTF8.GetBytes("tercero"),
            Metadata = { ["emailTo"] = "ana@example.pe" },
        });

        var files = Directory.GetFiles(_data.Sub("plain")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, files.Count);
        var first = await File.ReadAllTextAsync(files[0], Encoding.UTF8);
        Assert.Contains("\r\nContent-Type: text/plain; charset=utf-8\r\n", first, StringComparison.Ordinal);
        Assert.Contains("\r\nSubject: Aviso\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nprimero\r\nsegundo\r\n", first, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\ntercero\r\n", await File.ReadAllTextAsync(files[1], Encoding.UTF8), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nope", "create", "toNumber", "error invoking output binding nope: output binding nope is not configured")]
    [InlineData("sms", "create", "to", "error invoking output binding sms: the \"toNumber\" metadata is required")]
    [InlineData("sms", "get", "toNumber", "error invoking output binding sms: binding sms supports only the create operation, not 'get'")]
    public async Task A_refused_call_is_internal_as_daprd_answers_it_and_writes_nothing(string binding, string operation, string metadataKey, string message)
    {
        var error = await Assert.ThrowsAsync<DaprException>(() =>
            _sidecar.Dapr.InvokeBindingAsync(binding, operation, "hola", new Dictionary<string, string> { [metadataKey] = "+51984111222" }));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.Internal, rpc.StatusCode);
        Assert.Equal(message, rpc.Status.Detail);
        Assert.Equal("ERR_INVOKE_OUTPUT_BINDING", rpc.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.False(Directory.Exists(_data.Sub("sms")));
    }

    [Fact]
    public async Task An_email_without_recipient_is_refused()
    {
        var error = await Assert.ThrowsAsync<DaprException>(() =>
            _sidecar.Dapr.InvokeBindingAsync("email", "create", "hola", new Dictionary<string, string> { ["subject"] = "Aviso" }));

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal(StatusCode.Internal, rpc.StatusCode);
        Assert.Equal("error invoking output binding email: emailTo is required in the request metadata or the binding's configuration", rpc.Status.Detail);
    }

    [Fact]
    public async Task Fail_next_calls_answers_internal_that_many_times_then_writes()
    {
        var metadata = new Dictionary<string, string> { ["toNumber"] = "+51984111222" };

        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<DaprException>(() => _sidecar.Dapr.InvokeBindingAsync("flaky", "create", "hola", metadata));
            Assert.Equal(StatusCode.Internal, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        }

        await _sidecar.Dapr.InvokeBindingAsync("flaky", "create", "hola", metadata);
        Assert.Single(Directory.GetFiles(_data.Sub("flaky")));
    }

    [Fact]
    public async Task Hold_next_calls_leaves_the_caller_waiting_and_sends_nothing_until_it_gives_up_then_the_next_call_writes()
    {
        var metadata = new Dictionary<string, string> { ["toNumber"] = "+51984111222" };

        // The caller gives up after a second (a deadline, or the process going away): nothing was sent.
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _sidecar.Dapr.InvokeBindingAsync("stuck", "create", "hola", metadata, giveUp.Token));
        Assert.Empty(Directory.Exists(_data.Sub("stuck")) ? Directory.GetFiles(_data.Sub("stuck")) : []);

        await _sidecar.Dapr.InvokeBindingAsync("stuck", "create", "qué tal", metadata);
        var written = Assert.Single(Directory.GetFiles(_data.Sub("stuck")));
        Assert.Equal("qué tal", (await File.ReadAllLinesAsync(written, Encoding.UTF8))[^1]);
    }
}
