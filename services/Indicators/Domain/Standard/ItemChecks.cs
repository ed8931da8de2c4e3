using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>Range checks and missing-answer bookkeeping shared by the item-sum indicators.</summary>
internal static class ItemChecks
{
    public static void Days(string field, int? days, List<FieldViolation> errors, List<string> missing)
    {
        if (days is null)
        {
            missing.Add(field);
        }
        else if (days is < 0 or > 7)
        {
            errors.Add(new FieldViolation(field, "must be 0–7 days"));
        }
    }

    public static void Answered<T>(string field, T? value, List<string> missing) where T : struct
    {
        if (value is null)
        {
            missing.Add(field);
        }
    }

    /// <summary>Number of yes answers; only called once every item is known to be answered.</summary>
    public static int CountYes(IEnumerable<bool?> items) => items.Count(i => i == true);
}
