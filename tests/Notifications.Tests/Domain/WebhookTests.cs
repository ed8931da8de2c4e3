using System.Text.Json.Nodes;
using Watershed.Notifications.Domain.Messages;

namespace Watershed.Notifications.Tests.Domain;

public sealed class WebhookTests
{
    [Fact]
    public void The_signature_is_the_hex_hmac_sha256_of_timestamp_dot_body()
    {
        const string secret = "whsec_5f3b0c8e2a9d41e7b6c4a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0";
        const string body = """{"specversion":"1.0","id":"evt-1","data":{"areaName":"Santa Lucía"}}""";

        // Computed independently (Python's hmac module over the UTF-8 bytes of "1796441400." + body).
        Assert.Equal("t=1796441400,v1=5d9e398b5131b4b6151013b6dede44f76695eed9179b55e80233161700e6e0f4",
            Webhook.Signature(secret, body, new DateTimeOffset(2026, 12, 5, 3, 30, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_body_is_the_cloud_event_with_its_data_as_received()
    {
        var json = Webhook.CloudEvent("evt-9", "watershed.indicators.v1.AlertRaised", "watershed-indicators", "alert_rules/1/areas/2",
            new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero), """{"areaName":"Santa Lucía","n":26,"newerField":true}""");
        Assert.Equal(
            """{"specversion":"1.0","id":"evt-9","type":"watershed.indicators.v1.AlertRaised","source":"watershed-indicators","subject":"alert_rules/1/areas/2","time":"2026-12-04T15:00:00.0000000Z","datacontenttype":"application/json","data":{"areaName":"Santa Lucía","n":26,"newerField":true}}""",
            json);
        Assert.NotNull(JsonNode.Parse(json));
    }

    [Fact]
    public void Secrets_are_random_and_say_what_they_are() =>
        Assert.NotEqual(Webhook.NewSecret(), Webhook.NewSecret());
}
