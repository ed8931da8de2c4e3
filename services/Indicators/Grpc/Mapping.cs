using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Watershed.Indicators.Data;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Ingest;
using Watershed.ServiceDefaults.Errors;
using V1 = Watershed.Indicators.V1;

namespace Watershed.Indicators.Grpc;

/// <summary>
/// Domain ↔ contract mapping. Proto enums start with an UNSPECIFIED zero and the domain's enums do not, so a
/// domain value is the proto number minus one (area levels and alert states keep the proto numbers).
/// </summary>
internal static class Mapping
{
    public const int MaxPeriods = 240;

    public static Timestamp ToTimestamp(this DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static string Text(this decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static TDomain ToDomain<TDomain>(this System.Enum value)
        where TDomain : struct, System.Enum =>
        (TDomain)System.Enum.ToObject(typeof(TDomain), Convert.ToInt32(value, CultureInfo.InvariantCulture) - 1);

    public static TProto ToProto<TProto>(this System.Enum value)
        where TProto : struct, System.Enum =>
        (TProto)System.Enum.ToObject(typeof(TProto), Convert.ToInt32(value, CultureInfo.InvariantCulture) + 1);

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
    public static IReadOnlyList<Period> PeriodRange(this Validation v, V1.PeriodType type, string from, string to, string prefix = "")
    {
        v.Enum(type, prefix + "period_type");
        if (type is V1.PeriodType.Unspecified || !System.Enum.IsDefined(type))
        {
            return [];
        }

        var domainType = type.ToDomain<PeriodType>();
        var first = v.Period(from, prefix + "from_period", domainType);
        var last = v.Period(to, prefix + "to_period", domainType);
        if (first is null || last is null)
        {
            return [];
        }

        var periods = Domain.Aggregation.Period.Range(first, last);
        v.Check(periods.Count > 0, prefix + "to_period", "must not come before from_period");
        v.Check(periods.Count <= MaxPeriods, prefix + "to_period", $"the range may hold at most {MaxPeriods} periods");
        return periods;
    }

    public static Condition? Condition(this Validation v, V1.Condition? condition, string field)
    {
        if (condition is null)
        {
            v.Add(field, "is required");
            return null;
        }

        v.Enum(condition.Operator, field + ".operator");
        var threshold = v.Decimal(condition.Threshold, field + ".threshold");
        return condition.Operator is V1.ComparisonOperator.Unspecified || !System.Enum.IsDefined(condition.Operator) || threshold is null
            ? null
            : new Condition(condition.Operator.ToDomain<ComparisonOperator>(), threshold.Value);
    }

    public static V1.Condition ToContract(this Condition c) => new()
    {
        Operator = c.Operator.ToProto<V1.ComparisonOperator>(),
        Threshold = c.Threshold.Text(),
    };

    public static V1.Area ToContract(this AreaRow a) => new()
    {
        Id = a.Id.ToString(),
        WatershedCode = a.WatershedCode,
        Level = (V1.AreaLevel)a.Level,
        ParentId = a.ParentId?.ToString() ?? "",
        Code = a.Code,
        Name = a.Name,
        ConsultationOrganizationId = a.ConsultationOrganizationId?.ToString() ?? "",
        CreatedAt = a.CreatedAt.ToTimestamp(),
    };

    public static V1.ColumnMapping ToContract(this ColumnMapping m)
    {
        var contract = new V1.ColumnMapping
        {
            AreaColumn = m.AreaColumn,
            HouseholdColumn = m.HouseholdColumn,
            InterviewDateColumn = m.InterviewDateColumn,
        };
        contract.SubmissionIdColumns.AddRange(m.SubmissionIdColumns);
        if (m.WeightColumn is not null)
        {
            contract.WeightColumn = m.WeightColumn;
        }

        contract.AnswerColumns.Add(m.AnswerColumns.ToDictionary());
        return contract;
    }

    /// <summary>The contract's mapping as the domain's; the domain's checks are reported under the contract's field names.</summary>
    public static ColumnMapping ToDomain(this V1.ColumnMapping m, Validation v, string prefix)
    {
        var mapping = new ColumnMapping(
            [.. m.SubmissionIdColumns.Select(c => c.Trim())],
            m.AreaColumn.Trim(),
            m.HouseholdColumn.Trim(),
            m.HasWeightColumn ? m.WeightColumn.Trim() : null,
            m.InterviewDateColumn.Trim(),
            m.AnswerColumns.ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal));
        foreach (var error in mapping.Validate())
        {
            var field = error.Field switch
            {
                "submission_id" => "submission_id_columns",
                "area" => "area_column",
                "household" => "household_column",
                "interview_date" => "interview_date_column",
                "weight" => "weight_column",
                _ => $"answer_columns[{error.Field}]",
            };
            v.Add($"{prefix}.{field}", error.Reason);
        }

        return mapping;
    }

    public static V1.SurveyRound ToContract(this SurveyRoundRow r) => new()
    {
        Id = r.Id.ToString(),
        WatershedId = r.WatershedAreaId.ToString(),
        Name = r.Name,
        FcsCutoffs = r.FcsCutoffs.ToProto<V1.FcsCutoffs>(),
        ColumnMapping = SurveyIngest.MappingOf(r).ToContract(),
        CreatedAt = r.CreatedAt.ToTimestamp(),
    };

    public static V1.IngestResult ToContract(this IngestPlan plan)
    {
        var result = new V1.IngestResult
        {
            AcceptedRows = plan.AcceptedRows,
            StoredRows = plan.ToStore.Count,
            DuplicateRows = plan.DuplicateRows,
        };
        result.Errors.AddRange(plan.Errors.Select(e => new V1.RowError { Row = e.Row, Field = e.Field, Reason = e.Reason }));
        result.MappedColumnsNotInFile.AddRange(plan.MappedColumnsNotInFile);
        return result;
    }

    public static V1.Indicator ToContract(this IndicatorInfo info, CustomIndicatorDefinition? custom)
    {
        var indicator = new V1.Indicator
        {
            Code = info.Code,
            Name = info.Name,
            Unit = info.Unit,
            Direction = info.Direction.ToProto<V1.Direction>(),
        };
        indicator.Categories.AddRange(info.Categories.Select(c => new V1.IndicatorCategory { Code = c.Code, Label = c.Label, Rank = c.Rank }));
        if (custom is not null)
        {
            indicator.Custom = new V1.CustomDefinition
            {
                Aggregation = custom.Aggregation.ToProto<V1.CustomAggregation>(),
                Condition = custom.Condition?.ToContract(),
                AnswerField = custom.AnswerField,
            };
        }

        return indicator;
    }

    public static V1.Aggregate ToContract(this IndicatorAggregate a)
    {
        var aggregate = new V1.Aggregate
        {
            IndicatorCode = a.IndicatorCode,
            AreaId = a.AreaId,
            Period = a.Period.ToString(),
            N = a.N,
            NMissing = a.NMissing,
            SumOfWeights = (double)a.SumOfWeights,
        };
        if (a.Mean is { } mean)
        {
            aggregate.Mean = (double)mean;
        }

        if (a.WeightedSum is { } sum)
        {
            aggregate.WeightedSum = (double)sum;
        }

        aggregate.Distribution.AddRange(a.Distribution.Select(c => new V1.CategoryShare
        {
            Category = c.Category,
            N = c.N,
            SumOfWeights = (double)c.SumOfWeights,
            Percent = (double)(c.Percent ?? 0m),
        }));
        return aggregate;
    }

    public static V1.PlanTarget ToContract(this PlanTargetRow t) => new()
    {
        Id = t.Id.ToString(),
        PlanId = t.PlanId.ToString(),
        GoalId = t.GoalId.ToString(),
        IndicatorCode = t.IndicatorCode,
        AreaId = t.AreaId.ToString(),
        Metric = t.Metric,
        Direction = t.Direction.ToProto<V1.Direction>(),
        BaselineValue = t.BaselineValue.Text(),
        BaselinePeriod = t.BaselinePeriod,
        TargetValue = t.TargetValue.Text(),
        TargetDate = t.TargetDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public static V1.AlertRule ToContract(this AlertRuleRow r) => new()
    {
        Id = r.Id.ToString(),
        IndicatorCode = r.IndicatorCode,
        AreaId = r.AreaId.ToString(),
        Metric = r.Metric,
        Condition = new Condition(r.Operator, r.Threshold).ToContract(),
        PeriodType = r.PeriodType.ToProto<V1.PeriodType>(),
    };

    public static V1.Alert ToContract(this AlertRow a, AlertRuleRow rule) => new()
    {
        Id = a.Id.ToString(),
        RuleId = a.RuleId.ToString(),
        State = (V1.AlertState)a.State,
        Period = a.Period,
        ObservedValue = Domain.Export.Dhis2Export.FormatValue(a.ObservedValue),
        ChangedAt = a.ChangedAt.ToTimestamp(),
        IndicatorCode = rule.IndicatorCode,
        AreaId = rule.AreaId.ToString(),
        Metric = rule.Metric,
        N = a.N,
    };
}
