using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Watershed.Notifications.Domain.Messages;

/// <summary>What a webhook receives: the CloudEvent as this service received it, and how the POST is signed.</summary>
public static class Webhook
{
    public const string SignatureHeader = "Watershed-Signature";
    public const string ContentType = "application/cloudevents+json";

    /// <summary>The CloudEvent 1.0 JSON (structured mode) with the event's own attributes and its data as delivered.</summary>
    public static string CloudEvent(string id, string type, string source, string subject, DateTimeOffset? time, string dataJson)
    {
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = id,
            ["type"] = type,
            ["source"] = source,
            ["subject"] = subject,
        };
        if (time is { } t)
        {
            envelope["time"] = t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        }

        envelope["datacontenttype"] = "application/json";
        envelope["data"] = JsonNode.Parse(dataJson);
        return envelope.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>
    /// <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>: the lower-case hex HMAC-SHA256 of the UTF-8 bytes of
    /// "&lt;t&gt;.&lt;body&gt;", keyed with the UTF-8 bytes of the watcher's secret. The timestamp is signed with the
    /// body, so a receiver can refuse a replayed POST.
    /// </summary>
    public static string Signature(string secret, string body, DateTimeOffset now)
    {
        var t = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>A new signing secret: 32 random bytes, hex, with a prefix that says what it is.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
