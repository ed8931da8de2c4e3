using System.Globalization;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain;

/// <summary>
/// One household's answers keyed by canonical field name (see <see cref="AnswerFields"/>), as text.
/// A field that is absent or blank is unanswered: Kobo and ODK export a skipped question as an empty cell, and WFP's
/// exports write it "n/a" (<see cref="NotAsked"/>, any case): such a cell is unanswered too, never an unreadable value,
/// and <see cref="IsSkipped"/> tells it apart from a blank one. A blank field is still listed in <see cref="Fields"/>:
/// the form asked it, which matters for open-ended item lists such as expenditure.
/// </summary>
public sealed class AnswerSheet
{
    /// <summary>How WFP's exports write a question the form skipped.</summary>
    public const string NotAsked = "n/a";

    private readonly Dictionary<string, string?> _values;
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);

    public AnswerSheet(IEnumerable<KeyValuePair<string, string?>> values)
    {
        _values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, value) in values)
        {
            var text = value?.Trim();
            if (string.Equals(text, NotAsked, StringComparison.OrdinalIgnoreCase))
            {
                _skipped.Add(field);
                text = null;
            }

            _values[field] = string.IsNullOrEmpty(text) ? null : text;
        }
    }

    public static AnswerSheet Empty { get; } = new([]);

    public IEnumerable<string> Fields => _values.Keys;

    public string? this[string field] => _values.GetValueOrDefault(field);

    /// <summary>True when the export wrote the field "n/a": the form skipped the question.</summary>
    public bool IsSkipped(string field) => _skipped.Contains(field);

    /// <summary>Starts a read that collects every unreadable value as a <see cref="FieldViolation"/>.</summary>
    public AnswerReader Read() => new(this);
}

/// <summary>Reads typed values from an <see cref="AnswerSheet"/>; an unreadable value reads as missing and is recorded in <see cref="Errors"/>.</summary>
public sealed class AnswerReader(AnswerSheet sheet)
{
    private readonly List<FieldViolation> _errors = [];

    public IReadOnlyList<FieldViolation> Errors => _errors;

    public IEnumerable<string> FieldsStartingWith(string prefix) =>
        sheet.Fields.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public string? Text(string field) => sheet[field];

    /// <inheritdoc cref="AnswerSheet.IsSkipped"/>
    public bool IsSkipped(string field) => sheet.IsSkipped(field);

    /// <summary>
    /// The largest magnitude a numeric answer may have (10^12: more than any expenditure in soles or any count a form
    /// asks). With survey weights of at most 10^6 (<see cref="Aggregation.SurveyWeights.MaxWeight"/>) no sum over the
    /// households an aggregate can hold (fewer than 2^31) comes near the decimal type's limit of 7.9 × 10^28.
    /// </summary>
    public const decimal MaxNumber = 1_000_000_000_000m;

    /// <summary>Numbers use "." as the decimal separator, as Kobo and ODK export them; at most ±<see cref="MaxNumber"/>.</summary>
    public decimal? Number(string field)
    {
        var text = sheet[field];
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            _errors.Add(new FieldViolation(field, $"'{TextRules.Echo(text)}' is not a number"));
            return null;
        }

        if (Math.Abs(value) > MaxNumber)
        {
            _errors.Add(new FieldViolation(field, $"'{TextRules.Echo(text)}' is out of range: a numeric answer lies within ±1000000000000"));
            return null;
        }

        return value;
    }

    public int? WholeNumber(string field)
    {
        var value = Number(field);
        if (value is null)
        {
            return null;
        }

        if (value != decimal.Truncate(value.Value) || value < int.MinValue || value > int.MaxValue)
        {
            _errors.Add(new FieldViolation(field, $"'{TextRules.Echo(sheet[field])}' is not a whole number"));
            return null;
        }

        return (int)value.Value;
    }

    /// <summary>
    /// Accepts yes/no, 1/0 and true/false, the forms Kobo and ODK export a yes/no question in, and sí/si/no, as a form
    /// with Spanish choice labels exports it.
    /// </summary>
    public bool? YesNo(string field)
    {
        var text = sheet[field];
        switch (text?.ToUpperInvariant())
        {
            case null:
                return null;
            case "YES" or "1" or "TRUE" or "SÍ" or "SI":
                return true;
            case "NO" or "0" or "FALSE":
                return false;
            default:
                _errors.Add(new FieldViolation(field, $"'{TextRules.Echo(text)}' is not yes/no"));
                return null;
        }
    }

    public void Reject(string field, string reason) => _errors.Add(new FieldViolation(field, reason));
}
