using System.Collections.Frozen;
using System.Text;

namespace Watershed.LandUse.Domain;

/// <summary>
/// Categories of Peru's Ecological and Economic Zoning (ZEE, Zonificación Ecológica y Económica),
/// DS 087-2004-PCM art. 9.
/// </summary>
public enum ZeeCategory
{
    Productive = 1,
    ProtectionAndConservation = 2,
    SpecialTreatment = 3,
    Recovery = 4,
    UrbanIndustrial = 5,
}

/// <summary>Subcategories; each belongs to exactly one <see cref="ZeeCategory"/> (see <see cref="Zee.CategoryOf"/>).</summary>
public enum ZeeSubcategory
{
    Agriculture = 1,
    Pasture = 2,
    Forestry = 3,
    FishingAndAquaculture = 4,
    Mining = 5,
    Energy = 6,
    Tourism = 7,
    OtherProductive = 8,
    ProtectedArea = 9,
    SteepSlopes = 10,
    Wetlands = 11,
    Headwaters = 12,
    Riverbanks = 13,
    Archaeological = 14,
    IsolatedPeoples = 15,
    NationalSecurity = 16,
    DegradedLand = 17,
    Urban = 18,
    Industrial = 19,
}

/// <summary>How a use suits a zone: recomendable, recomendable con restricciones, no recomendable.</summary>
public enum UseRating
{
    Recommended = 1,
    RecommendedWithRestrictions = 2,
    NotRecommended = 3,
}

/// <summary>
/// The ZEE catalogue and the lower_snake_case names these values carry in files (GeoJSON properties,
/// KML ExtendedData); the names equal the proto enum names without their prefix, lower-cased.
/// </summary>
public static class Zee
{
    private static readonly FrozenDictionary<string, ZeeCategory> CategoriesByName = NamesOf<ZeeCategory>();
    private static readonly FrozenDictionary<string, ZeeSubcategory> SubcategoriesByName = NamesOf<ZeeSubcategory>();
    private static readonly FrozenDictionary<string, UseRating> RatingsByName = NamesOf<UseRating>();

    public static ZeeCategory CategoryOf(ZeeSubcategory subcategory) => subcategory switch
    {
        ZeeSubcategory.Agriculture or ZeeSubcategory.Pasture or ZeeSubcategory.Forestry
            or ZeeSubcategory.FishingAndAquaculture or ZeeSubcategory.Mining or ZeeSubcategory.Energy
            or ZeeSubcategory.Tourism or ZeeSubcategory.OtherProductive => ZeeCategory.Productive,
        ZeeSubcategory.ProtectedArea or ZeeSubcategory.SteepSlopes or ZeeSubcategory.Wetlands
            or ZeeSubcategory.Headwaters or ZeeSubcategory.Riverbanks => ZeeCategory.ProtectionAndConservation,
        ZeeSubcategory.Archaeological or ZeeSubcategory.IsolatedPeoples
            or ZeeSubcategory.NationalSecurity => ZeeCategory.SpecialTreatment,
        ZeeSubcategory.DegradedLand => ZeeCategory.Recovery,
        ZeeSubcategory.Urban or ZeeSubcategory.Industrial => ZeeCategory.UrbanIndustrial,
        _ => throw new ArgumentOutOfRangeException(nameof(subcategory), subcategory, "Not a ZEE subcategory."),
    };

    public static IReadOnlyList<ZeeSubcategory> SubcategoriesOf(ZeeCategory category) =>
        [.. Enum.GetValues<ZeeSubcategory>().Where(s => CategoryOf(s) == category)];

    public static string Name(ZeeCategory value) => SnakeCase(value);

    public static string Name(ZeeSubcategory value) => SnakeCase(value);

    public static string Name(UseRating value) => SnakeCase(value);

    public static bool TryParse(string? name, out ZeeCategory value) => Lookup(CategoriesByName, name, out value);

    public static bool TryParse(string? name, out ZeeSubcategory value) => Lookup(SubcategoriesByName, name, out value);

    public static bool TryParse(string? name, out UseRating value) => Lookup(RatingsByName, name, out value);

    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(SnakeCase);

    private static bool Lookup<T>(FrozenDictionary<string, T> names, string? name, out T value) where T : struct
    {
        value = default;
        return name is not null && names.TryGetValue(name.Trim(), out value);
    }

    private static FrozenDictionary<string, T> NamesOf<T>() where T : struct, Enum =>
        Enum.GetValues<T>().ToFrozenDictionary(v => SnakeCase(v), StringComparer.OrdinalIgnoreCase);

    private static string SnakeCase<T>(T value) where T : struct, Enum
    {
        var pascal = value.ToString();
        var snake = new StringBuilder(pascal.Length + 8);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && snake.Length > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }
}
