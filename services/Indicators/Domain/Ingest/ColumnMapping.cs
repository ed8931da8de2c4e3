using Watershed.ServiceDefaults.Errors;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// A round's own column mapping, as its creator gave it: where the form's export keeps the metadata, and for some
/// canonical answer fields (<see cref="AnswerFields"/>, e.g. "fcs.staples") the form's column (e.g. "stap"). It may
/// be partial: a metadata column left blank, no submission id column, and every answer field it leaves out follow
/// the default (<see cref="DefaultColumns"/>); <see cref="FormColumns.Of"/> merges the two. An absent
/// <see cref="WeightColumn"/> means an unweighted survey.
/// </summary>
public sealed record ColumnMapping(
    IReadOnlyList<string> SubmissionIdColumns,
    string AreaColumn,
    string HouseholdColumn,
    string? WeightColumn,
    string InterviewDateColumn,
    IReadOnlyDictionary<string, string> AnswerColumns)
{
    /// <summary>How the interview date column writes dates (<see cref="InterviewDates.Parse"/>); ISO unless the round says otherwise.</summary>
    public InterviewDateFormat InterviewDateFormat { get; init; } = InterviewDateFormat.Iso;

    /// <summary>The women sheet's column holding a woman's household's submission id; blank: the default's.</summary>
    public string WomenSubmissionIdColumn { get; init; } = "";

    /// <summary>The women sheet's column holding her household row's <see cref="ParentIndexColumn"/> value; blank: the default's.</summary>
    public string WomenParentIndexColumn { get; init; } = "";

    /// <summary>The main file's row index column, which <see cref="WomenParentIndexColumn"/> refers to; blank: the default's.</summary>
    public string ParentIndexColumn { get; init; } = "";

    /// <summary>A mapping that names nothing: the default in every respect.</summary>
    public static ColumnMapping Empty { get; } = new([], "", "", null, "", new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The most submission id columns a mapping tries.</summary>
    public const int MaxSubmissionIdColumns = 10;

    /// <summary>True when the mapping names nothing of its own, so the round follows the default.</summary>
    public bool IsEmpty =>
        SubmissionIdColumns.Count == 0 && AreaColumn.Length == 0 && HouseholdColumn.Length == 0 && WeightColumn is null
        && InterviewDateColumn.Length == 0 && AnswerColumns.Count == 0 && InterviewDateFormat == InterviewDateFormat.Iso
        && WomenSubmissionIdColumn.Length == 0 && WomenParentIndexColumn.Length == 0 && ParentIndexColumn.Length == 0;

    /// <summary>
    /// Every problem with the mapping, named by its attribute (snake_case, answer columns as answer_columns[field]).
    /// Column names follow <see cref="KoboCsv.ColumnNameFault"/> (1–200 characters, one line); a blank metadata column
    /// is the default's. A key that is not a canonical field and cannot be quoted safely (over 100 characters or not one
    /// line) is reported under answer_columns. An answer column may not be a metadata column of the merged mapping.
    /// </summary>
    public IReadOnlyList<FieldViolation> Validate()
    {
        var errors = new List<FieldViolation>();
        if (SubmissionIdColumns.Count > MaxSubmissionIdColumns || SubmissionIdColumns.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add(new FieldViolation("submission_id_columns", $"names at most {MaxSubmissionIdColumns} columns and no blank column name (none: the default's)"));
        }
        else
        {
            errors.AddRange(SubmissionIdColumns.Index()
                .Where(c => KoboCsv.ColumnNameFault(c.Item) is not null)
                .Select(c => new FieldViolation($"submission_id_columns[{c.Index}]", KoboCsv.ColumnNameFault(c.Item)!)));
        }

        foreach (var (attribute, column) in new[]
        {
            ("area_column", AreaColumn), ("household_column", HouseholdColumn), ("interview_date_column", InterviewDateColumn),
            ("women_submission_id_column", WomenSubmissionIdColumn), ("women_parent_index_column", WomenParentIndexColumn), ("parent_index_column", ParentIndexColumn),
        })
        {
            if (column.Length > 0 && KoboCsv.ColumnNameFault(column) is { } fault)
            {
                errors.Add(new FieldViolation(attribute, fault));
            }
        }

        if (WeightColumn is not null && string.IsNullOrWhiteSpace(WeightColumn))
        {
            errors.Add(new FieldViolation("weight_column", "must not be blank; leave it out for an unweighted survey"));
        }
        else if (WeightColumn is not null && KoboCsv.ColumnNameFault(WeightColumn) is { } fault)
        {
            errors.Add(new FieldViolation("weight_column", fault));
        }

        if (AnswerColumns.Count > KoboCsv.MaxColumns)
        {
            errors.Add(new FieldViolation("answer_columns", $"maps {AnswerColumns.Count} fields; at most {KoboCsv.MaxColumns}"));
            return errors;
        }

        var metadata = FormColumns.MetadataOf(this).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var usedBy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (field, column) in AnswerColumns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var at = $"answer_columns[{field}]";
            if (!AnswerFields.IsKnown(field))
            {
                if (TextRules.OneLineFault(field, 100) is not null)
                {
                    errors.Add(new FieldViolation("answer_columns", $"has a key of {field.Length} characters that is not a canonical answer field"));
                    continue;
                }

                errors.Add(new FieldViolation(at, "is not a canonical answer field"));
            }

            if (string.IsNullOrWhiteSpace(column))
            {
                errors.Add(new FieldViolation(at, "column name is required"));
            }
            else if (KoboCsv.ColumnNameFault(column) is { } fault)
            {
                errors.Add(new FieldViolation(at, $"column name {fault}"));
            }
            else if (metadata.Contains(column))
            {
                errors.Add(new FieldViolation(at, $"column '{column}' is already a metadata column"));
            }
            else if (!usedBy.TryAdd(column, field))
            {
                errors.Add(new FieldViolation(at, $"column '{column}' is already mapped to {usedBy[column]}"));
            }
        }

        return errors;
    }

    /// <summary>The metadata columns this mapping names, as they are (blank ones included).</summary>
    public IEnumerable<string> MetadataColumns =>
        SubmissionIdColumns.Concat([AreaColumn, HouseholdColumn, InterviewDateColumn]).Concat(WeightColumn is null ? [] : [WeightColumn]);

    public string? ColumnOf(string field) => AnswerColumns.GetValueOrDefault(field);

    /// <summary>The canonical answers of a submission: mapped fields whose column the export has.</summary>
    public AnswerSheet ToAnswerSheet(IReadOnlyDictionary<string, string> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return new AnswerSheet(AnswerColumns
            .Where(p => answers.ContainsKey(p.Value))
            .Select(p => KeyValuePair.Create(p.Key, (string?)answers[p.Value])));
    }
}
