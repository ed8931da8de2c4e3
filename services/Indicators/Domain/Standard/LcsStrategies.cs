using System.Globalization;
using Watershed.ServiceDefaults.Errors;
using L = Watershed.Indicators.Domain.AnswerFields.Lcs;

namespace Watershed.Indicators.Domain.Standard;

/// <summary>
/// The livelihood coping strategies a survey round asks (WFP LCS-FS): WFP has each country choose, from its master list,
/// 4 stress, 3 crisis and 3 emergency strategies that fit the place, so the round says which. Each is a canonical field
/// "lcs.&lt;stress|crisis|emergency&gt;.&lt;name&gt;" whose name is WFP's strategy name in lower_snake_case
/// (Lcs_stress_DomAsset → lcs.stress.dom_asset).
/// </summary>
public sealed record LcsStrategies(IReadOnlyList<string> Stress, IReadOnlyList<string> Crisis, IReadOnlyList<string> Emergency)
{
    public const int StressCount = 4;
    public const int CrisisCount = 3;
    public const int EmergencyCount = 3;

    /// <summary>The longest strategy field accepted.</summary>
    public const int MaxFieldLength = 100;

    /// <summary>The ten strategies of WFP's standard LCS-FS script and sample survey: the default of a round that names none.</summary>
    public static LcsStrategies Default { get; } = new(
        ["lcs.stress.dom_asset", "lcs.stress.saving", "lcs.stress.borrow_cash", "lcs.stress.utilities"],
        ["lcs.crisis.prod_assets", "lcs.crisis.health", "lcs.crisis.out_school"],
        ["lcs.emergency.res_asset", "lcs.emergency.begged", "lcs.emergency.illegal_act"]);

    public IEnumerable<string> All => Stress.Concat(Crisis).Concat(Emergency);

    /// <summary>Each group with its prefix, the positional names of earlier versions and the class it gives CARI (2 stress … 4 emergency).</summary>
    public IEnumerable<(string Prefix, IReadOnlyList<string> Fields, IReadOnlyList<string> Legacy, int Class)> Groups =>
    [
        (L.StressPrefix, Stress, L.LegacyStress, 2),
        (L.CrisisPrefix, Crisis, L.LegacyCrisis, 3),
        (L.EmergencyPrefix, Emergency, L.LegacyEmergency, 4),
    ];

    /// <summary>
    /// The round's strategies from a request's list (empty: <see cref="Default"/>), or the violations naming each fault
    /// under <paramref name="attribute"/>: every entry a strategy field of at most <see cref="MaxFieldLength"/> characters,
    /// none twice, and exactly 4 stress, 3 crisis and 3 emergency strategies.
    /// </summary>
    public static LcsStrategies? From(IReadOnlyList<string> fields, string attribute, List<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(violations);
        if (fields.Count == 0)
        {
            return Default;
        }

        var count = violations.Count;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, field) in fields.Index())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{attribute}[{i}]");
            if (field.Length > MaxFieldLength || !Default.Groups.Any(g => AnswerFields.IsItem(field, g.Prefix)))
            {
                violations.Add(new FieldViolation(at, $"'{TextRules.Echo(field)}' is not a strategy field such as lcs.stress.dom_asset, lcs.crisis.prod_assets or lcs.emergency.begged"));
            }
            else if (!seen.Add(field))
            {
                violations.Add(new FieldViolation(at, $"{field} is listed twice"));
            }
        }

        if (violations.Count > count)
        {
            return null;
        }

        var strategies = new LcsStrategies(
            [.. fields.Where(f => f.StartsWith(L.StressPrefix, StringComparison.Ordinal))],
            [.. fields.Where(f => f.StartsWith(L.CrisisPrefix, StringComparison.Ordinal))],
            [.. fields.Where(f => f.StartsWith(L.EmergencyPrefix, StringComparison.Ordinal))]);
        if (strategies.Stress.Count != StressCount || strategies.Crisis.Count != CrisisCount || strategies.Emergency.Count != EmergencyCount)
        {
            violations.Add(new FieldViolation(attribute, string.Create(CultureInfo.InvariantCulture,
                $"names {strategies.Stress.Count} stress, {strategies.Crisis.Count} crisis and {strategies.Emergency.Count} emergency strategies; WFP's LCS asks exactly {StressCount}, {CrisisCount} and {EmergencyCount}")));
            return null;
        }

        return strategies;
    }

    /// <summary>As stored: the fields separated by spaces.</summary>
    public string ToText() => string.Join(' ', All);

    public static LcsStrategies FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new LcsStrategies(
            [.. fields.Where(f => f.StartsWith(L.StressPrefix, StringComparison.Ordinal))],
            [.. fields.Where(f => f.StartsWith(L.CrisisPrefix, StringComparison.Ordinal))],
            [.. fields.Where(f => f.StartsWith(L.EmergencyPrefix, StringComparison.Ordinal))]);
    }

    /// <summary>
    /// The columns the default mapping reads a strategy from: WFP's name (lcs.crisis.prod_assets → Lcs_crisis_ProdAssets;
    /// emergency is "em" in WFP's names; a name with underscores also as written, edu_health → Lcs_crisis_Edu_Health), the
    /// rural module's (LcsR_crisis_ProdAssets), and the positional name of earlier versions (LcsCrisis2 for the second
    /// crisis strategy). Names match ignoring case, so hh_separation reads Lcs_stress_HHSeparation.
    /// </summary>
    public IReadOnlyList<string> DefaultColumns(string field)
    {
        foreach (var (prefix, fields, _, _) in Groups)
        {
            var position = fields.ToList().IndexOf(field);
            if (position < 0)
            {
                continue;
            }

            var severity = prefix switch
            {
                L.StressPrefix => "stress",
                L.CrisisPrefix => "crisis",
                _ => "em",
            };
            var parts = field[prefix.Length..].Split('_', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => char.ToUpperInvariant(p[0]) + p[1..]).ToList();
            var legacy = prefix switch
            {
                L.StressPrefix => "LcsStress",
                L.CrisisPrefix => "LcsCrisis",
                _ => "LcsEm",
            };
            return [.. new[]
            {
                $"Lcs_{severity}_{string.Concat(parts)}",
                $"Lcs_{severity}_{string.Join('_', parts)}",
                $"LcsR_{severity}_{string.Concat(parts)}",
                string.Create(CultureInfo.InvariantCulture, $"{legacy}{position + 1}"),
            }.Distinct(StringComparer.OrdinalIgnoreCase)];
        }

        throw new ArgumentException($"{field} is not one of the round's strategies.", nameof(field));
    }

    /// <summary>The strategy a positional field of earlier versions names ("lcs.crisis_2": the second crisis strategy); null for any other field.</summary>
    public string? ForLegacy(string field)
    {
        foreach (var (_, fields, legacy, _) in Groups)
        {
            var position = legacy.ToList().IndexOf(field);
            if (position >= 0)
            {
                return fields[position];
            }
        }

        return null;
    }
}
