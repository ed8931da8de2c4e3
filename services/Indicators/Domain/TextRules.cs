using System.Globalization;
using System.Text;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain;

/// <summary>
/// What indicators accepts as text and how it repeats a caller's text back. Ids, codes, names and column names are one
/// line: no control character at all (NUL, tab, line breaks, vertical tab, escape …) and no lone surrogate. Answers may
/// hold line breaks and tabs (free-text questions), nothing else of the kind. PostgreSQL cannot store NUL and exports
/// must not carry the rest, so they are refused where they come in: requests, imported files and streams alike.
/// Land use keeps the same rules in its own TextRules (services share contracts and plumbing, not domain code).
/// </summary>
public static class TextRules
{
    /// <summary>How many characters of a refused value a message repeats, so a huge value never makes a huge reply.</summary>
    public const int EchoLength = 40;

    public static bool IsOneLine(string text) => !Validation.HasControlCharacter(text);

    public static bool IsMultiLine(string text) => !Validation.HasControlCharacter(text, allowLineBreaksAndTabs: true);

    /// <summary>The description of a one-line attribute that breaks the character rule.</summary>
    public const string OneLineRule = "must be one line without control characters (tabs, line breaks, NUL …)";

    public const string MultiLineRule = "must not contain control characters other than line breaks and tabs";

    /// <summary>Why a one-line value of at most <paramref name="maxLength"/> characters is refused; null when it is fine.</summary>
    public static string? OneLineFault(string value, int maxLength) =>
        value.Length > maxLength
            ? string.Create(CultureInfo.InvariantCulture, $"has {value.Length} characters; at most {maxLength} are accepted")
            : IsOneLine(value) ? null : OneLineRule;

    /// <summary>
    /// A value as a message may quote it: at most <see cref="EchoLength"/> characters (the rest counted), control
    /// characters and lone surrogates written as \uXXXX.
    /// </summary>
    public static string Echo(string? value) => Echo(value, EchoLength);

    /// <summary><see cref="Echo(string?)"/> keeping up to <paramref name="maxLength"/> characters (a library's message about the value).</summary>
    public static string Echo(string? value, int maxLength)
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
