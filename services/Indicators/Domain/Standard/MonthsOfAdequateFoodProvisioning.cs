using System.Globalization;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>The months (1–12) of the past 12 without enough food; an empty list means none, null means unanswered.</summary>
public sealed record MahfpAnswers(IReadOnlyList<int>? MonthsWithoutEnoughFood)
{
    /// <summary>Reads Kobo's select_multiple export: month numbers separated by spaces, or "none".</summary>
    public static MahfpAnswers Read(AnswerReader r)
    {
        var field = AnswerFields.MahfpMonthsShort;
        var text = r.Text(field);
        if (text is null)
        {
            return new MahfpAnswers((IReadOnlyList<int>?)null);
        }

        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return new MahfpAnswers([]);
        }

        var months = new List<int>();
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var month))
            {
                months.Add(month);
            }
            else
            {
                // One fault per answer: a long list of bad tokens would otherwise answer one error each.
                r.Reject(field, $"'{TextRules.Echo(token)}' is not a month number");
                break;
            }
        }

        return new MahfpAnswers(months);
    }
}

public sealed record MahfpScore(int Months);

/// <summary>Months of Adequate Household Food Provisioning (indicators.md, MAHFP; FANTA 2010): 12 − months short. Report the mean.</summary>
public static class MonthsOfAdequateFoodProvisioning
{
    public static IndicatorInfo Info { get; } = new(
        "MAHFP",
        "Months of Adequate Household Food Provisioning",
        "months (0–12)",
        Direction.HigherIsBetter,
        []);

    public static ScoreResult<MahfpScore> Score(MahfpAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var field = AnswerFields.MahfpMonthsShort;
        if (answers.MonthsWithoutEnoughFood is not { } months)
        {
            return ScoreResult<MahfpScore>.Missing([field]);
        }

        var errors = new List<FieldViolation>();
        foreach (var month in months.Where(m => m is < 1 or > 12).Distinct())
        {
            errors.Add(new FieldViolation(field, $"month {month} is not 1–12"));
        }

        foreach (var month in months.GroupBy(m => m).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add(new FieldViolation(field, $"month {month} is listed more than once"));
        }

        return ScoreResult<MahfpScore>.From(errors, [], () => new MahfpScore(12 - months.Count));
    }
}
