using System.Text.RegularExpressions;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Standard;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Custom;

/// <summary>The proto enum's twin (same names and numbers, no zero).</summary>
public enum CustomAggregation
{
    /// <summary>Σwᵢxᵢ / Σwᵢ: e.g. minutes to the nearest water source.</summary>
    Mean = 1,

    /// <summary>Σwᵢxᵢ: a total, estimated for the population when the survey is weighted (e.g. hectares irrigated).</summary>
    Sum = 2,

    /// <summary>Percentage (0–100) of households, by weight, whose value meets the condition (e.g. share with ≥ 2 ha).</summary>
    ShareMeetingCondition = 3,
}

/// <summary>How a custom indicator is computed: from which answer field, aggregated how.</summary>
public sealed record CustomDefinition(CustomAggregation Aggregation, Condition? Condition, string AnswerField)
{
    /// <summary>Every problem with the definition, named by its attribute (snake_case, as in the contract).</summary>
    public IReadOnlyList<FieldViolation> Validate()
    {
        var errors = new List<FieldViolation>();
        if (!Enum.IsDefined(Aggregation))
        {
            errors.Add(new FieldViolation("aggregation", "is required"));
        }
        else if (Aggregation == CustomAggregation.ShareMeetingCondition && Condition is null)
        {
            errors.Add(new FieldViolation("condition", "is required for a share of households meeting a condition"));
        }
        else if (Aggregation != CustomAggregation.ShareMeetingCondition && Condition is not null)
        {
            errors.Add(new FieldViolation("condition", "applies only to a share of households meeting a condition"));
        }

        if (Condition is not null && !Enum.IsDefined(Condition.Operator))
        {
            errors.Add(new FieldViolation("condition.operator", "is required"));
        }

        if (!AnswerField.StartsWith(AnswerFields.CustomPrefix, StringComparison.Ordinal) || !AnswerFields.IsKnown(AnswerField))
        {
            errors.Add(new FieldViolation("answer_field", $"must be {AnswerFields.CustomPrefix}<name> in lower_snake_case"));
        }

        return errors;
    }
}

/// <summary>
/// An indicator a watershed defines itself, read from one numeric answer field ("custom.&lt;name&gt;").
/// </summary>
public sealed partial class CustomIndicator
{
    public const int MaxNameLength = 200;

    public const int MaxUnitLength = 60;

    // The definition is stored as columns; these fields are what EF reads and writes.
    private CustomAggregation _aggregation;
    private ComparisonOperator? _conditionOperator;
    private decimal? _conditionThreshold;

