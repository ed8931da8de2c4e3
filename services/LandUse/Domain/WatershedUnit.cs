using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>
/// A watershed (cuenca) and its boundary; every zone of its plans must lie inside the boundary.
/// Named as ANA names a delimited watershed, unidad hidrográfica, and because "Watershed" is the root namespace.
/// Violations name the contract's fields: code, name, boundary_geojson (the boundary travels as GeoJSON text).
/// </summary>
public sealed class WatershedUnit
{
    public const int MaxNameLength = 200;

    /// <summary>The boundary as the contract names it: it travels as GeoJSON text.</summary>
    public const string BoundaryField = "boundary_geojson";

    private WatershedUnit(Guid id, string code, string name, Geometry boundary)
    {
        Id = id;
        Code = code;
        Name = name;
        Boundary = boundary;
        AreaHectares = GeodesicArea.Hectares(boundary);
    }

    public Guid Id { get; }

    /// <summary>
    /// The watershed's code across Watershed ("pomacanchi"): tokens scope callers by it and the
    /// consultation service knows the same watershed by it.
    /// </summary>
    public string Code { get; }

    public string Name { get; private set; }

    /// <summary>Polygon or MultiPolygon, WGS84 lon/lat, oriented as RFC 7946 asks.</summary>
    public Geometry Boundary { get; private set; }

    public double AreaHectares { get; private set; }

    /// <exception cref="InvalidArgumentException">The name or boundary breaks a rule.</exception>
    public static WatershedUnit Create(Guid id, string code, string name, Geometry boundary)
    {
        var violations = Validate(name, boundary);
        if (!IsValidCode(code))
        {
            violations.Insert(0, new("code", "A watershed code is 2–40 lower-case letters, digits or '-', starting with a letter (e.g. pomacanchi)."));
        }

        Throw(violations);
        return new WatershedUnit(id, code, name.Trim(), PolygonalGeometry.Normalise(boundary));
    }

    public static bool IsValidCode(string code) =>
        code.Length is >= 2 and <= 40
        && char.IsAsciiLetterLower(code[0])
        && code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public void Rename(string name)
    {
        Throw(Validate(name, null));
        Name = name.Trim();
    }

    /// <summary>
    /// A new boundary applies to zones edited or submitted from now on; versions already submitted keep
    /// the zones they were consulted and approved with.
    /// </summary>
    public void ChangeBoundary(Geometry boundary)
    {
        Throw(Validate(Name, boundary));
        Boundary = PolygonalGeometry.Normalise(boundary);
        AreaHectares = GeodesicArea.Hectares(Boundary);
    }

    private static List<FieldViolation> Validate(string name, Geometry? boundary)
    {
        var violations = new List<FieldViolation>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            violations.Add(new("name", $"A watershed is named in 1–{MaxNameLength} characters."));
        }
        else if (!TextRules.IsOneLine(name.Trim()))
        {
            violations.Add(new("name", $"A watershed's name {TextRules.OneLineRule}."));
        }

        if (boundary is not null)
        {
            if (PolygonalGeometry.Check(boundary, BoundaryField) is { } violation)
            {
                violations.Add(violation);
            }
            else if (ServiceArea.BoundaryFault(boundary) is { } misplaced)
            {
                violations.Add(new(BoundaryField, misplaced));
            }
        }

        return violations;
    }

    private static void Throw(List<FieldViolation> violations)
    {
        if (violations.Count > 0)
        {
            throw new InvalidArgumentException(violations);
        }
    }
}
