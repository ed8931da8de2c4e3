using System.Globalization;
using System.Text;

namespace Watershed.ServiceDefaults.Errors;

/// <summary>
/// How a message repeats a value the caller sent: at most <see cref="MaxCharacters"/> characters (the rest counted),
/// control characters and lone surrogates written as \uXXXX, so a huge value never makes a huge reply and cannot
/// forge line breaks or terminal escapes. One rule for every service.
/// </summary>
public static class Echo
{
    public const int MaxCharacters = 40;

    /// <summary>The value as a message may quote it.</summary>
    public static string Of(string? value) => Of(value, MaxCharacters);

    /// <summary><see cref="Of(string?)"/> keeping up to <paramref name="maxLength"/> characters (a library's message about the value).</summary>
    public static string Of(string? value, int maxLength)
    {
        if (value is null)
        {
            return "";
        }

        var shown = new StringBuilder();
        var length = Math.Min(value.Length, maxLength);
        for (var i = 0; i < length; i++)
        {
            var c = value[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (paired && i + 1 < length)
            {
                shown.Append(c).Append(value[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                shown.Append(c);
            }
        }

        return value.Length > length
            ? shown.Append(CultureInfo.InvariantCulture, $"… ({value.Length} characters)").ToString()
            : shown.ToString();
    }
}
