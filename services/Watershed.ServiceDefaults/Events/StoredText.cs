using System.Security.Cryptography;
using System.Text;

namespace Watershed.ServiceDefaults.Events;

/// <summary>
/// How a dead letter keeps what Dapr delivered, whatever it is: PostgreSQL's text cannot hold NUL, and each column
/// has a length. A value is kept as delivered when it can be; otherwise NUL is written as the six characters
/// <c>\u0000</c>, the value is cut to fit, and it ends with "…#" and the first 16 hexadecimal digits of the SHA-256 of
/// the delivered value (UTF-8), so two different values never become one stored value by chance and a redelivery of
/// the same value finds the one it stored.
/// </summary>
public static class StoredText
{
    public const string NulEscape = "\\u0000";

    private const int DigestCharacters = 16;

    /// <summary>The value as a column of <paramref name="maxLength"/> characters (at least 32) keeps it.</summary>
    public static string Fit(string? value, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 32);
        value ??= string.Empty;
        if (value.Length <= maxLength && !value.Contains('\0', StringComparison.Ordinal))
        {
            return value;
        }

        var suffix = "…#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..DigestCharacters];
        var escaped = WithoutNul(value.Length > maxLength ? value[..maxLength] : value);
        var keep = Math.Min(escaped.Length, maxLength - suffix.Length);
        if (keep > 0 && char.IsHighSurrogate(escaped[keep - 1]))
        {
            keep--;
        }

        return string.Concat(escaped.AsSpan(0, keep), suffix);
    }

    /// <summary>The value with every NUL written as <c>\u0000</c> (a column without a length: the event's data).</summary>
    public static string WithoutNul(string? value) =>
        value is null ? string.Empty : value.Replace("\0", NulEscape, StringComparison.Ordinal);
}
