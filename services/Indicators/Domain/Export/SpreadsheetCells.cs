using System.Text.RegularExpressions;

namespace Watershed.Indicators.Domain.Export;

/// <summary>
/// Keeps a CSV export from running formulas when a spreadsheet opens it (OWASP's CSV injection rule). A text cell — one
/// that repeats what a person or a file sent: ids, codes, names, column names, answers — that begins with "=", "+",
/// "-", "@", a tab, a carriage return or a line feed gets a single quote in front, so the spreadsheet shows it as text;
/// the CSV writer then quotes it as RFC 4180 asks. A text cell that is a plain decimal number ("-5", "+2.25") is left as
/// it is: no spreadsheet evaluates it as anything but that number, and a re-import reads it back unchanged. Data
/// cells the service formats itself (weights, dates, figures) are never changed, so "-2.5" stays a number.
/// </summary>
public static partial class SpreadsheetCells
{
    /// <summary>A text cell, neutralised when a spreadsheet would read it as a formula.</summary>
    public static string Text(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' && !PlainNumber().IsMatch(value)
            ? "'" + value
            : value;

    [GeneratedRegex("^[+-]?[0-9]+(\\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainNumber();
}
