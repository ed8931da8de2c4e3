using System.Globalization;
using System.Text;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>
/// What land use accepts as text and how it repeats a caller's text back. Names, titles, goals, uses and reasons are
/// one line: no control character at all (NUL, tab, line breaks, vertical tab, escape …) and no lone surrogate.
/// Notes may hold line breaks and tabs, nothing else of the kind. PostgreSQL cannot store NUL, and KML (XML 1.0),
/// GeoJSON and SMS cannot carry the rest, so they are refused where they come in: requests and imported files alike.
/// </summary>
public static class TextRules
{
    /// <summary>How many characters of a refused value a message repeats, so a huge value never makes a huge reply.</summary>
    public const int EchoLength = 40;

    public static bool IsOneLine(string text) => !Validation.HasControlCharacter(text);

    public static bool IsNotes(string text) => !Validation.HasControlCharacter(text, allowLineBreaksAndTabs: true);

    /// <summary>
    /// Text as XML 1.0 (KML) can carry it, whatever was stored before these rules: characters XML cannot hold (C0
    /// controls other than tab, line feed and carriage return; lone surrogates; U+FFFE and U+FFFF) are dropped.
    /// </summary>
    public static string ForXml(string text) => Keep(text, c => c is '\t' or '\n' or '\r' || (c >= ' ' && c is not ('\uFFFE' or '\uFFFF')));

    /// <summary>Text as UTF-8 JSON can carry it: lone surrogates are dropped (control characters are escaped by the writer).</summary>
    public static string ForJson(string text) => Keep(text, _ => true);

    private static string Keep(string text, Func<char, bool> allowed)
    {
        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(c).Append(text[++i]);
            }
            else if (!char.IsSurrogate(c) && allowed(c))
            {
                kept.Append(c);
            }
        }

        return kept.Length == text.Length ? text : kept.ToString();
    }

    /// <summary>The description of a one-line attribute that breaks the character rule.</summary>
    public const string OneLineRule = "must be one line without control characters (tabs, line breaks, NUL …)";

    public const string NotesRule = "must not contain control characters other than line breaks and tabs";

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
