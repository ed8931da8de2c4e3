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

    /// <summary>A non-blank string of at most <paramref name="maxLength"/> characters.</summary>
    public string Text(string? value, string field, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
            return string.Empty;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }

        return trimmed;
    }

    /// <summary>An optional string: empty stays empty; otherwise trimmed and length-checked.</summary>
    public string OptionalText(string? value, string field, int maxLength = 2000)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        if (trimmed.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }

        return trimmed;
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
