using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Export;

/// <summary>Sends one figure of one indicator (metric as in <see cref="AggregateMetric"/>) to a DHIS2 data element.</summary>
public sealed record Dhis2ElementMapping(string IndicatorCode, string Metric, string DataElement, string? CategoryOptionCombo = null);

/// <summary>
/// Which of our figures go to which DHIS2 data elements, and which of our areas are which org units.
/// DHIS2 is partner-specific in Peru (formats.md): each partner brings its own mapping.
/// </summary>
public sealed partial record Dhis2Mapping(IReadOnlyList<Dhis2ElementMapping> Elements, IReadOnlyDictionary<string, string> OrgUnits)
{
    /// <summary>DHIS2 uids: 11 characters, a letter then letters or digits (indicators.md, DHIS2 export).</summary>
    public static bool IsUid(string? value) => value is not null && UidPattern().IsMatch(value);

    /// <summary>The most data elements a mapping sends.</summary>
    public const int MaxElements = 500;

    /// <summary>The most areas a mapping names.</summary>
    public const int MaxOrgUnits = 5000;

    /// <summary>The longest org unit key: an area's id (36 characters) or code (at most 60).</summary>
    public const int MaxAreaKeyLength = 60;

    /// <summary>
    /// Every problem with the mapping's shape. An org unit key that cannot be quoted safely (not a short line of text)
    /// is reported under org_units; any other key under org_units[key].
    /// </summary>
    public IReadOnlyList<FieldViolation> Validate()
    {
        var errors = new List<FieldViolation>();
        if (Elements.Count > MaxElements || OrgUnits.Count > MaxOrgUnits)
        {
            errors.Add(new FieldViolation(Elements.Count > MaxElements ? "elements" : "org_units",
                $"a mapping has at most {MaxElements} elements and {MaxOrgUnits} org units"));
            return errors;
        }

        var seen = new HashSet<(string, AggregateMetric)>();
        foreach (var (i, e) in Elements.Index())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"elements[{i}]");
            if (string.IsNullOrWhiteSpace(e.IndicatorCode))
            {
                errors.Add(new FieldViolation($"{at}.indicator_code", "is required"));
            }
            else if (TextRules.OneLineFault(e.IndicatorCode, 32) is { } fault)
            {
                errors.Add(new FieldViolation($"{at}.indicator_code", fault));
            }

            if (TextRules.OneLineFault(e.Metric, 80) is { } metricFault)
            {
                errors.Add(new FieldViolation($"{at}.metric", metricFault));
            }
            else if (!AggregateMetric.TryParse(e.Metric, out var metric))
            {
                errors.Add(new FieldViolation($"{at}.metric", $"'{e.Metric}' is not a metric"));
            }
            else if (!seen.Add((e.IndicatorCode, metric!)))
            {
                errors.Add(new FieldViolation($"{at}.metric", $"{e.IndicatorCode} {e.Metric} is mapped more than once"));
            }

            if (!IsUid(e.DataElement))
            {
                errors.Add(new FieldViolation($"{at}.data_element", $"'{TextRules.Echo(e.DataElement)}' is not a DHIS2 uid (11 characters, a letter then letters or digits)"));
            }

            if (e.CategoryOptionCombo is not null && !IsUid(e.CategoryOptionCombo))
            {
                errors.Add(new FieldViolation($"{at}.category_option_combo", $"'{TextRules.Echo(e.CategoryOptionCombo)}' is not a DHIS2 uid (11 characters, a letter then letters or digits)"));
            }
        }

        foreach (var (area, orgUnit) in OrgUnits.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (TextRules.OneLineFault(area, MaxAreaKeyLength) is not null)
            {
                errors.Add(new FieldViolation("org_units", $"has a key of {area.Length} characters that is not an area id or code"));
            }
            else if (!IsUid(orgUnit))
            {
                errors.Add(new FieldViolation($"org_units[{area}]", $"'{TextRules.Echo(orgUnit)}' is not a DHIS2 uid (11 characters, a letter then letters or digits)"));
            }
        }

        return errors;
    }

    /// <summary>
    /// What the mapping names that the watershed lacks: indicators it does not have, categories those indicators
    /// do not have, areas that are not the watershed's (<paramref name="areaOf"/> gives the area id a key names, by id or
    /// code, or null), and an area named twice (by its id and by its code).
    /// </summary>
    public IReadOnlyList<FieldViolation> ValidateIn(IReadOnlyList<IndicatorInfo> indicators, Func<string, string?> areaOf)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        ArgumentNullException.ThrowIfNull(areaOf);
        var errors = new List<FieldViolation>();
        foreach (var (i, element) in Elements.Index())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"elements[{i}]");
            var indicator = indicators.FirstOrDefault(x => x.Code == element.IndicatorCode);
            if (indicator is null)
            {
                errors.Add(new FieldViolation($"{at}.indicator_code", $"the watershed has no indicator {TextRules.Echo(element.IndicatorCode)}"));
            }
            else if (AggregateMetric.TryParse(element.Metric, out var metric) && metric!.IsPerCategory && !indicator.HasCategory(metric.Category!))
            {
                errors.Add(new FieldViolation($"{at}.metric", $"{indicator.Code} has no category '{metric.Category}'"));
            }
        }

        var keyOfArea = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in OrgUnits.Keys.Order(StringComparer.Ordinal))
        {
            if (areaOf(key) is not { } area)
            {
                errors.Add(new FieldViolation($"org_units[{key}]", "is not the id or code of an area of this watershed"));
            }
            else if (!keyOfArea.TryAdd(area, key))
            {
                errors.Add(new FieldViolation($"org_units[{key}]", $"names the same area as {keyOfArea[area]}"));
            }
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{10}$")]
    private static partial Regex UidPattern();
}

