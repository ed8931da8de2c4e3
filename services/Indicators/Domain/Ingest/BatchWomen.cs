using System.Globalization;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// One woman of a household's repeat group (MDD-W) as a batch carries her: the row and field prefix under which problems
/// with her are reported (the women sheet's own row and "women_csv:", or the streamed submission's row and "women[i]:"),
/// where she is for a household's message ("women_csv row 4"), and her columns, the join columns left out.
/// </summary>
public sealed record WomanRow(int ErrorRow, string FieldPrefix, string Where, IReadOnlyDictionary<string, string> Values);

/// <summary>
/// A batch's women joined to its households (by the household's row number), the women sheet's column names, and the
/// problems of the sheet: its faults (<see cref="SheetFaults"/>: a header that cannot be read, a row that is not well-formed
/// CSV, whose household cannot be known) and women whose household is not in the batch (orphans, <see cref="Errors"/>).
/// <see cref="Present"/> is false for a batch without a women sheet (and a stream without women): MDD-W is then read from
/// the household rows alone, as before repeat groups were read.
/// </summary>
public sealed record BatchWomen(bool Present, IReadOnlyList<string> Headers, IReadOnlyDictionary<int, IReadOnlyList<WomanRow>> ByHouseholdRow, IReadOnlyList<RowError> Errors)
{
    /// <summary>Faults that hide which households have women: while there is one, no household of the batch is read.</summary>
    public IReadOnlyList<RowError> SheetFaults { get; init; } = [];

    /// <summary>How a problem with the women's columns as a whole is named: "women_csv:" for a sheet, "women:" for a stream.</summary>
    public string HeaderPrefix { get; init; } = FilePrefix;

    public static BatchWomen None { get; } = new(false, [], new Dictionary<int, IReadOnlyList<WomanRow>>(), []);

    /// <summary>The field prefix of every problem with the women sheet of ImportSubmissions.</summary>
    public const string FilePrefix = "women_csv:";

    /// <summary>The most women one household may have (a household of 50 women of 15–49 is a data error, not a household).</summary>
    public const int MaxWomenPerHousehold = 50;

    /// <summary>The household rows' women, none for a household without.</summary>
    public IReadOnlyList<WomanRow> Of(int householdRow) => ByHouseholdRow.GetValueOrDefault(householdRow) ?? [];

    /// <summary>
    /// Joins a women sheet (a KoboToolbox repeat-group export) to the household rows of <paramref name="households"/>: a
    /// woman's <see cref="FormColumns.WomenSubmissionIdColumn"/> names her household's submission id ("uuid:" tolerated);
    /// a woman without a value there names her household row's <see cref="FormColumns.ParentIndexColumn"/> value in
    /// <see cref="FormColumns.WomenParentIndexColumn"/>. Column names match exactly, else ignoring case. A woman who
    /// names no household of the batch is an error of her own row; so are the sheet's malformed rows and header.
    /// </summary>
    public static BatchWomen JoinFile(CsvTable women, CsvTable households, FormColumns form)
    {
        ArgumentNullException.ThrowIfNull(women);
        ArgumentNullException.ThrowIfNull(households);
        ArgumentNullException.ThrowIfNull(form);
        var faults = women.Errors.Select(e => e with { Field = FilePrefix + e.Field }).ToList();
        var errors = new List<RowError>();
        var idColumns = form.Resolve(households.Headers).Mapping.SubmissionIdColumns;
        var indexColumn = Find(households.Headers, form.ParentIndexColumn);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var byIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in households.Rows)
        {
            if (idColumns.Select(c => Value(row.Values, c)).FirstOrDefault(v => v is not null) is { } id)
            {
                byId.TryAdd(SubmissionId(id), row.Number);
            }

            if (indexColumn is not null && Value(row.Values, indexColumn) is { } index)
            {
                byIndex.TryAdd(index, row.Number);
            }
        }

        var submissionColumn = Find(women.Headers, form.WomenSubmissionIdColumn);
        var parentColumn = Find(women.Headers, form.WomenParentIndexColumn);
        if (women.Headers.Count > 0 && submissionColumn is null && parentColumn is null)
        {
            faults.Add(new RowError(0, FilePrefix + RowError.WholeRow, string.Create(CultureInfo.InvariantCulture,
                $"has neither '{TextRules.Echo(form.WomenSubmissionIdColumn)}' nor '{TextRules.Echo(form.WomenParentIndexColumn)}': a woman cannot be joined to her household")));
        }

