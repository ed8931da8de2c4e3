using System.Text.RegularExpressions;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Domain.Custom;

public enum CustomAggregation
{
    /// <summary>Σwᵢxᵢ / Σwᵢ: e.g. minutes to the nearest water source.</summary>
    Mean,

    /// <summary>Σwᵢxᵢ: a total, estimated for the population when the survey is weighted (e.g. hectares irrigated).</summary>
    Sum,

    /// <summary>Percentage (0–100) of households, by weight, whose value meets the condition (e.g. share with ≥ 2 ha).</summary>
    ShareMeetingCondition,
}

/// <summary>
/// An indicator a watershed defines itself, read from one numeric answer field ("custom.&lt;name&gt;").
/// </summary>
public sealed partial record CustomIndicatorDefinition(
    string Code,
    string Name,
    string Unit,
    Direction Direction,
    CustomAggregation Aggregation,
    Condition? Condition,
    string AnswerField)
{
    /// <summary>Every problem with the definition, named by property (lower_snake_case, as in the contract).</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (!CodePattern().IsMatch(Code))
        {
            errors.Add(new FieldError("code", "must be 2–32 characters: an upper-case letter, then upper-case letters, digits or _"));
        }
        else if (HouseholdScorer.Find(Code) is not null)
        {
            errors.Add(new FieldError("code", $"{Code} is a standard indicator"));
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(new FieldError("name", "is required"));
        }

        if (string.IsNullOrWhiteSpace(Unit))
        {
            errors.Add(new FieldError("unit", "is required"));
        }

        if (!Enum.IsDefined(Direction))
        {
            errors.Add(new FieldError("direction", "is required"));
        }

        if (!Enum.IsDefined(Aggregation))
        {
            errors.Add(new FieldError("aggregation", "is required"));
        }
        else if (Aggregation == CustomAggregation.ShareMeetingCondition && Condition is null)
        {
            errors.Add(new FieldError("condition", "is required for a share of households meeting a condition"));
        }
        else if (Aggregation != CustomAggregation.ShareMeetingCondition && Condition is not null)
        {
            errors.Add(new FieldError("condition", "applies only to a share of households meeting a condition"));
        }

        if (Condition is not null && !Enum.IsDefined(Condition.Operator))
        {
            errors.Add(new FieldError("condition.operator", "is required"));
        }

        if (!AnswerField.StartsWith(AnswerFields.CustomPrefix, StringComparison.Ordinal) || !AnswerFields.IsKnown(AnswerField))
        {
            errors.Add(new FieldError("answer_field", $"must be {AnswerFields.CustomPrefix}<name> in lower_snake_case"));
        }

        return errors;
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
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Invalid custom indicator: {string.Join("; ", errors)}");
        }

        var list = households.ToList();
        var weights = SurveyWeights.Effective([.. list.Select(h => h.Weight)]);
        var present = list.Select((h, i) => (Value: h.Value, Weight: weights[i])).Where(h => h.Value is not null).ToList();
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
