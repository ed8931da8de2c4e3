using System.Globalization;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;

namespace Watershed.Indicators.Grpc;

/// <summary>The request shapes this service reads beyond the shared <see cref="Validation"/>: decimals, periods, conditions, enums.</summary>
internal static class RequestValidation
{
    public const int MaxPeriods = 240;

    /// <summary>Adds violations a domain rule named (already under their contract path).</summary>
    public static Validation Add(this Validation v, IEnumerable<FieldViolation> violations)
    {
        foreach (var violation in violations)
        {
            v.Add(violation.Field, violation.Description);
        }

        return v;
    }

    /// <summary>A required proto enum as its domain twin; null (and a violation) when unspecified or unknown.</summary>
    public static TDomain? Enum<TProto, TDomain>(this Validation v, TProto value, string field)
        where TProto : struct, System.Enum
        where TDomain : struct, System.Enum
    {
        v.Enum(value, field);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture) != 0 && System.Enum.IsDefined(value) ? value.ToDomain<TProto, TDomain>() : null;
    }

    /// <summary>An optional proto enum as its domain twin; null when unspecified, a violation when unknown.</summary>
    public static TDomain? OptionalEnum<TProto, TDomain>(this Validation v, TProto value, string field)
        where TProto : struct, System.Enum
        where TDomain : struct, System.Enum
    {
        v.OptionalEnum(value, field);
        return System.Enum.IsDefined(value) ? value.ToDomainOrNull<TProto, TDomain>() : null;
    }

    /// <summary>The largest magnitude a decimal in a request may have (thresholds, baselines, targets).</summary>
    public const decimal MaxDecimal = 1_000_000_000_000m;

    /// <summary>The most decimal places a decimal in a request may have.</summary>
    public const int MaxDecimalPlaces = 6;

    /// <summary>
    /// A decimal written with "." (invariant culture), as thresholds and values travel as text: at most
    /// ±<see cref="MaxDecimal"/> with at most <see cref="MaxDecimalPlaces"/> decimals (trailing zeros aside), so every
    /// sum and difference the service forms with it stays far inside the decimal type.
    /// </summary>
    public static decimal? Decimal(this Validation v, string? text, string field, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                v.Add(field, "is required");
            }

            return null;
        }

        if (text.Length <= 64
            && decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            if (Math.Abs(value) <= MaxDecimal && decimal.Round(value, MaxDecimalPlaces) == value)
            {
                return value;
            }

            v.Add(field, $"'{TextRules.Echo(text)}' is out of range: a decimal from -1000000000000 to 1000000000000 with at most {MaxDecimalPlaces} decimals");
            return null;
        }

        v.Add(field, $"'{TextRules.Echo(text)}' is not a decimal number such as 12.5");
        return null;
    }

    /// <summary>A date written yyyy-MM-dd in the years a period may name (<see cref="Domain.Aggregation.Period.FirstYear"/>–<see cref="Domain.Aggregation.Period.LastYear"/>).</summary>
    public static DateOnly? Date(this Validation v, string? text, string field)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && Domain.Aggregation.Period.IsReportingDate(date))
        {
            return date;
        }

        v.Add(field, string.IsNullOrWhiteSpace(text) ? "is required" : YearsRule("must be a date such as 2028-12-31"));
        return null;
    }

    /// <summary>A period in DHIS2 form of the years <see cref="Domain.Aggregation.Period.FirstYear"/>–<see cref="Domain.Aggregation.Period.LastYear"/>.</summary>
    public static Period? Period(this Validation v, string? text, string field, PeriodType? type = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            v.Add(field, "is required");
            return null;
        }

        if (!Domain.Aggregation.Period.TryParse(text, out var period))
        {
            v.Add(field, $"'{TextRules.Echo(text)}' is not a period: use 2026, 2026Q1 or 202603");
            return null;
        }

        if (!period.IsInReportingYears)
        {
            v.Add(field, YearsRule($"'{TextRules.Echo(text)}' is out of range: a period"));
            return null;
        }

        if (type is { } t && period.Type != t)
        {
            v.Add(field, $"'{TextRules.Echo(text)}' is not a {t.ToString().ToLowerInvariant()}");
            return null;
        }

        return period;
    }

    /// <summary>An inclusive range of periods of one type, bounded so a read stays small.</summary>
    public static IReadOnlyList<Period> PeriodRange(this Validation v, V1.PeriodType type, string from, string to)
    {
        if (v.Enum<V1.PeriodType, PeriodType>(type, "period_type") is not { } periodType)
        {
            return [];
        }

        var first = v.Period(from, "from_period", periodType);
        var last = v.Period(to, "to_period", periodType);
        if (first is null || last is null)
        {
            return [];
        }

        // Counted before the periods are listed, so a range of thousands is refused without being built.
        var count = Domain.Aggregation.Period.Count(first, last);
        v.Check(count > 0, "to_period", "must not come before from_period");
        v.Check(count <= MaxPeriods, "to_period", $"the range may hold at most {MaxPeriods} periods");
        return count is > 0 and <= MaxPeriods ? Domain.Aggregation.Period.Range(first, last) : [];
    }

    private static string YearsRule(string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} in the years {Domain.Aggregation.Period.FirstYear}–{Domain.Aggregation.Period.LastYear}");

    public static AggregateMetric? Metric(this Validation v, string? text, string field)
    {
        var value = v.Text(text, field, 80);
        if (value.Length == 0)
        {
            return null;
        }

        if (AggregateMetric.TryParse(value, out var metric))
        {
            return metric;
        }

        v.Add(field, "must be mean, sum, sum_weights, n, n_missing, percent:<category>, weighted_count:<category> or count:<category>");
        return null;
    }

    /// <summary>A condition's operator and threshold; null when either is missing or malformed.</summary>
    public static Condition? Condition(this Validation v, V1.Condition condition, string field)
    {
        var op = v.Enum<V1.ComparisonOperator, ComparisonOperator>(condition.Operator, field + ".operator");
        var threshold = v.Decimal(condition.Threshold, field + ".threshold");
        return op is { } o && threshold is { } t ? new Condition(o, t) : null;
    }
}
