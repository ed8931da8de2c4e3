using System.Text.RegularExpressions;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Areas;

/// <summary>
/// How far down an area lies: households live in communities, communities in districts, districts in a watershed.
/// The proto enum's twin (same names and numbers, no zero).
/// </summary>
public enum AreaLevel
{
    Watershed = 1,
    District = 2,
    Community = 3,
}

/// <summary>What makes an area well placed and well named.</summary>
public static partial class AreaRules
{
    public const int MaxCodeLength = 60;

    public const int MaxNameLength = 200;

    /// <summary>The level an area's parent must have; null for a watershed, which is a top.</summary>
    public static AreaLevel? ParentLevel(AreaLevel level) => level switch
    {
        AreaLevel.District => AreaLevel.Watershed,
        AreaLevel.Community => AreaLevel.District,
        _ => null,
    };

    /// <summary>
    /// A watershed's code is the one tokens carry and the consultation and land-use services know it by, so it
    /// follows their pattern; other codes are what survey forms record (Kobo choice names, ubigeos), so "_" is allowed.
    /// </summary>
    public static bool IsValidCode(AreaLevel level, string code) =>
        level == AreaLevel.Watershed ? WatershedCode().IsMatch(code) : AreaCode().IsMatch(code);

    public static string CodeRule(AreaLevel level) => level == AreaLevel.Watershed
        ? "must be 2–40 lower-case letters, digits or '-', starting with a letter"
        : "must be 1–60 lower-case letters, digits, '-' or '_', starting with a letter or digit";

    /// <summary>
    /// What is wrong with a new area's code and placement before its parent is loaded, so a request learns it with
    /// its other mistakes (and before it is authorised against a watershed it may not name). A blank code is the
    /// request's own "is required".
    /// </summary>
    public static IReadOnlyList<FieldViolation> Violations(AreaLevel level, string code, bool hasParent)
    {
        var violations = new List<FieldViolation>();
        if (code.Length > 0 && !IsValidCode(level, code))
        {
            violations.Add(new FieldViolation("code", CodeRule(level)));
        }

        if (level == AreaLevel.Watershed && hasParent)
        {
            violations.Add(new FieldViolation("parent_id", "must be empty: a watershed lies in no other area"));
        }
        else if (level != AreaLevel.Watershed && !hasParent)
        {
            violations.Add(new FieldViolation("parent_id", "is required: a district lies in a watershed, a community in a district"));
        }

        return violations;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex WatershedCode();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,59}$")]
    private static partial Regex AreaCode();
}
