using Watershed.ServiceDefaults.Errors;
using H = Watershed.Indicators.Domain.AnswerFields.Hhs;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>How often, over the past 4 weeks: rarely 1–2 times, sometimes 3–10 times, often more than 10 times.</summary>
public enum HhsFrequency
{
    Rarely = 1,
    Sometimes = 2,
    Often = 3,
}

/// <summary>One occurrence question: did it happen, and if so how often (required when it did, empty when it did not).</summary>
public sealed record HhsQuestion(bool? Occurred, HhsFrequency? Frequency)
{
    public static HhsQuestion Never { get; } = new(false, null);

    public static HhsQuestion Happened(HhsFrequency frequency) => new(true, frequency);

    /// <summary>Frequencies are read as rarely/sometimes/often or FANTA's codes 1/2/3.</summary>
    public static HhsQuestion Read(AnswerReader r, string occurredField, string frequencyField)
    {
        var occurred = r.YesNo(occurredField);
        var text = r.Text(frequencyField);
        HhsFrequency? frequency = text?.ToUpperInvariant() switch
        {
            null => null,
            "RARELY" or "1" => HhsFrequency.Rarely,
            "SOMETIMES" or "2" => HhsFrequency.Sometimes,
            "OFTEN" or "3" => HhsFrequency.Often,
            _ => null,
        };
        if (text is not null && frequency is null)
        {
            r.Reject(frequencyField, $"'{TextRules.Echo(text)}' is not rarely/sometimes/often");
        }

        return new HhsQuestion(occurred, frequency);
    }
}

public sealed record HhsAnswers(HhsQuestion NoFood, HhsQuestion SleepHungry, HhsQuestion WholeDayWithoutEating)
{
    public static HhsAnswers Read(AnswerReader r) => new(
        HhsQuestion.Read(r, H.NoFood, H.NoFoodFrequency),
        HhsQuestion.Read(r, H.SleepHungry, H.SleepHungryFrequency),
        HhsQuestion.Read(r, H.WholeDayWithoutEating, H.WholeDayWithoutEatingFrequency));
}

public enum HungerCategory
{
    LittleToNone = 1,
    Moderate = 2,
    Severe = 3,
}

public sealed record HhsScore(int Value, HungerCategory Category);

/// <summary>Household Hunger Scale (indicators.md, HHS; FANTA 2011).</summary>
public static class HouseholdHungerScale
{
    public static IndicatorInfo Info { get; } = new(
        "HHS",
        "Household Hunger Scale",
        "score (0–6)",
        Direction.LowerIsBetter,
        [
            new IndicatorCategory("little_none", "Little to no hunger (0–1)", 1),
            new IndicatorCategory("moderate", "Moderate hunger (2–3)", 2),
            new IndicatorCategory("severe", "Severe hunger (4–6)", 3),
        ]);

    public static ScoreResult<HhsScore> Score(HhsAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        (string Field, string FrequencyField, HhsQuestion Question)[] questions =
        [
            (H.NoFood, H.NoFoodFrequency, answers.NoFood),
            (H.SleepHungry, H.SleepHungryFrequency, answers.SleepHungry),
            (H.WholeDayWithoutEating, H.WholeDayWithoutEatingFrequency, answers.WholeDayWithoutEating),
        ];
        var errors = new List<FieldViolation>();
        var missing = new List<string>();
        foreach (var (field, frequencyField, question) in questions)
        {
            ItemChecks.Answered(field, question.Occurred, missing);
            if (question.Occurred == true && question.Frequency is null)
            {
                errors.Add(new FieldViolation(frequencyField, $"is required when {field} is yes"));
            }
            else if (question.Occurred == false && question.Frequency is not null)
            {
                errors.Add(new FieldViolation(frequencyField, $"must be empty when {field} is no"));
            }
        }

        return ScoreResult<HhsScore>.From(errors, missing, () =>
        {
            var value = questions.Sum(q => Points(q.Question));
            return new HhsScore(value, Categorize(value));
        });
    }

    /// <summary>0–1 little to no, 2–3 moderate, 4–6 severe hunger (indicators.md, HHS).</summary>
    public static HungerCategory Categorize(int hhs) => hhs switch
    {
        <= 1 => HungerCategory.LittleToNone,
        <= 3 => HungerCategory.Moderate,
        _ => HungerCategory.Severe,
    };

    public static string CategoryCode(HungerCategory category) => category switch
    {
        HungerCategory.LittleToNone => "little_none",
        HungerCategory.Moderate => "moderate",
        _ => "severe",
    };

    // Never 0; rarely and sometimes 1; often 2 (FANTA 2011).
    private static int Points(HhsQuestion question) => question.Occurred == true
        ? question.Frequency == HhsFrequency.Often ? 2 : 1
        : 0;
}
