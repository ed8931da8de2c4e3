using System.Globalization;
using System.Text;

namespace Watershed.ServiceDefaults.Errors;

/// <summary>
/// How a message or a log line repeats a value the caller sent: quoted, at most <see cref="MaxCharacters"/> characters
/// (then "…" and the full length), control characters and lone surrogates shown as U+FFFD. A 1 MB value then makes a
/// short message, a short trailer and a short log line, and cannot forge log lines or terminal escapes.
/// </summary>
public static class Echo
{
    public const int MaxCharacters = 40;

    /// <summary>The value in single quotes, cut and cleaned, e.g. <c>'Comunidad Campesina de Manzan…' (1048576 characters)</c>.</summary>
    public static string Quote(string? value)
    {
        value ??= string.Empty;
        var text = new StringBuilder("'", MaxCharacters + 40);
        var cut = value.Length > MaxCharacters;
        var end = cut ? MaxCharacters : value.Length;
        if (cut && char.IsHighSurrogate(value[end - 1]))
        {
            end--;
        }

        for (var i = 0; i < end; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else
            {
                text.Append(char.IsControl(c) || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        text.Append(cut ? "…'" : "'");
        if (cut)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({value.Length} characters)");
        }

        return text.ToString();
    }

    /// <summary>
    /// A text the service built (a status message, a violation's description) cut to <paramref name="max"/> characters:
    /// the last guard against an echo that did not go through <see cref="Quote"/>.
    /// </summary>
    public static string Cap(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var end = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end] + "…";
    }
}
