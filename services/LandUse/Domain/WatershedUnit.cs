using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain.Spatial;

namespace Watershed.LandUse.Domain;

/// <summary>
/// A watershed (cuenca) and its boundary; every zone of its plans must lie inside the boundary.
/// Named as ANA names a delimited watershed, unidad hidrográfica, and because "Watershed" is the root namespace.
/// </summary>
public sealed class WatershedUnit
{
    public const int MaxNameLength = 200;

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

    /// <exception cref="InvalidContentException">The name or boundary breaks a rule.</exception>
    public static WatershedUnit Create(Guid id, string code, string name, Geometry boundary)
    {
        var faults = Validate(name, boundary);
        if (!IsValidCode(code))
        {
            faults.Insert(0, new(FaultKind.InvalidValue, "code", "A watershed code is 2–40 lower-case letters, digits or '-', starting with a letter (e.g. pomacanchi)."));
        }

        Throw(faults);
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

    private static List<Fault> Validate(string name, Geometry? boundary)
    {
        var faults = new List<Fault>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            faults.Add(new(FaultKind.InvalidValue, "name", $"A watershed is named in 1–{MaxNameLength} characters."));
        }

        if (boundary is not null && PolygonalGeometry.Check(boundary, "boundary") is { } fault)
        {
            faults.Add(fault);
        }

        return faults;
    }

    private static void Throw(List<Fault> faults)
    {
        if (faults.Count > 0)
        {
            throw new InvalidContentException(faults);
        }
    }
}
