using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>What is wrong; stable names the service maps to field violations.</summary>
public enum FaultKind
{
    InvalidJson = 1,
    NotAFeatureCollection,
    UnsupportedCrs,
    TooManyFeatures,
    NotAFeature,
    MissingGeometry,
    WrongGeometryType,
    MalformedGeometry,
    CoordinatesOutOfRange,
    InvalidGeometry,
    MissingValue,
    InvalidValue,
    UnknownCategory,
    UnknownSubcategory,
    SubcategoryNotInCategory,
    BadUseRating,
    DuplicateZoneCode,
    Overlap,
    OutsideBoundary,
    NoZones,
}

/// <summary>
/// One thing wrong with submitted content; <see cref="Field"/> is the GeoJSON property or proto field name
/// (dotted for nested fields, [i] for list items).
/// </summary>
public sealed record Fault(FaultKind Kind, string Field, string Message);

/// <summary>Submitted content broke one or more rules; the service answers INVALID_ARGUMENT listing every fault.</summary>
public sealed class InvalidContentException(IReadOnlyList<Fault> faults)
    : InvalidArgumentException([.. faults.Select(f => new FieldViolation(f.Field, f.Message))])
{
    public IReadOnlyList<Fault> Faults { get; } = faults;
}

/// <summary>
/// The request is well formed but the plan is not in a state that allows it (FAILED_PRECONDITION).
/// <see cref="Type"/> is a stable reason code, <see cref="Subject"/> the resource name.
/// </summary>
public sealed class PlanRuleException(string type, string subject, string description)
    : PreconditionFailedException(type, subject, description);
