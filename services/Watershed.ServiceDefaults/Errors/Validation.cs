using System.Globalization;

namespace Watershed.ServiceDefaults.Errors;

/// <summary>
/// Collects every field violation of one request so the caller learns all of them at once.
/// Field paths use the proto field names (snake_case, dotted for nested messages, [i] for lists).
/// </summary>
public sealed class Validation
{
    private readonly List<FieldViolation> _violations = [];

    public bool IsValid => _violations.Count == 0;

    public Validation Add(string field, string description)
    {
        _violations.Add(new FieldViolation(field, description));
        return this;
    }

    public Validation Check(bool condition, string field, string description) =>
        condition ? this : Add(field, description);

    /// <summary>
    /// A non-blank single-line string of at most <paramref name="maxLength"/> characters (UTF-16 code units,
    /// never fewer than the database column counts). Control characters (NUL, tab, line breaks, vertical tab...)
    /// are refused: PostgreSQL cannot store NUL, and exports (KML, CSV, SMS) must not carry the rest.
    /// </summary>
    public string Text(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
            return string.Empty;
        }

        var trimmed = value.Trim();
        CheckLengthAndCharacters(trimmed, field, maxLength, multiline: false);
        return trimmed;
    }

    /// <summary>
    /// An optional string: empty stays empty; otherwise trimmed and length-checked. Line breaks and tabs are
    /// allowed (notes, descriptions); every other control character is refused.
    /// </summary>
    public string OptionalText(string? value, string field, int maxLength = 2000)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        CheckLengthAndCharacters(trimmed, field, maxLength, multiline: true);
        return trimmed;
    }

    /// <summary>An optional single-line string (a code, a name, a phone): like <see cref="Text"/> but may be empty.</summary>
    public string OptionalLine(string? value, string field, int maxLength = 200)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        CheckLengthAndCharacters(trimmed, field, maxLength, multiline: false);
        return trimmed;
    }

    private void CheckLengthAndCharacters(string text, string field, int maxLength, bool multiline)
    {
        if (text.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
            return;
        }

        if (HasControlCharacter(text, multiline))
        {
            Add(field, multiline ? MultiLineRule : "must not contain control characters (tabs, line breaks, NUL...)");
        }
    }

    /// <summary>Why a multi-line text (notes, answers) is refused: the one wording every service uses.</summary>
    public const string MultiLineRule = "must not contain control characters other than line breaks and tabs";

    /// <summary>True when the text holds a Unicode control character (category Cc) or a lone surrogate.</summary>
    public static bool HasControlCharacter(string text, bool allowLineBreaksAndTabs = false)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return true;
            }

            if (char.IsControl(c) && !(allowLineBreaksAndTabs && c is '\n' or '\r' or '\t'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An optional instant: null stays null; seconds outside years 1..9999 or nanos outside 0..999,999,999 are a
    /// violation (Timestamp's own rule), never an exception later.
    /// </summary>
    public DateTimeOffset? Instant(Google.Protobuf.WellKnownTypes.Timestamp? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        // Timestamp's documented range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z.
        if (value.Seconds is < -62_135_596_800 or > 253_402_300_799 || value.Nanos is < 0 or > 999_999_999)
        {
            Add(field, "must be an instant between years 1 and 9999 (nanos 0..999999999)");
            return null;
        }

        return value.ToDateTimeOffset();
    }

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>]; NaN and infinities are violations.</summary>
    public double Finite(double value, string field, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            Add(field, $"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>A required id: a GUID in its canonical text form.</summary>
    public Guid Id(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
            return Guid.Empty;
        }

        if (!Guid.TryParseExact(value, "D", out var id) || id == Guid.Empty)
        {
            Add(field, "must be a UUID such as 0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8c9");
            return Guid.Empty;
        }

        return id;
    }

    /// <summary>An optional id: empty means none.</summary>
    public Guid? OptionalId(string? value, string field) =>
        string.IsNullOrEmpty(value) ? null : Id(value, field);

    /// <summary>A defined, non-zero value of a proto enum.</summary>
    public TEnum Enum<TEnum>(TEnum value, string field)
        where TEnum : struct, System.Enum
    {
        var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
        if (number == 0)
        {
            Add(field, "is required");
        }
        else if (!System.Enum.IsDefined(value))
        {
            Add(field, $"has no value {number}");
        }

        return value;
    }

    /// <summary>An optional enum: zero means "not given"; an unknown number is still an error.</summary>
    public TEnum OptionalEnum<TEnum>(TEnum value, string field)
        where TEnum : struct, System.Enum
    {
        if (Convert.ToInt32(value, CultureInfo.InvariantCulture) != 0 && !System.Enum.IsDefined(value))
        {
            Add(field, $"has no value {Convert.ToInt32(value, CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    /// <summary>Throws INVALID_ARGUMENT listing every violation, if there is any.</summary>
    public void ThrowIfInvalid()
    {
        if (_violations.Count > 0)
        {
            throw new InvalidArgumentException(_violations.ToArray());
        }
    }
}
