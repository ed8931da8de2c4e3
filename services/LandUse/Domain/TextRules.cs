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
    public const int EchoLength = ServiceDefaults.Errors.Echo.MaxCharacters;

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

    public const string NotesRule = Validation.MultiLineRule;

    /// <summary>A value as a message may quote it: the services' one rule (<see cref="Watershed.ServiceDefaults.Errors.Echo"/>).</summary>
    public static string Echo(string? value) => ServiceDefaults.Errors.Echo.Of(value);

    /// <summary><see cref="Echo(string?)"/> keeping up to <paramref name="maxLength"/> characters (a library's message about the value).</summary>
    public static string Echo(string? value, int maxLength) => ServiceDefaults.Errors.Echo.Of(value, maxLength);
}
