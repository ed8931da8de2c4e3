using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>A watershed (cuenca): the scope tokens grant access by its code.</summary>
public sealed class Watershed
{
    private Watershed()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Lower-case slug; tokens name the watersheds a caller may act in by this code.</summary>
    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public string Region { get; private set; } = string.Empty;

    public string District { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <exception cref="InvalidArgumentException">Any detail breaks a rule (all of them are named).</exception>
    public static Watershed Create(string code, string name, string region, string district, DateTimeOffset now)
    {
        var v = new Validation();
        var details = Check(v, code, name, region, district);
        v.ThrowIfInvalid();
        return new Watershed
        {
            Id = Guid.CreateVersion7(),
            Code = details.Code,
            Name = details.Name,
            Region = details.Region,
            District = details.District,
            CreatedAt = now,
        };
    }

    /// <summary>
    /// The rules on a new watershed's details, added to <paramref name="v"/>; a handler calls it while it
    /// collects a request's violations, <see cref="Create"/> calls it again before it builds one.
    /// </summary>
    /// <returns>The details as stored: trimmed, the code in lower case.</returns>
    public static (string Code, string Name, string Region, string District) Check(Validation v, string code, string name, string region, string district)
    {
        var cleanCode = v.Text(code, "code", 40).ToLowerInvariant();
        v.Check(cleanCode.Length == 0 || IsValidCode(cleanCode), "code", "must be 2–40 lower-case letters, digits or '-', starting with a letter");
        return (cleanCode, v.Text(name, "name"), v.OptionalLine(region, "region", 200), v.OptionalLine(district, "district", 200));
    }

    public static bool IsValidCode(string code) =>
        code.Length is >= 2 and <= 40
        && char.IsAsciiLetterLower(code[0])
        && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}

/// <summary>An organisation of a watershed: a comunidad campesina, an association, a local government, an NGO.</summary>
public sealed class Organization
{
    private Organization()
    {
    }

    public Guid Id { get; private set; }

    public Guid WatershedId { get; private set; }

    /// <summary>Unique within the watershed.</summary>
    public string Name { get; private set; } = string.Empty;

    public OrganizationKind Kind { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <exception cref="InvalidArgumentException">The name breaks a rule.</exception>
    public static Organization Create(Guid watershedId, string name, OrganizationKind kind, DateTimeOffset now)
    {
        var v = new Validation();
        var cleanName = CheckName(v, name);
        v.ThrowIfInvalid();
        return new Organization { Id = Guid.CreateVersion7(), WatershedId = watershedId, Name = cleanName, Kind = kind, CreatedAt = now };
    }

    /// <returns>The name as stored (trimmed).</returns>
    public static string CheckName(Validation v, string name) => v.Text(name, "name");
}

/// <summary>A person of a watershed, who may sit on spaces' rolls and submit proposals.</summary>
public sealed class Person
{
    public const int MaxEmailLength = 254;

    private readonly List<PersonConsent> _consents = [];

    private Person()
    {
    }

    public Guid Id { get; private set; }

    public Guid WatershedId { get; private set; }

    public string FullName { get; private set; } = string.Empty;

    public Guid? OrganizationId { get; private set; }

    /// <summary>E.164, e.g. +51984123456; many comuneros have a phone but no e-mail.</summary>
    public string PhoneNumber { get; private set; } = string.Empty;

    /// <summary>Lower case; empty when unknown.</summary>
    public string Email { get; private set; } = string.Empty;

    /// <summary>The DNI (Documento Nacional de Identidad, 8 digits); empty when not recorded. Unique within a watershed.</summary>
    public string NationalId { get; private set; } = string.Empty;

    /// <summary>As registered, for an acta's quorum basis by sex; null when not registered.</summary>
    public Sex? Sex { get; private set; }

    /// <summary>BCP 47: es-PE or qu-PE (Southern Quechua; "quz" is accepted and stored as qu-PE).</summary>
    public string PreferredLanguage { get; private set; } = "es-PE";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>What the person agreed to be contacted by, per channel, as last recorded; a channel without an entry was never asked about.</summary>
    public IReadOnlyList<PersonConsent> Consents => _consents;

    /// <param name="organization">The organisation the person belongs to, if any; it must be of the same watershed.</param>
    /// <param name="consentedChannels">The channels the person agreed to; every other channel is recorded as refused, at <paramref name="now"/>.</param>
    /// <exception cref="InvalidArgumentException">Any detail breaks a rule (all of them are named).</exception>
    /// <param name="nationalId">The DNI, 8 digits, or empty.</param>
    public static Person Create(Guid watershedId, string fullName, Organization? organization, string phoneNumber, string preferredLanguage, DateTimeOffset now,
        string email = "", IReadOnlyList<ContactChannel?>? consentedChannels = null, string nationalId = "", Sex? sex = null)
    {
        var v = new Validation();
        var details = Check(v, fullName, phoneNumber, preferredLanguage, email, consentedChannels ?? []);
        var dni = CheckNationalId(v, nationalId);
        v.ThrowIfInvalid();
        if (organization is not null && organization.WatershedId != watershedId)
        {
            throw new NotFoundException("organization", organization.Id.ToString());
        }

        var person = new Person
        {
            Id = Guid.CreateVersion7(),
            WatershedId = watershedId,
            FullName = details.FullName,
            OrganizationId = organization?.Id,
            PhoneNumber = details.PhoneNumber,
            Email = details.Email,
            PreferredLanguage = details.PreferredLanguage,
            NationalId = dni,
            Sex = sex,
            CreatedAt = now,
        };
        foreach (var channel in Enum.GetValues<ContactChannel>())
        {
            person._consents.Add(new PersonConsent(person.Id, channel, consentedChannels?.Contains(channel) == true, now));
        }

        return person;
    }