    private CustomIndicator(Guid id, Guid watershedId, string code, string name, string unit, Direction direction, string answerField, DateTimeOffset createdAt)
    {
        Id = id;
        WatershedId = watershedId;
        Code = code;
        Name = name;
        Unit = unit;
        Direction = direction;
        AnswerField = answerField;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The watershed area that defined it; its code is unique there.</summary>
    public Guid WatershedId { get; private set; }

    public string Code { get; private set; }

    public string Name { get; private set; }

    public string Unit { get; private set; }

    public Direction Direction { get; private set; }

    /// <summary>The canonical answer field ("custom.&lt;name&gt;") the household value is read from.</summary>
    public string AnswerField { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public CustomAggregation Aggregation => _aggregation;

    public Condition? Condition => _conditionOperator is { } op ? new Condition(op, _conditionThreshold!.Value) : null;

    public CustomDefinition Definition => new(_aggregation, Condition, AnswerField);

    /// <summary>
    /// Every problem with a definition, named by its contract path: the indicator's own attributes, and its
    /// definition's under "definition".
    /// </summary>
    public static IReadOnlyList<FieldViolation> Validate(string code, string name, string unit, Direction direction, CustomDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<FieldViolation>();
        if (!CodePattern().IsMatch(code))
        {
            errors.Add(new FieldViolation("code", "must be 2–32 characters: an upper-case letter, then upper-case letters, digits or _"));
        }
        else if (HouseholdScorer.Find(code) is not null)
        {
            errors.Add(new FieldViolation("code", $"{code} is a standard indicator"));
        }

        errors.AddRange(Text("name", name, MaxNameLength));
        errors.AddRange(Text("unit", unit, MaxUnitLength));
        if (!Enum.IsDefined(direction))
        {
            errors.Add(new FieldViolation("direction", "is required"));
        }

        errors.AddRange(definition.Validate().Select(v => v.Under("definition")));
        return errors;

        static IEnumerable<FieldViolation> Text(string field, string value, int maxLength) =>
            string.IsNullOrWhiteSpace(value) ? [new FieldViolation(field, "is required")]
            : value.Length > maxLength ? [new FieldViolation(field, $"must be at most {maxLength} characters")]
            : [];
    }

    /// <summary>A watershed's new indicator; throws INVALID_ARGUMENT naming every problem (<see cref="Validate"/>).</summary>
    public static CustomIndicator Define(Guid watershedId, string code, string name, string unit, Direction direction, CustomDefinition definition, DateTimeOffset now)
    {
        if (Validate(code, name, unit, direction, definition) is { Count: > 0 } violations)
        {
            throw new InvalidArgumentException(violations);
        }

        return new CustomIndicator(Guid.CreateVersion7(), watershedId, code, name, unit, direction, definition.AnswerField, now)
        {
            _aggregation = definition.Aggregation,
            _conditionOperator = definition.Condition?.Operator,
            _conditionThreshold = definition.Condition?.Threshold,
        };
    }

    /// <summary>This household's value; null when unanswered, with an error when unreadable.</summary>
    public ScoreResult<CustomValue> Read(AnswerSheet answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var reader = answers.Read();
        var value = reader.Number(AnswerField);
        return reader.Errors.Count > 0 ? ScoreResult<CustomValue>.Rejected(reader.Errors)
            : value is null ? ScoreResult<CustomValue>.Missing([AnswerField])
            : ScoreResult<CustomValue>.Scored(new CustomValue(value.Value));
    }

    /// <summary>
    /// Aggregates household values. Missing values are left out and counted in n_missing; survey weights
    /// are all or none (<see cref="SurveyWeights"/>).
    /// </summary>
    public CustomAggregate Evaluate(IEnumerable<WeightedValue> households)
    {
        ArgumentNullException.ThrowIfNull(households);
        var list = households.ToList();
        var weights = SurveyWeights.Effective([.. list.Select(h => h.Weight)]);
        var present = list.Select((h, i) => (Value: h.Value, Weight: weights[i]))
            .Where(h => h.Value is { } v && Math.Abs(v) <= AnswerReader.MaxNumber).ToList();
        var sumWeights = present.Sum(h => h.Weight);
        decimal? value = present.Count == 0 ? null : Aggregation switch
        {
            CustomAggregation.Mean => present.Sum(h => h.Weight * h.Value!.Value) / sumWeights,
            CustomAggregation.Sum => present.Sum(h => h.Weight * h.Value!.Value),
            _ => 100m * present.Where(h => Condition!.IsMetBy(h.Value!.Value)).Sum(h => h.Weight) / sumWeights,
        };
        return new CustomAggregate(Code, value, present.Count, list.Count - present.Count, sumWeights);
    }

    /// <summary>Category codes of a share indicator: a household meets the condition or does not.</summary>
    public const string MeetsCategory = "meets";
    public const string DoesNotMeetCategory = "does_not_meet";

    /// <summary>
    /// The indicator as aggregation sees it. A share indicator has the two categories meets / does_not_meet, so
    /// its figure is percent:meets with n behind it, computed by the same aggregation as the standard indicators.
    /// </summary>
    public IndicatorInfo Info => new(Code, Name, Unit, Direction, Aggregation == CustomAggregation.ShareMeetingCondition
        ? [new IndicatorCategory(MeetsCategory, "Meets the condition", 1), new IndicatorCategory(DoesNotMeetCategory, "Does not meet the condition", 2)]
        : []);

    /// <summary>The figure a custom aggregation reports, named as an <see cref="AggregateMetric"/>.</summary>
    public AggregateMetric HeadlineMetric => Aggregation switch
    {
        CustomAggregation.Mean => AggregateMetric.Mean,
        CustomAggregation.Sum => AggregateMetric.Sum,
        _ => AggregateMetric.Percent(MeetsCategory),
    };

    /// <summary>The household's stored score: its value, and for a share indicator whether it meets the condition.</summary>
    public Ingest.StoredScore ToStoredScore(ScoreResult<CustomValue> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var value = result.Value?.Value;
        var category = value is null || Aggregation != CustomAggregation.ShareMeetingCondition ? null
            : Condition!.IsMetBy(value.Value) ? MeetsCategory : DoesNotMeetCategory;
        return new Ingest.StoredScore(Code, value, category, result.MissingFields);
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,31}$")]
    private static partial Regex CodePattern();
}

public sealed record CustomValue(decimal Value);

/// <summary>The aggregate, always with n (households behind it), n_missing and Σw.</summary>
public sealed record CustomAggregate(string Code, decimal? Value, int N, int NMissing, decimal SumOfWeights);
