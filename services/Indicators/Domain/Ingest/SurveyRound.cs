using Watershed.Indicators.Domain.Areas;
using Watershed.Indicators.Domain.Standard;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>One survey of a watershed's households (a baseline, a follow-up), with the form's column mapping.</summary>
public sealed class SurveyRound
{
    public const int MaxNameLength = 200;

    private SurveyRound(Guid id, Guid watershedId, string name, FcsCutoffs fcsCutoffs, ColumnMapping? columnMapping, DateTimeOffset createdAt)
    {
        Id = id;
        WatershedId = watershedId;
        Name = name;
        FcsCutoffs = fcsCutoffs;
        ColumnMapping = columnMapping;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>The watershed area the round surveys.</summary>
    public Guid WatershedId { get; private set; }

    /// <summary>Unique in the watershed.</summary>
    public string Name { get; private set; }

    public FcsCutoffs FcsCutoffs { get; private set; }

    /// <summary>The form's own mapping, possibly partial; null when it follows the default in every respect.</summary>
    public ColumnMapping? ColumnMapping { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The mapping imports and exports of this round go through: its own merged over the default.</summary>
    public FormColumns Form => FormColumns.Of(ColumnMapping);

    /// <summary>
    /// A new round of a watershed; its own mapping must be valid (<see cref="Domain.Ingest.ColumnMapping.Validate"/>),
    /// named under column_mapping. A mapping that names nothing is the default.
    /// </summary>
    public static SurveyRound Create(Area watershed, string name, FcsCutoffs fcsCutoffs, ColumnMapping? columnMapping, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(watershed);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        watershed.AsWatershed("watershed_id");
        if (columnMapping?.Validate() is { Count: > 0 } violations)
        {
            throw new InvalidArgumentException(violations).Under("column_mapping");
        }

        return new SurveyRound(Guid.CreateVersion7(), watershed.Id, name, fcsCutoffs, columnMapping is { IsEmpty: true } ? null : columnMapping, now);
    }
}
