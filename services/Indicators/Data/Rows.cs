using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Custom;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Data;

// Stored rows. The rules live in Domain/; these carry what is stored and what queries filter on.

public sealed class AreaRow
{
    public Guid Id { get; init; }
    public required string WatershedCode { get; init; }
    public AreaLevel Level { get; init; }
    public Guid? ParentId { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public Guid? ConsultationOrganizationId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class SurveyRoundRow
{
    public Guid Id { get; init; }
    public Guid WatershedAreaId { get; init; }
    public required string Name { get; init; }
    public FcsCutoffs FcsCutoffs { get; init; }

    /// <summary>The column mapping as JSON; null for the WFP-style default.</summary>
    public string? ColumnMappingJson { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class SubmissionRow
{
    public Guid Id { get; init; }
    public Guid SurveyRoundId { get; init; }

    /// <summary>Kobo _uuid or ODK instanceID: unique in the round, the safety net under concurrent imports.</summary>
    public required string SubmissionId { get; init; }
    public Guid AreaId { get; init; }
    public required string HouseholdId { get; init; }
    public decimal? Weight { get; init; }
    public DateOnly InterviewDate { get; init; }

    /// <summary>The answer columns as a JSON array of [column, value] pairs, in the order of the file.</summary>
    public required string AnswersJson { get; init; }
    public required string Fingerprint { get; init; }
    public DateTimeOffset StoredAt { get; init; }

    /// <summary>The row in its batch: with <see cref="StoredAt"/>, keeps a file's order for its export.</summary>
    public int Row { get; init; }
}

/// <summary>A household's figure on one indicator, computed once at ingest; placed (area, date, weight) for aggregation.</summary>
public sealed class HouseholdScoreRow
{
    public Guid SubmissionRowId { get; init; }
    public required string IndicatorCode { get; init; }
    public Guid SurveyRoundId { get; init; }
    public Guid AreaId { get; init; }
    public DateOnly InterviewDate { get; init; }
    public decimal? Weight { get; init; }
    public decimal? Value { get; init; }
    public string? Category { get; init; }

    /// <summary>Canonical fields whose answers were missing, space-separated.</summary>
    public required string MissingFields { get; init; }
}

public sealed class CustomIndicatorRow
{
    public Guid Id { get; init; }
    public Guid WatershedAreaId { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Unit { get; init; }
    public Direction Direction { get; init; }
    public CustomAggregation Aggregation { get; init; }
    public ComparisonOperator? ConditionOperator { get; init; }
    public decimal? ConditionThreshold { get; init; }
    public required string AnswerField { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public CustomIndicatorDefinition ToDefinition() => new(
        Code, Name, Unit, Direction, Aggregation,
        ConditionOperator is { } op ? new Condition(op, ConditionThreshold!.Value) : null,
        AnswerField);
}

public sealed class Dhis2MappingRow
{
    public Guid WatershedAreaId { get; init; }
    public required string MappingJson { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class PlanTargetRow
{
    public Guid Id { get; init; }
    public Guid PlanId { get; init; }
    public Guid GoalId { get; init; }
    public required string IndicatorCode { get; init; }
    public Guid AreaId { get; init; }
    public required string Metric { get; init; }
    public Direction Direction { get; init; }
    public decimal BaselineValue { get; init; }
    public required string BaselinePeriod { get; init; }
    public decimal TargetValue { get; init; }
    public DateOnly TargetDate { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class AlertRuleRow
{
    public Guid Id { get; init; }
    public required string IndicatorCode { get; init; }
    public Guid AreaId { get; init; }
    public required string Metric { get; init; }
    public ComparisonOperator Operator { get; init; }
    public decimal Threshold { get; init; }
    public PeriodType PeriodType { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Deleted rules stop being evaluated; their alerts stay as history.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}

public enum AlertState
{
    Raised = 1,
    Cleared = 2,
}

public sealed class AlertRow
{
    public Guid Id { get; init; }
    public Guid RuleId { get; init; }
    public AlertState State { get; init; }
    public required string Period { get; init; }
    public DateOnly PeriodStart { get; init; }
    public decimal ObservedValue { get; init; }
    public int N { get; init; }
    public DateTimeOffset ChangedAt { get; init; }
}
