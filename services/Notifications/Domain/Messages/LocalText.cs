using System.Globalization;

namespace Watershed.Notifications.Domain.Messages;

/// <summary>Dates, periods and figures as people in the watershed write them, per language; times in local time.</summary>
public static class LocalText
{
    private static readonly string[] SpanishMonths =
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>Quechua writes month names as Spanish loans ("marzo killapi").</summary>
    public static string Month(int month, Language language) =>
        language == Language.En ? EnglishMonths[month - 1] : SpanishMonths[month - 1];

    public static string Clock(DateTime local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A figure with at most one decimal and a point (as used in Peru), no grouping: "1234.5".</summary>
    public static string Number(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>An indicator value written by indicators as decimal text, rounded to one decimal; a share gets " %".</summary>
    public static string Value(string observed, bool isPercent)
    {
        var text = decimal.TryParse(observed, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture)
            : observed;
        return isPercent ? $"{text} %" : text;
    }

    /// <summary>Indicators' period (2026, 2026Q3, 202603) in words; anything else as given.</summary>
    public static string Period(string period, Language language)
    {
        if (period.Length == 6 && period[4] == 'Q' && int.TryParse(period.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && period[5] is >= '1' and <= '4')
        {
            var quarter = period[5] - '0';
            return language switch
            {
                Language.En => $"Q{quarter} {year}",
                Language.Qu => $"{year}, trimestre {quarter}",
                _ => $"trimestre {quarter} de {year}",
            };
        }

        if (period.Length == 6 && int.TryParse(period.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out year)
            && int.TryParse(period.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
        {
            return language switch
            {
                Language.En => $"{Month(month, language)} {year}",
                Language.Qu => $"{Month(month, language)} killa {year}",
                _ => $"{Month(month, language)} de {year}",
            };
        }

        return period;
    }

    /// <summary>"1 zona" / "2 zonas": Spanish and English plurals by count.</summary>
    public static string Count(int n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
