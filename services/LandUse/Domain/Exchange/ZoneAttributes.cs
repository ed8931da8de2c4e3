using System.Collections.Frozen;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Domain.Exchange;

/// <summary>
/// A zone's attributes as layers name them, whatever the format. Each attribute may be named in English or Spanish, and
/// names are matched as <see cref="Zee.Key"/> folds them (case, accents and separators aside), so GDAL's "Name" for a
/// KML placemark's name, QGIS's "Categoría" and a Shapefile's "SUBCATEGOR" (DBF names are cut at 10 characters) all
/// count:
/// <list type="table">
/// <item><term>zone_code</term><description>zone_code, codigo (required; text or a number)</description></item>
/// <item><term>name</term><description>name, nombre</description></item>
/// <item><term>category</term><description>category, categoria (required)</description></item>
/// <item><term>subcategory</term><description>subcategory, subcategoria, subcategor (required)</description></item>
/// <item><term>uses</term><description>uses, usos: a JSON list of {use, rating} (or {uso, calificacion}), or text as <see cref="UsesText"/> writes it</description></item>
/// <item><term>notes</term><description>notes, notas, description, descripcion (KML's description)</description></item>
/// </list>
/// Two properties naming one attribute with different values are a fault (keep one). <see cref="Ignored"/> are read
/// and left out on purpose; any other property holding a value is not imported and is listed in the answer.
/// </summary>
public static class ZoneAttributes
{
    private static readonly (string Field, string[] Names)[] Attributes =
    [
        ("zone_code", ["zone_code", "codigo"]),
        ("name", ["name", "nombre"]),
        ("category", ["category", "categoria"]),
        ("subcategory", ["subcategory", "subcategoria", "subcategor"]),
        ("uses", ["uses", "usos"]),
        ("notes", ["notes", "notas", "description", "descripcion"]),
    ];

    private static readonly FrozenDictionary<string, string> FieldByKey =
        Attributes.SelectMany(a => a.Names.Select(n => (Key: n, a.Field))).ToFrozenDictionary(p => p.Key, p => p.Field);

    /// <summary>
    /// Properties read and left out on purpose (as folded by <see cref="Zee.Key"/>): what the exports add that is the
    /// service's to compute (zone_id, area_ha), and the display settings GDAL's KML drivers add to every placemark.
    /// </summary>
    public static readonly FrozenSet<string> Ignored = FrozenSet.ToFrozenSet(
    [
        "zone_id", "area_ha",
        "tessellate", "extrude", "visibility", "altitudemode", "draworder", "icon", "begin", "end", "timestamp", "snippet",
    ]);

    /// <summary>The names a file may give each attribute, by the contract's name.</summary>
    public static IReadOnlyList<(string Field, string[] Names)> Names => Attributes;

    /// <summary>The attributes of one feature, with the faults of those that could not be read.</summary>
    public sealed record Reading(
        string Code,
        string Name,
        ZeeCategory Category,
        ZeeSubcategory Subcategory,
        IReadOnlyList<AllowedUse> Uses,
        string Notes,
        IReadOnlyList<FieldViolation> Faults,
        IReadOnlyList<string> Unknown)
    {
        public ZoneContent Content(Geometry geometry) => new(Code, Name, Category, Subcategory, Uses, Notes, geometry);
    }

    public static Reading Read(IReadOnlyList<KeyValuePair<string, PropertyValue>> properties)
    {
        var faults = new List<FieldViolation>();
        var byField = new Dictionary<string, List<KeyValuePair<string, PropertyValue>>>();
        var unknown = new List<string>();
        foreach (var property in properties)
        {
            var key = Zee.Key(property.Key);
            if (FieldByKey.TryGetValue(key, out var field))
            {
                if (!property.Value.IsEmpty)
                {
                    (byField.TryGetValue(field, out var list) ? list : byField[field] = []).Add(property);
                }
            }
            else if (!Ignored.Contains(key) && !property.Value.IsEmpty && !unknown.Contains(property.Key))
            {
                unknown.Add(property.Key);
            }
        }

        var code = Text("zone_code", byField, faults, required: true);
        var name = Text("name", byField, faults, required: false);
        var category = Named<ZeeCategory>("category", byField, faults, Zee.TryParse);
        var subcategory = Named<ZeeSubcategory>("subcategory", byField, faults, Zee.TryParse);
        var uses = Uses(byField, faults);
        var notes = Text("notes", byField, faults, required: false);
        return new Reading(code ?? "", name ?? "", category, subcategory, uses, notes ?? "", faults, unknown);
    }

    /// <summary>The text of an attribute (text or a number) as the feature has it, for labels in messages; null when none.</summary>
    public static string? Value(IReadOnlyList<KeyValuePair<string, PropertyValue>> properties, string field) =>
        properties.Where(p => FieldByKey.TryGetValue(Zee.Key(p.Key), out var f) && f == field && !p.Value.IsEmpty && p.Value.Kind != PropertyKind.Structure)
            .Select(p => p.Value.Text)
            .FirstOrDefault();

    /// <summary>The one property giving the attribute; null when none does, or when several give different values (a fault).</summary>
    private static KeyValuePair<string, PropertyValue>? Single(string field, Dictionary<string, List<KeyValuePair<string, PropertyValue>>> byField, List<FieldViolation> faults)
    {
        if (!byField.TryGetValue(field, out var given))
        {
            return null;
        }

        var distinct = given.DistinctBy(p => p.Value.Kind == PropertyKind.Structure ? p.Value.Json.GetRawText() : p.Value.Text).ToList();
        if (distinct.Count > 1)
        {
            faults.Add(new(field,
                $"Properties {string.Join(" and ", distinct.Select(p => $"'{TextRules.Echo(p.Key)}'"))} all give the zone's {field} with different values; keep one."));
            return null;
        }

        return given[0];
    }

