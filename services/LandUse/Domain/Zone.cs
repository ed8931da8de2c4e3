using System.Globalization;
using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using Watershed.LandUse.Domain.Spatial;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain;

/// <summary>A use (grazing, ecotourism, reforestation …) and how it suits the zone.</summary>
public sealed record AllowedUse(string Use, UseRating Rating);

/// <summary>What a zone says before it has an id: from a request or a file.</summary>
/// <param name="Code">Stable key of the zone across plan versions (diffs match on it), e.g. "PROT-CAB-01".</param>
public sealed record ZoneContent(
    string Code,
    string Name,
    ZeeCategory Category,
    ZeeSubcategory Subcategory,
    IReadOnlyList<AllowedUse> Uses,
    string Notes,
    Geometry Geometry);

/// <summary>
/// A zone of one plan version: valid content, geometry normalised to RFC 7946, area computed once.
/// Violations name the zone's attributes as the contract's ZoneContent does (zone_code, uses[1].rating,
/// geometry_geojson); a handler that passed the request's nested message prefixes them.
/// </summary>
public sealed partial class Zone
{
    /// <summary>The zone's geometry as the contract names it: it travels as GeoJSON text.</summary>
    public const string GeometryField = "geometry_geojson";

    public const int MaxNameLength = 200;
    public const int MaxNotesLength = 4000;
    public const int MaxUses = 50;
    public const int MaxUseLength = 100;

    // For the database mapping, which fills the properties itself.
    private Zone()
    {
        Code = Name = Notes = string.Empty;
        Uses = [];
        Geometry = null!;
    }

    private Zone(Guid id, ZoneContent content, Geometry geometry, double areaHectares)
    {
        Id = id;
        Code = content.Code;
        Name = content.Name;
        Category = content.Category;
        Subcategory = content.Subcategory;
        Uses = [.. content.Uses];
        Notes = content.Notes;
        Geometry = geometry;
        AreaHectares = areaHectares;
    }

    public Guid Id { get; }

    public string Code { get; }

    public string Name { get; }

    public ZeeCategory Category { get; }

    public ZeeSubcategory Subcategory { get; }

    public IReadOnlyList<AllowedUse> Uses { get; }

    public string Notes { get; }

    /// <summary>Polygon or MultiPolygon, WGS84 lon/lat, exterior rings counter-clockwise, holes clockwise.</summary>
    public Geometry Geometry { get; }

    /// <summary>Geodesic area on the WGS84 ellipsoid, holes excluded (see <see cref="GeodesicArea"/>).</summary>
    public double AreaHectares { get; }

    /// <summary>How people recognise the zone in messages: code, and name when there is one other than the code.</summary>
    public string Label => Name.Length == 0 || Name == Code ? Code : $"{Code} ({Name})";

    public ZoneContent Content => new(Code, Name, Category, Subcategory, Uses, Notes, Geometry);

    /// <summary>Every violation of the content at once, so a user fixes a zone in one pass.</summary>
    public static IReadOnlyList<FieldViolation> Validate(ZoneContent content)
    {
        var violations = AttributeViolations(content);
        if (PolygonalGeometry.Check(content.Geometry, GeometryField) is { } geometry)
        {
            violations.Add(geometry);
        }

        return violations;
    }

    /// <summary>
    /// The violations of everything but the geometry, for a reader (a file format) that reads and names the
    /// geometry itself.
    /// </summary>
    internal static List<FieldViolation> AttributeViolations(ZoneContent content)
    {
        var violations = new List<FieldViolation>();
        if (string.IsNullOrWhiteSpace(content.Code))
        {
            violations.Add(new("zone_code", "A zone needs a zone_code, its key across plan versions."));
        }
        else if (!CodePattern().IsMatch(content.Code.Trim()))
        {
            violations.Add(new("zone_code",
                $"zone_code '{TextRules.Echo(content.Code)}' must be 1–40 letters, digits, '.', '_' or '-', starting with a letter or digit."));
        }

        if (content.Name.Trim().Length > MaxNameLength)
        {
            violations.Add(new("name", $"The name is longer than {MaxNameLength} characters."));
        }
        else if (!TextRules.IsOneLine(content.Name.Trim()))
        {
            violations.Add(new("name", $"The name {TextRules.OneLineRule}."));
        }

        if (content.Notes.Trim().Length > MaxNotesLength)
        {
            violations.Add(new("notes", $"The notes are longer than {MaxNotesLength} characters."));
        }
        else if (!TextRules.IsNotes(content.Notes.Trim()))
        {
            violations.Add(new("notes", $"The notes {TextRules.NotesRule}."));
        }

        ValidateCategory(content, violations);
        ValidateUses(content.Uses, violations);
        return violations;
    }

