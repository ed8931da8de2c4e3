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

    /// <summary>A decimal written with "." (invariant culture), as thresholds and values travel as text.</summary>
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

        if (decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        v.Add(field, $"'{text}' is not a decimal number such as 12.5");
        return null;
    }

    /// <summary>A date written yyyy-MM-dd.</summary>
    public static DateOnly? Date(this Validation v, string? text, string field)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        v.Add(field, string.IsNullOrWhiteSpace(text) ? "is required" : "must be a date such as 2028-12-31");
        return null;
    }

    public static Period? Period(this Validation v, string? text, string field, PeriodType? type = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            v.Add(field, "is required");
            return null;
        }

        if (!Domain.Aggregation.Period.TryParse(text, out var period))
        {
            v.Add(field, $"'{text}' is not a period: use 2026, 2026Q1 or 202603");
            return null;
        }

        if (type is { } t && period.Type != t)
        {
            v.Add(field, $"'{text}' is not a {t.ToString().ToLowerInvariant()}");
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

        var periods = Domain.Aggregation.Period.Range(first, last);
        v.Check(periods.Count > 0, "to_period", "must not come before from_period");
        v.Check(periods.Count <= MaxPeriods, "to_period", $"the range may hold at most {MaxPeriods} periods");
        return periods;
    }

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