public sealed record Dhis2DataValue(
    [property: JsonPropertyName("dataElement")] string DataElement,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("orgUnit")] string OrgUnit,
    [property: JsonPropertyName("categoryOptionCombo")] string? CategoryOptionCombo,
    [property: JsonPropertyName("value")] string Value);

/// <summary>A DHIS2 <c>dataValueSets</c> import document in the bulk form: period and org unit on each value.</summary>
public sealed record Dhis2DataValueSet([property: JsonPropertyName("dataValues")] IReadOnlyList<Dhis2DataValue> DataValues)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>The document, and the areas (ids) left out because the mapping has no org unit for them.</summary>
public sealed record Dhis2Export(Dhis2DataValueSet DataValueSet, IReadOnlyList<string> UnmappedAreas)
{
    /// <summary>An export needs a mapping with at least one data element: a watershed without one has nothing to send.</summary>
    public static Dhis2Mapping RequireMapping(Dhis2Mapping? mapping, Guid watershedId) =>
        mapping is { Elements.Count: > 0 }
            ? mapping
            : throw new PreconditionFailedException("DHIS2_MAPPING", watershedId.ToString(),
                "The watershed has no DHIS2 mapping: set one with SetDhis2Mapping first.");

    /// <summary>
    /// Builds the document from aggregates. A mean or percentage whose numerator and denominator are both mapped
    /// is sent only as those two counts: DHIS2 then recomputes the ratio correctly when it adds areas up
    /// (DHIS2's guidance on indicators). A figure with no value (no household scored) is not sent. The mapping names
    /// areas by id or code: <paramref name="areaOf"/> gives the area id a key names (by default the key itself).
    /// </summary>
    public static Dhis2Export Build(IEnumerable<IndicatorAggregate> aggregates, Dhis2Mapping mapping, Func<string, string?>? areaOf = null)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(mapping);
        var errors = mapping.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid DHIS2 mapping: {string.Join("; ", errors)}", nameof(mapping));
        }

        var orgUnits = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, orgUnit) in mapping.OrgUnits.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if ((areaOf ?? (k => k))(key) is { } area)
            {
                orgUnits.TryAdd(area, orgUnit);
            }
        }

        var elements = mapping.Elements.Select(e => (e.IndicatorCode, Metric: AggregateMetric.Parse(e.Metric), Element: e)).ToList();
        var values = new List<Dhis2DataValue>();
        var unmapped = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var aggregate in aggregates)
        {
            if (!orgUnits.TryGetValue(aggregate.AreaId, out var orgUnit))
            {
                unmapped.Add(aggregate.AreaId);
                continue;
            }

            var mine = elements.Where(e => e.IndicatorCode == aggregate.IndicatorCode).ToList();
            foreach (var (_, metric, element) in mine)
            {
                if (metric.Parts is { } parts && mine.Any(m => m.Metric == parts.Numerator) && mine.Any(m => m.Metric == parts.Denominator))
                {
                    continue;
                }

                if (aggregate.Value(metric) is { } value)
                {
                    values.Add(new Dhis2DataValue(element.DataElement, aggregate.Period.ToString(), orgUnit, element.CategoryOptionCombo, FormatValue(value)));
                }
            }
        }

        return new Dhis2Export(new Dhis2DataValueSet(values), [.. unmapped]);
    }

    /// <summary>Invariant culture, at most 4 decimals, halves rounded away from zero, no trailing zeros.</summary>
    public static string FormatValue(decimal value) =>
        decimal.Round(value, 4, MidpointRounding.AwayFromZero).ToString("0.####", CultureInfo.InvariantCulture);
}
