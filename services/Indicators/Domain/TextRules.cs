using System.Globalization;
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
    public const int EchoLength = ServiceDefaults.Errors.Echo.MaxCharacters;

    public static bool IsOneLine(string text) => !Validation.HasControlCharacter(text);

    public static bool IsMultiLine(string text) => !Validation.HasControlCharacter(text, allowLineBreaksAndTabs: true);

    /// <summary>The description of a one-line attribute that breaks the character rule.</summary>
    public const string OneLineRule = "must be one line without control characters (tabs, line breaks, NUL …)";

    public const string MultiLineRule = Validation.MultiLineRule;

    /// <summary>Why a one-line value of at most <paramref name="maxLength"/> characters is refused; null when it is fine.</summary>
    public static string? OneLineFault(string value, int maxLength) =>
        value.Length > maxLength
            ? string.Create(CultureInfo.InvariantCulture, $"has {value.Length} characters; at most {maxLength} are accepted")
            : IsOneLine(value) ? null : OneLineRule;

    /// <summary>A value as a message may quote it: the services' one rule (<see cref="Watershed.ServiceDefaults.Errors.Echo"/>).</summary>
    public static string Echo(string? value) => ServiceDefaults.Errors.Echo.Of(value);

    /// <summary><see cref="Echo(string?)"/> keeping up to <paramref name="maxLength"/> characters (a library's message about the value).</summary>
    public static string Echo(string? value, int maxLength) => ServiceDefaults.Errors.Echo.Of(value, maxLength);
}