    private static string? Text(string field, Dictionary<string, List<KeyValuePair<string, PropertyValue>>> byField, List<FieldViolation> faults, bool required)
    {
        if (Single(field, byField, faults) is not { } property)
        {
            if (required && !byField.ContainsKey(field))
            {
                faults.Add(new(field, Missing(field)));
            }

            return null;
        }

        if (property.Value.Kind == PropertyKind.Structure)
        {
            faults.Add(new(field, $"{Property(field, property.Key)} must be text."));
            return null;
        }

        return property.Value.Text;
    }

    private delegate bool NameParser<T>(string? name, out T value);

    private static T Named<T>(string field, Dictionary<string, List<KeyValuePair<string, PropertyValue>>> byField, List<FieldViolation> faults, NameParser<T> parse)
        where T : struct, Enum
    {
        var text = Text(field, byField, faults, required: true);
        if (text is null)
        {
            return default;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        faults.Add(new(field, $"Unknown {Property(field, byField[field][0].Key)} '{TextRules.Echo(text)}'; expected one of {Expected<T>()}."));
        return default;
    }

    private static List<AllowedUse> Uses(Dictionary<string, List<KeyValuePair<string, PropertyValue>>> byField, List<FieldViolation> faults)
    {
        var uses = new List<AllowedUse>();
        if (Single("uses", byField, faults) is not { } property)
        {
            return uses;
        }

        var value = property.Value;
        if (value.Kind == PropertyKind.Text && value.Text!.TrimStart().StartsWith('['))
        {
            // GDAL writes a GeoJSON list into a GeoPackage or Shapefile column as JSON text.
            try
            {
                using var document = JsonDocument.Parse(value.Text);
                return Uses(document.RootElement, property.Key, faults);
            }
            catch (JsonException)
            {
                faults.Add(new("uses", $"{Property("uses", property.Key)} starts with '[' but is not a JSON list of {{\"use\", \"rating\"}} objects."));
                return uses;
            }
        }

        return value.Kind switch
        {
            PropertyKind.Text => Entries(UsesText.Read(value.Text!), 0, faults),
            PropertyKind.Structure => Uses(value.Json, property.Key, faults),
            _ => Wrong(property.Key, faults),
        };
    }

    private static List<AllowedUse> Wrong(string name, List<FieldViolation> faults)
    {
        faults.Add(new("uses", $"{Property("uses", name)} must be a list of {{\"use\", \"rating\"}} objects or text such as \"pastoreo: recommended; minería: not_recommended\"."));
        return [];
    }

    private static List<AllowedUse> Uses(JsonElement list, string name, List<FieldViolation> faults)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            return Wrong(name, faults);
        }

        var uses = new List<AllowedUse>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                uses.AddRange(Entries([(Member(item, "use", "uso"), Member(item, "rating", "calificacion"))], uses.Count, faults));
            }
            else if (item.ValueKind == JsonValueKind.String)
            {
                uses.AddRange(Entries(UsesText.Read(item.GetString()!), uses.Count, faults));
            }
            else
            {
                faults.Add(new($"uses[{uses.Count}]", "Each use is an object {\"use\", \"rating\"} or the text \"use: rating\"."));
                uses.Add(new AllowedUse("", default));
            }
        }

        return uses;
    }

    /// <summary>The uses of (use, rating) pairs, numbered from <paramref name="first"/> in faults.</summary>
    private static List<AllowedUse> Entries(IReadOnlyList<(string? Use, string? Rating)> entries, int first, List<FieldViolation> faults)
    {
        var uses = new List<AllowedUse>();
        foreach (var (use, rating) in entries)
        {
            var i = first + uses.Count;
            if (string.IsNullOrWhiteSpace(use))
            {
                faults.Add(new($"uses[{i}].use", "Each use needs a use name."));
            }

            UseRating parsed = default;
            if (rating is null)
            {
                faults.Add(new($"uses[{i}].rating", $"Use '{TextRules.Echo(use)}' has no rating: write it as \"use: rating\", e.g. \"pastoreo: recommended\"."));
            }
            else if (!Zee.TryParse(rating, out parsed))
            {
                faults.Add(new($"uses[{i}].rating", $"Rating '{TextRules.Echo(rating)}' is not one of {Expected<UseRating>()}."));
            }

            uses.Add(new AllowedUse(use ?? "", parsed));
        }

        return uses;
    }

    private static string? Member(JsonElement item, params string[] names)
    {
        foreach (var member in item.EnumerateObject())
        {
            if (names.Contains(Zee.Key(member.Name)))
            {
                return member.Value.ValueKind switch
                {
                    JsonValueKind.String => member.Value.GetString(),
                    JsonValueKind.Number => member.Value.GetRawText(),
                    _ => null,
                };
            }
        }

        return null;
    }

    private static string Missing(string field) =>
        $"Missing property {field} (or {string.Join(", ", Attributes.Single(a => a.Field == field).Names.Skip(1))}).";

    private static string Property(string field, string name) => Zee.Key(name) == field ? field : $"{field} (property '{TextRules.Echo(name)}')";

    private static string Expected<T>() where T : struct, Enum =>
        $"{string.Join(", ", Zee.Names<T>())} (in Spanish {string.Join(", ", Zee.SpanishNames<T>())})";
}