    /// <summary>
    /// Where a fault of <paramref name="field"/> (a path of ZoneContent: "zone_code", "uses[3].rating") stands when
    /// the faults of one zone are listed: in the contract's field order (zone_code, name, category, subcategory, uses by
    /// position with use before rating, notes, geometry), so the same zone is answered in the same order whatever
    /// path (request or file) read it. Faults of the feature itself ("type") come first, anything else last.
    /// </summary>
    public static (int Field, int Item, int Part) FaultOrder(string field)
    {
        var match = UsePath().Match(field);
        if (match.Success)
        {
            var item = int.TryParse(match.Groups["i"].Value, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue;
            return (5, item, match.Groups["part"].Value switch { "" => 0, ".use" => 1, ".rating" => 2, _ => 3 });
        }

        return (field switch
        {
            "type" => 0,
            "zone_code" => 1,
            "name" => 2,
            "category" => 3,
            "subcategory" => 4,
            "uses" => 5,
            "notes" => 6,
            "geometry" or GeometryField => 7,
            _ => 8,
        }, -1, 0);
    }

    /// <exception cref="InvalidArgumentException">The content breaks a rule of <see cref="Validate"/>.</exception>
    public static Zone Create(Guid id, ZoneContent content)
    {
        var violations = Validate(content);
        if (violations.Count > 0)
        {
            throw new InvalidArgumentException(violations);
        }

        var geometry = PolygonalGeometry.Normalise(content.Geometry);
        var tidy = content with
        {
            Code = content.Code.Trim(),
            Name = content.Name.Trim(),
            Notes = content.Notes.Trim(),
            Uses = [.. content.Uses.Select(u => u with { Use = u.Use.Trim() })],
        };
        return new Zone(id, tidy, geometry, GeodesicArea.Hectares(geometry));
    }

    /// <summary>The same zone in a new draft version: same content and code, its own id.</summary>
    internal Zone CopyAs(Guid id) => new(id, Content, Geometry.Copy(), AreaHectares);

    private static void ValidateCategory(ZoneContent content, List<FieldViolation> violations)
    {
        if (!Enum.IsDefined(content.Category))
        {
            violations.Add(new("category",
                $"Unknown ZEE category; expected one of {string.Join(", ", Zee.Names<ZeeCategory>())}."));
        }
        else if (!Enum.IsDefined(content.Subcategory))
        {
            violations.Add(new("subcategory",
                $"Unknown subcategory; {Zee.Name(content.Category)} has {string.Join(", ", Zee.SubcategoriesOf(content.Category).Select(Zee.Name))}."));
        }
        else if (Zee.CategoryOf(content.Subcategory) != content.Category)
        {
            violations.Add(new("subcategory",
                $"Subcategory {Zee.Name(content.Subcategory)} belongs to {Zee.Name(Zee.CategoryOf(content.Subcategory))}, not to {Zee.Name(content.Category)}."));
        }
    }

    private static void ValidateUses(IReadOnlyList<AllowedUse> uses, List<FieldViolation> violations)
    {
        if (uses.Count > MaxUses)
        {
            // Past the limit the uses are not read one by one: a list of 10,000 would answer thousands of violations.
            violations.Add(new("uses", $"A zone lists at most {MaxUses} uses."));
            return;
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Past the limit the uses are not read one by one: a list of a million would answer a million violations.
        for (var i = 0; i < Math.Min(uses.Count, MaxUses); i++)
        {
            var use = uses[i].Use.Trim();
            if (use.Length is 0 or > MaxUseLength)
            {
                violations.Add(new($"uses[{i}].use", $"A use is named in 1–{MaxUseLength} characters."));
            }
            else if (!TextRules.IsOneLine(use))
            {
                violations.Add(new($"uses[{i}].use", $"A use {TextRules.OneLineRule}."));
            }
            else if (!seen.Add(use))
            {
                violations.Add(new($"uses[{i}].use", $"Use '{use}' is listed twice."));
            }

            if (!Enum.IsDefined(uses[i].Rating))
            {
                violations.Add(new($"uses[{i}].rating",
                    $"A use is rated {string.Join(", ", Zee.Names<UseRating>())}."));
            }
        }
    }

    [GeneratedRegex(@"^uses\[(?<i>[0-9]+)\](?<part>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex UsePath();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