        var joined = new Dictionary<int, List<WomanRow>>();
        foreach (var row in women.Rows)
        {
            int? household = null;
            if (submissionColumn is not null && Value(row.Values, submissionColumn) is { } id)
            {
                household = byId.TryGetValue(SubmissionId(id), out var n) ? n : null;
                if (household is null)
                {
                    errors.Add(new RowError(row.Number, FilePrefix + submissionColumn, $"'{TextRules.Echo(id)}' is not the submission id of a household of csv: the woman's household is not in the batch"));
                    continue;
                }
            }
            else if (parentColumn is not null && Value(row.Values, parentColumn) is { } parent)
            {
                household = byIndex.TryGetValue(parent, out var n) ? n : null;
                if (household is null)
                {
                    errors.Add(new RowError(row.Number, FilePrefix + parentColumn, string.Create(CultureInfo.InvariantCulture,
                        $"'{TextRules.Echo(parent)}' is not the {TextRules.Echo(indexColumn ?? form.ParentIndexColumn)} of a household row of csv: the woman's household is not in the batch")));
                    continue;
                }
            }
            else
            {
                errors.Add(new RowError(row.Number, FilePrefix + RowError.WholeRow, string.Create(CultureInfo.InvariantCulture,
                    $"names no household: '{TextRules.Echo(form.WomenSubmissionIdColumn)}' and '{TextRules.Echo(form.WomenParentIndexColumn)}' are both blank")));
                continue;
            }

            var values = row.Values.Where(p => p.Key != submissionColumn && p.Key != parentColumn).ToDictionary(StringComparer.Ordinal);
            if (!joined.TryGetValue(household.Value, out var list))
            {
                joined[household.Value] = list = [];
            }

            list.Add(new WomanRow(row.Number, FilePrefix, string.Create(CultureInfo.InvariantCulture, $"women_csv row {row.Number}"), values));
        }

        var headers = women.Headers.Where(h => h != submissionColumn && h != parentColumn).ToList();
        return new BatchWomen(true, headers, joined.ToDictionary(p => p.Key, p => (IReadOnlyList<WomanRow>)p.Value), [.. errors.OrderBy(e => e.Row)])
        {
            SheetFaults = [.. faults.OrderBy(e => e.Row)],
        };
    }

    /// <summary>The women of streamed submissions, each under her submission's row and "women[i]:".</summary>
    public static BatchWomen Attached(IReadOnlyList<IReadOnlyList<IReadOnlyDictionary<string, string>>> womenOfSubmission, int firstRow = 1)
    {
        ArgumentNullException.ThrowIfNull(womenOfSubmission);
        if (womenOfSubmission.All(w => w.Count == 0))
        {
            return None;
        }

        var joined = new Dictionary<int, IReadOnlyList<WomanRow>>();
        foreach (var (index, women) in womenOfSubmission.Index())
        {
            var row = firstRow + index;
            if (women.Count > 0)
            {
                joined[row] = [.. women.Select((w, i) => new WomanRow(row, string.Create(CultureInfo.InvariantCulture, $"women[{i}]:"),
                    string.Create(CultureInfo.InvariantCulture, $"women[{i}]"), w))];
            }
        }

        var headers = womenOfSubmission.SelectMany(w => w).SelectMany(w => w.Keys).Distinct(StringComparer.Ordinal).ToList();
        return new BatchWomen(true, headers, joined, []) { HeaderPrefix = "women:" };
    }

    /// <summary>ODK's instanceID is "uuid:&lt;uuid&gt;" where Kobo's _uuid is the bare uuid: both name the same submission.</summary>
    public static string SubmissionId(string value) => value.Replace("uuid:", "", StringComparison.Ordinal);

    private static string? Find(IReadOnlyList<string> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h, name, StringComparison.Ordinal))
        ?? headers.FirstOrDefault(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    private static string? Value(IReadOnlyDictionary<string, string> values, string column) =>
        values.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}