    /// <summary>The rules on a new person's details, added to <paramref name="v"/>.</summary>
    /// <param name="consentedChannels">Null where the request's value was unspecified or unknown (named by the caller's validation).</param>
    /// <returns>The details as stored: trimmed, the language tag normalised, the e-mail in lower case.</returns>
    public static (string FullName, string PhoneNumber, string PreferredLanguage, string Email) Check(Validation v, string fullName, string phoneNumber,
        string preferredLanguage, string email = "", IReadOnlyList<ContactChannel?>? consentedChannels = null)
    {
        var name = v.Text(fullName, "full_name");
        var phone = v.OptionalLine(phoneNumber, "phone_number", 16);
        // A value with control characters is named once, by OptionalLine.
        v.Check(phone.Length == 0 || IsValidPhoneNumber(phone) || Validation.HasControlCharacter(phone), "phone_number", "must be in E.164 form, e.g. +51984123456");
        var language = NormaliseLanguage(preferredLanguage ?? string.Empty);
        v.Check(language is not null, "preferred_language", "must be es-PE, qu-PE (or quz) or en");
        var cleanEmail = v.OptionalLine(email ?? string.Empty, "email", MaxEmailLength).ToLowerInvariant();
        v.Check(cleanEmail.Length == 0 || IsValidEmail(cleanEmail) || Validation.HasControlCharacter(cleanEmail), "email", "must be an address like nombre@dominio.pe");
        var channels = consentedChannels ?? [];
        for (var i = 0; i < channels.Count; i++)
        {
            var field = $"consented_channels[{i}]";
            switch (channels[i])
            {
                case ContactChannel.Sms:
                    v.Check(phone.Length > 0, field, "SMS needs a phone number");
                    break;
                case ContactChannel.Email:
                    v.Check(cleanEmail.Length > 0, field, "e-mail needs an e-mail address");
                    break;
            }

            v.Check(channels[i] is null || !channels.Take(i).Contains(channels[i]), field, "is listed twice");
        }

        return (name, phone, language ?? string.Empty, cleanEmail);
    }

    /// <summary>An optional DNI: empty, or exactly 8 digits (leading zeros kept).</summary>
    /// <returns>The DNI as stored (trimmed).</returns>
    public static string CheckNationalId(Validation v, string? nationalId)
    {
        var dni = v.OptionalLine(nationalId, "national_id", 8);
        v.Check(dni.Length == 0 || (dni.Length == 8 && dni.All(char.IsAsciiDigit)), "national_id", "must be a DNI: 8 digits, e.g. 01234567");
        return dni;
    }

    /// <summary>The answer when a DNI is already a person's in the watershed.</summary>
    public static AlreadyExistsException NationalIdTaken() =>
        new("person", "national_id", "A person of this watershed has this DNI already.");

    public static bool IsValidPhoneNumber(string phone) =>
        phone.Length is >= 8 and <= 16 && phone[0] == '+' && phone.Skip(1).All(char.IsAsciiDigit) && phone[1] != '0';

    /// <summary>One '@' between a local part and a dotted domain, no spaces or control characters: the shape, not deliverability.</summary>
    public static bool IsValidEmail(string email)
    {
        var at = email.IndexOf('@');
        if (at <= 0 || at != email.LastIndexOf('@') || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        var domain = email[(at + 1)..];
        return domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.') && !domain.Contains("..");
    }

    /// <summary>The stored form of a language tag, or null when the service does not speak it.</summary>
    public static string? NormaliseLanguage(string tag) => tag.Trim().ToLowerInvariant() switch
    {
        "" or "es" or "es-pe" => "es-PE",
        "qu" or "qu-pe" or "quz" or "quz-pe" => "qu-PE",
        "en" => "en",
        _ => null,
    };
}

/// <summary>A person's answer on one contact channel and when it was recorded.</summary>
public sealed class PersonConsent
{
    public PersonConsent(Guid personId, ContactChannel channel, bool granted, DateTimeOffset recordedAt)
    {
        PersonId = personId;
        Channel = channel;
        Granted = granted;
        RecordedAt = recordedAt;
    }

    public Guid PersonId { get; private set; }

    public ContactChannel Channel { get; private set; }

    public bool Granted { get; private set; }

    public DateTimeOffset RecordedAt { get; private set; }
}
