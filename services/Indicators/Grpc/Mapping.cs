using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Export;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;
using Watershed.Indicators.Domain.Tracking;
using Watershed.ServiceDefaults.Grpc;

namespace Watershed.Indicators.Grpc;

/// <summary>Domain ⇄ contract conversions. Enums are twins, mapped by number (<see cref="EnumMapping"/>).</summary>
internal static class Mapping
{
    public static Timestamp ToTimestamp(this DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    /// <summary>Decimals travel as text, invariant culture, so thresholds and values stay exact.</summary>
    public static string Text(this decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Text(this DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static V1.Condition ToContract(this Condition c) => new()
    {
        Operator = c.Operator.ToContract<ComparisonOperator, V1.ComparisonOperator>(),
        Threshold = c.Threshold.Text(),
    };

    public static V1.Area ToContract(this Area a) => new()
    {
        Id = a.Id.ToString(),
        WatershedCode = a.WatershedCode,
        Level = a.Level.ToContract<AreaLevel, V1.AreaLevel>(),
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
        contract.InterviewDateFormat = m.InterviewDateFormat.ToContract<InterviewDateFormat, V1.InterviewDateFormat>();
        contract.WomenSubmissionIdColumn = m.WomenSubmissionIdColumn;
        contract.WomenParentIndexColumn = m.WomenParentIndexColumn;
        contract.ParentIndexColumn = m.ParentIndexColumn;
        return contract;
    }

    /// <summary>The round's own mapping as the request gives it; an unspecified (or unknown: the caller refuses it) date format is ISO.</summary>
    public static ColumnMapping ToDomain(this V1.ColumnMapping m) => new(
        [.. m.SubmissionIdColumns.Select(c => c.Trim())],
        m.AreaColumn.Trim(),
        m.HouseholdColumn.Trim(),
        m.HasWeightColumn ? m.WeightColumn.Trim() : null,
        m.InterviewDateColumn.Trim(),
        m.AnswerColumns.ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal))
    {
        InterviewDateFormat = System.Enum.IsDefined(m.InterviewDateFormat)
            ? m.InterviewDateFormat.ToDomainOrNull<V1.InterviewDateFormat, InterviewDateFormat>() ?? InterviewDateFormat.Iso
            : InterviewDateFormat.Iso,
        WomenSubmissionIdColumn = m.WomenSubmissionIdColumn.Trim(),
        WomenParentIndexColumn = m.WomenParentIndexColumn.Trim(),
        ParentIndexColumn = m.ParentIndexColumn.Trim(),
    };

    public static V1.SurveyRound ToContract(this SurveyRound r)
    {
        var round = new V1.SurveyRound
        {
            Id = r.Id.ToString(),
            WatershedId = r.WatershedId.ToString(),
            Name = r.Name,
            FcsCutoffs = r.FcsCutoffs.ToContract<Domain.Standard.FcsCutoffs, V1.FcsCutoffs>(),
            ColumnMapping = r.Form.Primary.ToContract(),
            CreatedAt = r.CreatedAt.ToTimestamp(),
        };
        round.LcsStrategies.AddRange(r.LcsStrategies.All);
        return round;
    }

    /// <summary>The most row errors an answer lists, so a file of a million bad cells is answered in a reply a client can read.</summary>
    public const int MaxListedRowErrors = 1000;

    public static V1.IngestResult ToContract(this IngestOutcome outcome)
    {
        var plan = outcome.Plan;
        var result = new V1.IngestResult
        {
            AcceptedRows = plan.AcceptedRows,
            StoredRows = outcome.StoredRows ?? plan.ToStore.Count,
            DuplicateRows = plan.DuplicateRows,
            ImportBatchId = outcome.ImportBatchId?.ToString() ?? "",
        };
        result.Errors.AddRange(plan.Errors.Take(MaxListedRowErrors).Select(e => new V1.RowError { Row = e.Row, Field = e.Field, Reason = e.Reason }));
        if (plan.Errors.Count > MaxListedRowErrors)
        {
            var first = plan.Errors[MaxListedRowErrors];
            result.Errors.Add(new V1.RowError
            {
                Row = first.Row,
                Field = RowError.WholeRow,
                Reason = string.Create(CultureInfo.InvariantCulture, $"{plan.Errors.Count - MaxListedRowErrors} more errors from this row on are not listed"),
            });
        }

        result.MappedColumnsNotInFile.AddRange(plan.MappedColumnsNotInFile);
        result.UnmappedColumns.AddRange(plan.UnmappedColumns);
        return result;
    }

    public static V1.ImportBatch ToContract(this ImportBatch b, int remainingRows) => new()
    {
        Id = b.Id.ToString(),
        SurveyRoundId = b.SurveyRoundId.ToString(),
        Source = b.Source.ToContract<ImportSource, V1.ImportSource>(),
        StoredRows = b.StoredRows,
        RemainingRows = remainingRows,
        StoredAt = b.StoredAt.ToTimestamp(),
        StoredBy = b.StoredBy,
        RemovalId = b.RemovalId?.ToString() ?? "",
    };

    public static V1.Removal ToContract(this SubmissionRemoval r)
    {
        var removal = new V1.Removal
        {
            Id = r.Id.ToString(),
            SurveyRoundId = r.SurveyRoundId.ToString(),
            ImportBatchId = r.ImportBatchId?.ToString() ?? "",
            RemovedAt = r.RemovedAt.ToTimestamp(),
            RemovedBy = r.RemovedBy,
            Reason = r.Reason,
        };
        removal.SubmissionIds.AddRange(r.SubmissionIds);
        removal.AreaIds.AddRange(r.AreaIds.Select(a => a.ToString()));
        return removal;
    }

    public static V1.Submission ToContract(this Submission s, string areaCode)
    {
        var submission = new V1.Submission
        {
            Id = s.SubmissionId,
            SurveyRoundId = s.SurveyRoundId.ToString(),
            AreaId = s.AreaId.ToString(),
            AreaCode = areaCode,
            HouseholdId = s.HouseholdId,
            InterviewDate = s.InterviewDate.Text(),
        };
        if (s.Weight is { } weight)
        {
            submission.Weight = (double)weight;
        }

        submission.Answers.Add(s.Answers.ToDictionary());
        foreach (var woman in s.Women)
        {
            var answers = new V1.WomanAnswers();
            answers.Answers.Add(woman.ToDictionary());
            submission.Women.Add(answers);
        }

        return submission;
    }

    public static V1.WomanScore ToWomanContract(this HouseholdScore s)
    {
        var score = new V1.WomanScore { Woman = s.Woman, Category = s.Category ?? "" };
        if (s.Value is { } value)
        {
            score.Value = (double)value;
        }

        score.MissingFields.AddRange(s.MissingFields);
        return score;
    }

    public static V1.HouseholdScore ToContract(this HouseholdScore s)
    {
        var score = new V1.HouseholdScore { IndicatorCode = s.IndicatorCode, Category = s.Category ?? "" };
        if (s.Value is { } value)
        {
            score.Value = (double)value;
        }

        score.MissingFields.AddRange(s.MissingFields);
        if (s.Details?.Nutrients is { } n)
        {
            score.FcsNutrition = new V1.FcsNutrition
            {
                VitaminA = Frequency(n.VitaminAFrequency), Protein = Frequency(n.ProteinFrequency), HaemIron = Frequency(n.HaemIronFrequency),
            };
            if (n.VitaminA is { } vitaminA)
            {
                score.FcsNutrition.VitaminADays = vitaminA;
            }

            if (n.Protein is { } protein)
            {
                score.FcsNutrition.ProteinDays = protein;
            }

            if (n.HaemIron is { } haemIron)
            {
                score.FcsNutrition.HaemIronDays = haemIron;
            }
        }

        if (s.Details?.CariParts is { } p)
        {
            score.CariParts = new V1.CariParts { FoodExpenditureShare = p.FoodExpenditure is { } fes ? Dhis2Export.FormatValue(fes.Share) : "" };
            if (p.CurrentStatus is { } status)
            {
                score.CariParts.CurrentStatus = status;
            }

            if (p.LivelihoodCoping is { } coping)
            {
                score.CariParts.LivelihoodCoping = coping;
            }

            if (p.FoodExpenditure is { } share)
            {
                score.CariParts.FoodExpenditureClass = share.Class;
            }
        }

        return score;

        static V1.NutrientFrequency Frequency(NutrientFrequency? frequency) =>
            frequency?.ToContract<NutrientFrequency, V1.NutrientFrequency>() ?? V1.NutrientFrequency.Unspecified;
    }

    public static V1.Indicator ToContract(this IndicatorInfo info)
    {
        var indicator = new V1.Indicator
        {
            Code = info.Code,
            Name = info.Name,
            Unit = info.Unit,
            Direction = info.Direction.ToContract<Direction, V1.Direction>(),
        };
        indicator.Categories.AddRange(info.Categories.Select(c => new V1.IndicatorCategory { Code = c.Code, Label = c.Label, Rank = c.Rank }));
        return indicator;
    }

    public static V1.Indicator ToContract(this CustomIndicator custom)
    {
        var indicator = custom.Info.ToContract();
        var definition = custom.Definition;
        indicator.Custom = new V1.CustomDefinition
        {
            Aggregation = definition.Aggregation.ToContract<CustomAggregation, V1.CustomAggregation>(),
            Condition = definition.Condition?.ToContract(),
            AnswerField = definition.AnswerField,
        };
        return indicator;
    }

    public static V1.Aggregate ToContract(this IndicatorAggregate a, Area area, Guid? surveyRoundId)
    {
        var aggregate = new V1.Aggregate
        {
            AreaCode = area.Code,
            AreaName = area.Name,
            SurveyRoundId = surveyRoundId?.ToString() ?? "",
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

    public static Dhis2Mapping ToDomain(this V1.Dhis2Mapping m) => new(
        [.. m.Elements.Select(e => new Dhis2ElementMapping(e.IndicatorCode.Trim(), e.Metric.Trim(), e.DataElement.Trim(),
            string.IsNullOrWhiteSpace(e.CategoryOptionCombo) ? null : e.CategoryOptionCombo.Trim()))],
        m.OrgUnits.ToDictionary(p => p.Key, p => p.Value.Trim(), StringComparer.Ordinal));

    public static V1.Dhis2Mapping ToContract(this Dhis2Mapping m)
    {
        var contract = new V1.Dhis2Mapping();
        contract.Elements.AddRange(m.Elements.Select(e => new V1.Dhis2ElementMapping
        {
            IndicatorCode = e.IndicatorCode,
            Metric = e.Metric,
            DataElement = e.DataElement,
            CategoryOptionCombo = e.CategoryOptionCombo ?? "",
        }));
        contract.OrgUnits.Add(m.OrgUnits.ToDictionary());
        return contract;
    }

    public static V1.PlanTarget ToContract(this PlanTarget t) => new()
    {
        Id = t.Id.ToString(),
        PlanId = t.PlanId.ToString(),
        GoalId = t.GoalId.ToString(),
        IndicatorCode = t.IndicatorCode,
        AreaId = t.AreaId.ToString(),
        Metric = t.Metric.ToString(),
        Direction = t.Direction.ToContract<Direction, V1.Direction>(),
        BaselineValue = t.Baseline.Value.Text(),
        BaselinePeriod = t.Baseline.Period.ToString(),
        TargetValue = t.Target.Value.Text(),
        TargetDate = t.Target.Date.Text(),
        GoalDropped = t.GoalDropped,
        GoalDroppedInVersionId = t.GoalDroppedInVersionId?.ToString() ?? string.Empty,
    };

    public static V1.AlertRule ToContract(this AlertRule r) => new()
    {
        Id = r.Id.ToString(),
        IndicatorCode = r.IndicatorCode,
        AreaId = r.AreaId.ToString(),
        Metric = r.Metric.ToString(),
        Condition = r.Condition.ToContract(),
        PeriodType = r.PeriodType.ToContract<PeriodType, V1.PeriodType>(),
    };

    public static V1.Alert ToContract(this Alert a, AlertRule rule, Area area) => new()
    {
        AreaCode = area.Code,
        AreaName = area.Name,
        Condition = AlertWording.Describe(rule.IndicatorCode, rule.Metric, rule.Condition),
        Summary = AlertWording.Summarise(rule, a, area),
        Id = a.Id.ToString(),
        RuleId = a.RuleId.ToString(),
        State = a.State.ToContract<AlertState, V1.AlertState>(),
        Period = a.Period.ToString(),
        ObservedValue = Dhis2Export.FormatValue(a.ObservedValue),
        ChangedAt = a.ChangedAt.ToTimestamp(),
        IndicatorCode = rule.IndicatorCode,
        AreaId = rule.AreaId.ToString(),
        Metric = rule.Metric.ToString(),
        N = a.N,
    };
}
