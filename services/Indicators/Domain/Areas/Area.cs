using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Areas;

/// <summary>A place figures are reported for: a watershed, one of its districts, or a community in a district.</summary>
public sealed class Area
{
    private Area(Guid id, string watershedCode, AreaLevel level, Guid? parentId, string code, string name, Guid? consultationOrganizationId, DateTimeOffset createdAt)
    {
        Id = id;
        WatershedCode = watershedCode;
        Level = level;
        ParentId = parentId;
        Code = code;
        Name = name;
        ConsultationOrganizationId = consultationOrganizationId;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The watershed code tokens are scoped by; a watershed area's own code.</summary>
    public string WatershedCode { get; private set; }

    public AreaLevel Level { get; private set; }

    public Guid? ParentId { get; private set; }

    /// <summary>Unique in the watershed, lower case: what survey forms record for the area.</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    /// <summary>The consultation service's organisation for a community (comunidad campesina), when it has one.</summary>
    public Guid? ConsultationOrganizationId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// A new area: a watershed without <paramref name="parent"/>, a district inside a watershed, a community inside
    /// a district. It belongs to its parent's watershed; a watershed's code is its watershed code.
    /// </summary>
    public static Area Create(AreaLevel level, Area? parent, string code, string name, Guid? consultationOrganizationId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var violations = AreaRules.Violations(level, code, parent is not null).ToList();
        if (parent is not null && parent.Level != AreaRules.ParentLevel(level))
        {
            violations.Add(new FieldViolation("parent_id",
                $"is a {Describe(parent.Level)}; a {Describe(level)} lies in a {(AreaRules.ParentLevel(level) is { } expected ? Describe(expected) : "nothing")}"));
        }

        return violations.Count > 0
            ? throw new InvalidArgumentException(violations)
            : new Area(Guid.CreateVersion7(), parent?.WatershedCode ?? code, level, parent?.Id, code, name, consultationOrganizationId, now);
    }

    /// <summary>This area, when it is a watershed; an id of another level under a watershed field is the caller's mistake.</summary>
    public Area AsWatershed(string field) =>
        Level == AreaLevel.Watershed ? this : throw new InvalidArgumentException(field, $"is a {Describe(Level)}, not a watershed");

    private static string Describe(AreaLevel level) => level.ToString().ToLowerInvariant();
}
