using Microsoft.Extensions.Options;

namespace Watershed.DevSidecar.Tests;

/// <summary>What daprd would refuse when loading its components, the stand-in refuses at start.</summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_configuration_daprd_would_refuse_stops_the_start_with_every_reason()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestSidecar.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["Sidecar:Apps:shop:Address"] = "https://127.0.0.1:5101",
            ["Sidecar:Subscriptions:0:AppId"] = "ghost",
            ["Sidecar:Subscriptions:0:Pubsub"] = "kafka",
            ["Sidecar:Subscriptions:0:Topic"] = "orders",
            ["Sidecar:Bindings:fax:Type"] = "bindings.fax",
            ["Sidecar:Bindings:sms:Type"] = "bindings.twilio.sms",
            ["Sidecar:Bindings:email:Type"] = "bindings.smtp",
            ["Sidecar:Bindings:email:Priority"] = "9",
        }));

        Assert.Equal(
            [
                "Sidecar:Apps:shop:Address must be an http:// address (the app's h2c gRPC port).",
                "Sidecar:Bindings:email:Priority must be 1 (highest) to 5 (lowest).",
                "Sidecar:Bindings:fax:Type must be bindings.twilio.sms or bindings.smtp.",
                "Sidecar:Bindings:sms:FromNumber is required for bindings.twilio.sms.",
                "Sidecar:Subscriptions:0:AppId names no app of Sidecar:Apps.",
                "Sidecar:Subscriptions:0:Pubsub names no component of Sidecar:Pubsubs.",
            ],
            error.Failures.Order(StringComparer.Ordinal));
    }
}
