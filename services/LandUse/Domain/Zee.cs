using System.Collections.Frozen;
using System.Globalization;
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
/// The ZEE catalogue and the names its values carry in files. Each value has an English name, the proto enum name without
/// its prefix in lower_snake_case (what exports write), and a Spanish one (<see cref="SpanishName(ZeeCategory)"/>);
/// a category may also be written as the decree titles it ("Zonas de recuperación"). Names are read as <see cref="Key"/>
/// folds them: case, accents and the separators space, '-' and '_' do not matter ("Protección y conservación",
/// "PROTECCION_Y_CONSERVACION" and "proteccion-y-conservacion" are one name).
/// </summary>
public static class Zee
{
    private static readonly FrozenDictionary<ZeeCategory, string[]> CategorySpanish = new Dictionary<ZeeCategory, string[]>
    {
        [ZeeCategory.Productive] = ["productiva", "zonas_productivas"],
        [ZeeCategory.ProtectionAndConservation] = ["proteccion_y_conservacion", "zonas_de_proteccion_y_conservacion_ecologica"],
        [ZeeCategory.SpecialTreatment] = ["tratamiento_especial", "zonas_de_tratamiento_especial"],
        [ZeeCategory.Recovery] = ["recuperacion", "zonas_de_recuperacion"],
        [ZeeCategory.UrbanIndustrial] = ["urbano_industrial", "zonas_urbanas_o_industriales"],
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<ZeeSubcategory, string[]> SubcategorySpanish = new Dictionary<ZeeSubcategory, string[]>
    {
        [ZeeSubcategory.Agriculture] = ["agricultura"],
        [ZeeSubcategory.Pasture] = ["pastos"],
        [ZeeSubcategory.Forestry] = ["forestal"],
        [ZeeSubcategory.FishingAndAquaculture] = ["pesca_y_acuicultura"],
        [ZeeSubcategory.Mining] = ["mineria"],
        [ZeeSubcategory.Energy] = ["energia"],
        [ZeeSubcategory.Tourism] = ["turismo"],
        [ZeeSubcategory.OtherProductive] = ["otra_productiva"],
        [ZeeSubcategory.ProtectedArea] = ["area_natural_protegida"],
        [ZeeSubcategory.SteepSlopes] = ["laderas_de_proteccion"],
        [ZeeSubcategory.Wetlands] = ["humedales"],
        [ZeeSubcategory.Headwaters] = ["cabeceras_de_cuenca"],
        [ZeeSubcategory.Riverbanks] = ["riberas"],
        [ZeeSubcategory.Archaeological] = ["arqueologica"],
        [ZeeSubcategory.IsolatedPeoples] = ["pueblos_en_aislamiento"],
        [ZeeSubcategory.NationalSecurity] = ["seguridad_nacional"],
        [ZeeSubcategory.DegradedLand] = ["tierras_degradadas"],
        [ZeeSubcategory.Urban] = ["urbana"],
        [ZeeSubcategory.Industrial] = ["industrial"],
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<UseRating, string[]> RatingSpanish = new Dictionary<UseRating, string[]>
    {
        [UseRating.Recommended] = ["recomendable"],
        [UseRating.RecommendedWithRestrictions] = ["recomendable_con_restricciones"],
        [UseRating.NotRecommended] = ["no_recomendable"],
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ZeeCategory> CategoriesByName = NamesOf(CategorySpanish);
    private static readonly FrozenDictionary<string, ZeeSubcategory> SubcategoriesByName = NamesOf(SubcategorySpanish);
    private static readonly FrozenDictionary<string, UseRating> RatingsByName = NamesOf(RatingSpanish);

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

    /// <summary>The Spanish name a file may carry instead of the English one, e.g. "proteccion_y_conservacion".</summary>
    public static string SpanishName(ZeeCategory value) => CategorySpanish[value][0];

    /// <inheritdoc cref="SpanishName(ZeeCategory)"/>
    public static string SpanishName(ZeeSubcategory value) => SubcategorySpanish[value][0];

    /// <inheritdoc cref="SpanishName(ZeeCategory)"/>
    public static string SpanishName(UseRating value) => RatingSpanish[value][0];

    /// <summary>The decree's own title of a category ("zonas_de_recuperacion"), also accepted.</summary>
    public static string DecreeName(ZeeCategory value) => CategorySpanish[value][1];

    public static bool TryParse(string? name, out ZeeCategory value) => Lookup(CategoriesByName, name, out value);

    public static bool TryParse(string? name, out ZeeSubcategory value) => Lookup(SubcategoriesByName, name, out value);

    public static bool TryParse(string? name, out UseRating value) => Lookup(RatingsByName, name, out value);

    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(SnakeCase);

    /// <summary>The Spanish names of every value of <typeparamref name="T"/>, in the enum's order.</summary>
    public static IEnumerable<string> SpanishNames<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => v switch
        {
            ZeeCategory c => SpanishName(c),
            ZeeSubcategory s => SpanishName(s),
            UseRating r => SpanishName(r),
            _ => throw new ArgumentOutOfRangeException(nameof(T), typeof(T), "Not a ZEE enum."),
        });

    /// <summary>
    /// A name folded for matching: lower case, accents dropped (á → a, ñ → n), every run of characters other than a-z
    /// and 0-9 made one '_', none at either end. "Protección y Conservación" and "PROTECCION-Y-CONSERVACION" give
    /// "proteccion_y_conservacion".
    /// </summary>
    public static string Key(string text)
    {
        var key = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            if (char.IsAsciiLetterLower(lower) || char.IsAsciiDigit(lower))
            {
                key.Append(lower);
            }
            else if (key.Length > 0 && key[^1] != '_')
            {
                key.Append('_');
            }
        }

        return key.ToString().TrimEnd('_');
    }

    private static bool Lookup<T>(FrozenDictionary<string, T> names, string? name, out T value) where T : struct
    {
        value = default;
        return name is not null && names.TryGetValue(Key(name), out value);
    }

    private static FrozenDictionary<string, T> NamesOf<T>(FrozenDictionary<T, string[]> spanish) where T : struct, Enum =>
        Enum.GetValues<T>()
            .SelectMany(v => spanish[v].Prepend(SnakeCase(v)).Select(name => (Name: name, Value: v)))
            .DistinctBy(p => p.Name)
            .ToFrozenDictionary(p => p.Name, p => p.Value);

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
