using System.Globalization;
using Watershed.Indicators.Domain.Aggregation;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>How a form's export writes the interview date, as the round states it. The proto enum's twin (same names and numbers, no zero).</summary>
public enum InterviewDateFormat
{
    /// <summary>yyyy-MM-dd (KoboToolbox and ODK), the default.</summary>
    Iso = 1,

    /// <summary>dd/MM/yyyy, as a spreadsheet set to Spanish (Peru) writes it; "-" or "." may separate too.</summary>
    DayMonthYear = 2,

    /// <summary>MM/dd/yyyy, as a spreadsheet set to US English writes it; "-" or "." may separate too.</summary>
    MonthDayYear = 3,
}

/// <summary>Reads interview dates in the round's format, and always in ISO form, which no other format can be mistaken for.</summary>
public static class InterviewDates
{
    /// <summary>
    /// A date in the years a period may name (an interview outside them could never be reported), or null. Whatever the
    /// round's format, a date that starts with its four-digit year is read as yyyy-MM-dd (an export of this service, a
    /// Kobo date); otherwise the round's <paramref name="format"/> decides, with one or two digits for day and month. A
    /// time after the date (after "T" or a space, as Kobo writes _submission_time and start) is ignored.
    /// </summary>
    public static DateOnly? Parse(string? text, InterviewDateFormat format)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var end = text.IndexOfAny(['T', ' ']);
        var datePart = end < 0 ? text : text[..end];
        DateOnly date;
        var parsed = datePart.Length == 10 && datePart[4] == '-'
            ? DateOnly.TryParseExact(datePart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            : TryParseYearLast(datePart, format, out date);
        return parsed && Period.IsReportingDate(date) ? date : null;
    }

    /// <summary>How the round's format is written, for messages.</summary>
    public static string Pattern(InterviewDateFormat format) => format switch
    {
        InterviewDateFormat.DayMonthYear => "dd/MM/yyyy",
        InterviewDateFormat.MonthDayYear => "MM/dd/yyyy",
        _ => "yyyy-MM-dd",
    };

    private static bool TryParseYearLast(string text, InterviewDateFormat format, out DateOnly date)
    {
        date = default;
        if (format == InterviewDateFormat.Iso)
        {
            return false;
        }

        // One separator throughout: "/", "-" or ".".
        var separator = text.FirstOrDefault(c => !char.IsAsciiDigit(c));
        var parts = text.Split(separator);
        if (separator is not ('/' or '-' or '.') || parts.Length != 3 || parts[2].Length != 4 || parts[0].Length is < 1 or > 2
            || parts[1].Length is < 1 or > 2 || !parts.All(p => p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        var (first, second, year) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        var (day, month) = format == InterviewDateFormat.DayMonthYear ? (first, second) : (second, first);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }
}
