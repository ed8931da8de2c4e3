namespace Watershed.Consultation.Domain;

public sealed class Watershed
{
    public Guid Id { get; init; }

    /// <summary>Lower-case slug; tokens name the watersheds a caller may act in by this code.</summary>
    public required string Code { get; init; }

    public required string Name { get; set; }

    public string Region { get; set; } = string.Empty;

    public string District { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; init; }

    public static bool IsValidCode(string code) =>
        code.Length is >= 2 and <= 40
        && char.IsAsciiLetterLower(code[0])
        && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}

public sealed class Organization
{
    public Guid Id { get; init; }

    public Guid WatershedId { get; init; }

    public required string Name { get; set; }

    public OrganizationKind Kind { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class Person
{
    public Guid Id { get; init; }

    public Guid WatershedId { get; init; }

    public required string FullName { get; set; }

    public Guid? OrganizationId { get; set; }

    /// <summary>E.164, e.g. +51984123456; many comuneros have a phone but no e-mail.</summary>
    public string PhoneNumber { get; set; } = string.Empty;

    /// <summary>BCP 47: es-PE or qu-PE (Southern Quechua; "quz" is accepted and stored as qu-PE).</summary>
    public string PreferredLanguage { get; set; } = "es-PE";

    public DateTimeOffset CreatedAt { get; init; }

    public static bool IsValidPhoneNumber(string phone) =>
        phone.Length is >= 8 and <= 16 && phone[0] == '+' && phone.Skip(1).All(char.IsAsciiDigit) && phone[1] != '0';

    /// <summary>The stored form of a language tag, or null when the service does not speak it.</summary>
    public static string? NormaliseLanguage(string tag) => tag.Trim().ToLowerInvariant() switch
    {
        "" or "es" or "es-pe" => "es-PE",
        "qu" or "qu-pe" or "quz" or "quz-pe" => "qu-PE",
        "en" => "en",
        _ => null,
    };
}
