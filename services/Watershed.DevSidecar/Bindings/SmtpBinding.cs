using System.Globalization;
using System.Text;
using Dapr.Client.Autogen.Grpc.v1;

namespace Watershed.DevSidecar.Bindings;

/// <summary>
/// <c>bindings.smtp</c>: one RFC 5322 message (.eml, openable in any mail program) per call. Request metadata
/// overrides the component's, as in the real binding; emailFrom, emailTo and subject are required from either.
/// </summary>
internal static class SmtpBinding
{
    private const int DefaultPriority = 3;

    // An encoded-word may be 75 characters long; 45 bytes of UTF-8 make 60 of base64 plus the 12 of its frame.
    private const int EncodedWordBytes = 45;

    public static bool TryParsePriority(string? text, out int priority)
    {
        if (string.IsNullOrEmpty(text))
        {
            priority = DefaultPriority;
            return true;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out priority) && priority is >= 1 and <= 5;
    }

    public static Task<string> WriteAsync(string name, BindingOptions binding, InvokeBindingRequest request, string directory, DateTimeOffset now, CancellationToken ct)
    {
        string? Pick(string key, string? configured) =>
            request.Metadata.TryGetValue(key, out var value) && value.Length > 0 ? value : configured;

        string Required(string key, string? configured) =>
            Pick(key, configured) is { Length: > 0 } value
                ? value
                : throw new BindingRequestException($"{key} is required in the request metadata or the binding's configuration");

        var from = Required("emailFrom", binding.EmailFrom);
        var to = Required("emailTo", binding.EmailTo);
        var subject = Required("subject", binding.Subject);
        if (!TryParsePriority(Pick("priority", binding.Priority), out var priority))
        {
            throw new BindingRequestException("priority must be 1 (highest) to 5 (lowest)");
        }

        var message = new StringBuilder();
        void Header(string field, string value) => message.Append(field).Append(": ").Append(value).Append("\r\n");

        Header("Date", now.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
        Header("From", from);
        Header("To", Addresses(to));
        if (Pick("emailCC", binding.EmailCC) is { Length: > 0 } cc)
        {
            Header("Cc", Addresses(cc));
        }

        // Kept in the file so a reader sees every recipient; a real transfer would strip it.
        if (Pick("emailBCC", binding.EmailBCC) is { Length: > 0 } bcc)
        {
            Header("Bcc", Addresses(bcc));
        }

        Header("Subject", EncodeHeader(subject));
        Header("Message-ID", $"<{Guid.CreateVersion7(now):N}@watershed-dev-sidecar.local>");
        Header("X-Priority", priority.ToString(CultureInfo.InvariantCulture));
        Header("X-Watershed-Dev-Sidecar", $"written instead of sent by binding {name}");
        Header("MIME-Version", "1.0");
        Header("Content-Type", $"{binding.ContentType}; charset=utf-8");
        Header("Content-Transfer-Encoding", "8bit");
        message.Append("\r\n");
        message.Append(BindingFiles.Body(request.Data).ReplaceLineEndings("\r\n")).Append("\r\n");
        return BindingFiles.WriteAsync(directory, now, "eml", message.ToString(), ct);
    }

    /// <summary>The real binding takes several addresses separated by ';'; a header separates them by ','.</summary>
    private static string Addresses(string addresses) =>
        string.Join(", ", addresses.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Header text is ASCII (RFC 5322); anything else goes in RFC 2047 encoded-words, folded one per line.</summary>
    internal static string EncodeHeader(string value)
    {
        if (value.All(c => c is >= ' ' and <= '~'))
        {
            return value;
        }

        var words = new List<string>();
        var chunk = new List<byte>();
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(buffer);
            if (chunk.Count + length > EncodedWordBytes)
            {
                words.Add(EncodedWord(chunk));
                chunk.Clear();
            }

            chunk.AddRange(buffer[..length]);
        }

        words.Add(EncodedWord(chunk));
        return string.Join("\r\n ", words);
    }

    private static string EncodedWord(List<byte> bytes) => $"=?utf-8?B?{Convert.ToBase64String(bytes.ToArray())}?=";
}
