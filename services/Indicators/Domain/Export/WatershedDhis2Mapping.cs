using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Export;

/// <summary>The DHIS2 mapping a watershed's partner set, replaced as a whole when set again.</summary>
public sealed class WatershedDhis2Mapping
{
    private WatershedDhis2Mapping(Guid watershedId, Dhis2Mapping mapping, DateTimeOffset updatedAt)
    {
        WatershedId = watershedId;
        Mapping = mapping;
        UpdatedAt = updatedAt;
    }

    public Guid WatershedId { get; private set; }

    public Dhis2Mapping Mapping { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static WatershedDhis2Mapping Create(Guid watershedId, Dhis2Mapping mapping, DateTimeOffset now) =>
        new(watershedId, Valid(mapping), now);

    public void Replace(Dhis2Mapping mapping, DateTimeOffset now)
    {
        Mapping = Valid(mapping);
        UpdatedAt = now;
    }

    private static Dhis2Mapping Valid(Dhis2Mapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        return mapping.Validate() is { Count: > 0 } violations
            ? throw new InvalidArgumentException(violations)
            : mapping;
    }
}
