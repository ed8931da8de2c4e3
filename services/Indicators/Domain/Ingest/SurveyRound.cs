using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Standard;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// One survey of a watershed's households (a baseline, a follow-up): its FCS cut-offs, the livelihood coping strategies
/// its form asks, and the form's column mapping.
/// </summary>
public sealed class SurveyRound
{
    public const int MaxNameLength = 200;

    // Stored as text (the fields separated by spaces); null for WFP's standard strategies.
    private string? _lcsStrategyFields;

    private SurveyRound(Guid id, Guid watershedId, string name, FcsCutoffs fcsCutoffs, ColumnMapping? columnMapping, LcsStrategies? lcsStrategies, DateTimeOffset createdAt)
    {
        Id = id;
        WatershedId = watershedId;
        Name = name;
        FcsCutoffs = fcsCutoffs;
        ColumnMapping = columnMapping;
        _lcsStrategyFields = lcsStrategies is null || lcsStrategies.All.SequenceEqual(LcsStrategies.Default.All) ? null : lcsStrategies.ToText();
        CreatedAt = createdAt;
    }

    private SurveyRound()
    {
        Name = "";
    }

    public Guid Id { get; private set; }

    /// <summary>The watershed area the round surveys.</summary>
    public Guid WatershedId { get; private set; }

    /// <summary>Unique in the watershed.</summary>
    public string Name { get; private set; }

    public FcsCutoffs FcsCutoffs { get; private set; }

    /// <summary>The form's own mapping, possibly partial; null when it follows the default in every respect.</summary>
    public ColumnMapping? ColumnMapping { get; private set; }

    /// <summary>The livelihood coping strategies the form asks: 4 stress, 3 crisis, 3 emergency.</summary>
    public LcsStrategies LcsStrategies => _lcsStrategyFields is null ? LcsStrategies.Default : LcsStrategies.FromText(_lcsStrategyFields);

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The mapping imports and exports of this round go through: its own merged over the default.</summary>
    public FormColumns Form => FormColumns.Of(ColumnMapping, LcsStrategies);

    /// <summary>
    /// A new round of a watershed; its own mapping must be valid (<see cref="Domain.Ingest.ColumnMapping.Validate"/>),
    /// named under column_mapping, and may name no LCS strategy the round does not ask. A mapping that names nothing is
    /// the default; no strategies are WFP's standard ten (<see cref="LcsStrategies.Default"/>).
    /// </summary>
    public static SurveyRound Create(Area watershed, string name, FcsCutoffs fcsCutoffs, ColumnMapping? columnMapping, LcsStrategies? lcsStrategies, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(watershed);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        watershed.AsWatershed("watershed_id");
        var strategies = lcsStrategies ?? LcsStrategies.Default;
        if (ValidateMapping(columnMapping, strategies) is { Count: > 0 } violations)
        {
            throw new InvalidArgumentException(violations).Under("column_mapping");
        }

        return new SurveyRound(Guid.CreateVersion7(), watershed.Id, name, fcsCutoffs, columnMapping is { IsEmpty: true } ? null : columnMapping, strategies, now);
    }

    /// <summary>
    /// Every problem with a round's own mapping (<see cref="Domain.Ingest.ColumnMapping.Validate"/>), and, when the round's
    /// strategies are known, each strategy field it maps that the round does not ask.
    /// </summary>
    public static IReadOnlyList<FieldViolation> ValidateMapping(ColumnMapping? columnMapping, LcsStrategies? strategies)
    {
        var violations = new List<FieldViolation>(columnMapping?.Validate() ?? []);
        if (columnMapping is null || strategies is null)
        {
            return violations;
        }

        foreach (var field in columnMapping.AnswerColumns.Keys.Where(f => IsStrategyField(f) && !strategies.All.Contains(f)).Order(StringComparer.Ordinal))
        {
            violations.Add(new FieldViolation($"answer_columns[{field}]", "is not one of the round's LCS strategies (lcs_strategies)"));
        }

        return violations;
    }

    private static bool IsStrategyField(string field) => LcsStrategies.Default.Groups.Any(g => AnswerFields.IsItem(field, g.Prefix));
}
