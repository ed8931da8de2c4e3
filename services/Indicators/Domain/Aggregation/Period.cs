using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Watershed.Indicators.Domain.Aggregation;

/// <summary>The proto enum's twin (same names and numbers, no zero).</summary>
public enum PeriodType
{
    Year = 1,
    Quarter = 2,
    Month = 3,
}

/// <summary>
/// A reporting period written as DHIS2 writes it (indicators.md, DHIS2 export): "2026", "2026Q1", "202603".
/// <see cref="Number"/> is the quarter (1–4) or month (1–12); 0 for a year. The type holds any year 1–9999, so a
/// stored period always reads back; requests and interview dates are held to <see cref="FirstYear"/>–<see cref="LastYear"/>.
/// </summary>
public sealed record Period
{
    /// <summary>The first year a request may name or an interview may fall in.</summary>
    public const int FirstYear = 1900;

    /// <summary>The last year a request may name or an interview may fall in.</summary>
    public const int LastYear = 2199;

    private Period(PeriodType type, int year, int number)
    {
        Type = type;
        Year = year;
        Number = number;
    }

    public PeriodType Type { get; }

    public int Year { get; }

    public int Number { get; }

    public DateOnly Start => Type switch
    {
        PeriodType.Year => new DateOnly(Year, 1, 1),
        PeriodType.Quarter => new DateOnly(Year, (Number * 3) - 2, 1),
        _ => new DateOnly(Year, Number, 1),
    };

    /// <summary>The last day, inclusive (computed without stepping past it, so 9999Q4 ends on 9999-12-31).</summary>
    public DateOnly End => Type switch
    {
        PeriodType.Year => new DateOnly(Year, 12, 31),
        PeriodType.Quarter => new DateOnly(Year, Number * 3, DateTime.DaysInMonth(Year, Number * 3)),
        _ => new DateOnly(Year, Number, DateTime.DaysInMonth(Year, Number)),
    };

    /// <summary>Within the years requests may name (<see cref="FirstYear"/>–<see cref="LastYear"/>).</summary>
    public bool IsInReportingYears => Year is >= FirstYear and <= LastYear;

    /// <summary>Whether a date falls in the years requests may name, so its periods can be asked for.</summary>
    public static bool IsReportingDate(DateOnly date) => date.Year is >= FirstYear and <= LastYear;

    /// <summary>The number of periods of one type from <paramref name="from"/> to <paramref name="to"/>, both included; 0 or less when to comes first.</summary>
    public static int Count(Period from, Period to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return from.Type != to.Type
            ? throw new ArgumentException($"{from} and {to} are periods of different types.", nameof(to))
            : to.Ordinal - from.Ordinal + 1;
    }

    /// <summary>Periods of one type counted from year 0, so two periods subtract to their distance.</summary>
    private int Ordinal => Type switch
    {
        PeriodType.Year => Year,
        PeriodType.Quarter => (Year * 4) + Number - 1,
        _ => (Year * 12) + Number - 1,
    };

    public static Period ForYear(int year) => new(PeriodType.Year, CheckYear(year), 0);

    public static Period ForQuarter(int year, int quarter) =>
        quarter is < 1 or > 4 ? throw new ArgumentOutOfRangeException(nameof(quarter), quarter, "A quarter is 1–4.") : new(PeriodType.Quarter, CheckYear(year), quarter);

    public static Period ForMonth(int year, int month) =>
        month is < 1 or > 12 ? throw new ArgumentOutOfRangeException(nameof(month), month, "A month is 1–12.") : new(PeriodType.Month, CheckYear(year), month);

    public static Period Containing(DateOnly date, PeriodType type) => type switch
    {
        PeriodType.Year => ForYear(date.Year),
        PeriodType.Quarter => ForQuarter(date.Year, ((date.Month - 1) / 3) + 1),
        PeriodType.Month => ForMonth(date.Year, date.Month),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    /// <summary>The period of the same type that follows this one.</summary>
    public Period Next() => Type switch
    {
        PeriodType.Year => ForYear(Year + 1),
        PeriodType.Quarter => Number == 4 ? ForQuarter(Year + 1, 1) : ForQuarter(Year, Number + 1),
        _ => Number == 12 ? ForMonth(Year + 1, 1) : ForMonth(Year, Number + 1),
    };

    /// <summary>Every period from <paramref name="from"/> to <paramref name="to"/>, both included; empty when to comes first.</summary>
    public static IReadOnlyList<Period> Range(Period from, Period to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Type != to.Type)
        {
            throw new ArgumentException($"{from} and {to} are periods of different types.", nameof(to));
        }

        // Counted first, so the last period is never stepped past (the period after 9999Q4 does not exist).
        var periods = new List<Period>();
        var p = from;
        for (var i = Count(from, to); i > 0; i--)
        {
            periods.Add(p);
            if (i > 1)
            {
                p = p.Next();
            }
        }

        return periods;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a period: use 2026, 2026Q1 or 202603.");

    public static bool TryParse(string? text, [NotNullWhen(true)] out Period? period)
    {
        period = null;
        if (text is null || text.Length < 4 || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1)
        {
            return false;
        }

        var rest = text.AsSpan(4);
        if (rest.IsEmpty)
        {
            period = ForYear(year);
        }
        else if (rest.Length == 2 && rest[0] == 'Q' && rest[1] is >= '1' and <= '4')
        {
            period = ForQuarter(year, rest[1] - '0');
        }
        else if (rest.Length == 2 && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
        {
            period = ForMonth(year, month);
        }

        return period is not null;
    }

    public override string ToString() => Type switch
    {
        PeriodType.Year => Year.ToString("D4", CultureInfo.InvariantCulture),
        PeriodType.Quarter => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}Q{Number}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}{Number:D2}"),
    };

    private static int CheckYear(int year) =>
        year is < 1 or > 9999 ? throw new ArgumentOutOfRangeException(nameof(year), year, "A year is 1–9999.") : year;
}
