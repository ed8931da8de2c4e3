using System.Globalization;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// A canonical answer field of a round's form and the columns it may be read from, in order: the one the round's own
/// mapping names (<see cref="IsExplicit"/>), or the default's preferred name and its older ones.
/// </summary>
public sealed record FieldColumns(string Field, IReadOnlyList<string> Columns, bool IsExplicit, DefaultModule? Module);

/// <summary>
/// A form's columns as one file (or stream) has them: <see cref="Mapping"/> names the file's own columns (one per field
/// the file has; metadata columns the file lacks keep the form's name, so their rows say what is missing), the columns
/// nothing reads, the mapped columns the file lacks, and the names that match more than one column of the file.
/// </summary>
public sealed record FileColumns(ColumnMapping Mapping, IReadOnlyList<string> UnmappedColumns, IReadOnlyList<string> MappedColumnsNotInFile, IReadOnlyList<RowError> Faults);

/// <summary>
/// The mapping a round's imports go through: the round's own <see cref="ColumnMapping"/> merged over the default
/// (<see cref="DefaultColumns"/>). A metadata column the round leaves blank is the default's; an answer field it leaves
/// out is read from the default's columns, except those the round uses for something else. A column name matches a file's
/// column exactly, else ignoring case, else as the last part of a grouped name ("FCSStap" matches "fcs/FCSStap", as a
/// Kobo or ODK export writes a question inside a group).
/// </summary>
public sealed class FormColumns
{
    private FormColumns(IReadOnlyList<string> submissionIdColumns, string areaColumn, string householdColumn, string? weightColumn, string interviewDateColumn,
        InterviewDateFormat interviewDateFormat, IReadOnlyList<FieldColumns> answers)
    {
        SubmissionIdColumns = submissionIdColumns;
        AreaColumn = areaColumn;
        HouseholdColumn = householdColumn;
        WeightColumn = weightColumn;
        InterviewDateColumn = interviewDateColumn;
        InterviewDateFormat = interviewDateFormat;
        Answers = answers;
    }

    /// <summary>The default alone: what a round without a mapping of its own, asking WFP's standard LCS strategies, reads.</summary>
    public static FormColumns Default { get; } = Of(null, LcsStrategies.Default);

    /// <summary>Tried in order: the first with a value is the submission id.</summary>
    public IReadOnlyList<string> SubmissionIdColumns { get; }

    public string AreaColumn { get; }

    public string HouseholdColumn { get; }

    /// <summary>Null for an unweighted survey.</summary>
    public string? WeightColumn { get; }

    public string InterviewDateColumn { get; }

    public InterviewDateFormat InterviewDateFormat { get; }

    /// <summary>The women sheet's column with her household's submission id (<see cref="DefaultColumns.WomenSubmissionIdColumn"/> unless the round names one).</summary>
    public string WomenSubmissionIdColumn { get; private init; } = DefaultColumns.WomenSubmissionIdColumn;

    /// <summary>The women sheet's column with her household row's <see cref="ParentIndexColumn"/> value.</summary>
    public string WomenParentIndexColumn { get; private init; } = DefaultColumns.WomenParentIndexColumn;

    /// <summary>The main file's row index column.</summary>
    public string ParentIndexColumn { get; private init; } = DefaultColumns.ParentIndexColumn;

    /// <summary>The round's own fields first (by field name), then the default's, module by module.</summary>
    public IReadOnlyList<FieldColumns> Answers { get; }

    public IEnumerable<string> MetadataColumns =>
        SubmissionIdColumns.Concat([AreaColumn, HouseholdColumn, InterviewDateColumn]).Concat(WeightColumn is null ? [] : [WeightColumn]);

    /// <summary>Every field with its first column: the mapping in force as a round shows it.</summary>
    public ColumnMapping Primary => new(SubmissionIdColumns, AreaColumn, HouseholdColumn, WeightColumn, InterviewDateColumn,
        Answers.ToDictionary(a => a.Field, a => a.Columns[0], StringComparer.Ordinal))
    {
        InterviewDateFormat = InterviewDateFormat,
        WomenSubmissionIdColumn = WomenSubmissionIdColumn,
        WomenParentIndexColumn = WomenParentIndexColumn,
        ParentIndexColumn = ParentIndexColumn,
    };

    /// <summary>The metadata columns of the merged mapping of <paramref name="own"/>.</summary>
    public static IEnumerable<string> MetadataOf(ColumnMapping own)
    {
        ArgumentNullException.ThrowIfNull(own);
        return Metadata(own).All;
    }

    /// <summary>
    /// The round's own mapping merged over the default for a round asking <paramref name="strategies"/>. A positional LCS
    /// field of earlier versions in the round's own mapping ("lcs.crisis_2") names the round's strategy at that place.
    /// </summary>
    public static FormColumns Of(ColumnMapping? own, LcsStrategies strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        own ??= ColumnMapping.Empty;
        var metadata = Metadata(own);
        var explicitColumns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, column) in own.AnswerColumns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            explicitColumns.TryAdd(strategies.ForLegacy(field) is { } strategy && !own.AnswerColumns.ContainsKey(strategy) ? strategy : field, column);
        }

        // A column the round names itself is never also read for a default field.
        var taken = new HashSet<string>(metadata.All.Concat(explicitColumns.Values), StringComparer.OrdinalIgnoreCase);
        var answers = explicitColumns.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new FieldColumns(p.Key, [p.Value], IsExplicit: true, Module: null)).ToList();
        foreach (var module in DefaultColumns.ModulesFor(strategies))
        {
            foreach (var field in module.Fields.Where(f => !explicitColumns.ContainsKey(f.Field)))
            {
                var columns = field.Columns.Where(c => !taken.Contains(c)).ToList();
                if (columns.Count > 0)
                {
                    answers.Add(new FieldColumns(field.Field, columns, IsExplicit: false, module));
                }
            }
        }

        return new FormColumns(metadata.Ids, metadata.Area, metadata.Household, own.WeightColumn, metadata.Date, own.InterviewDateFormat, answers)
        {
            WomenSubmissionIdColumn = own.WomenSubmissionIdColumn.Length > 0 ? own.WomenSubmissionIdColumn : DefaultColumns.WomenSubmissionIdColumn,
            WomenParentIndexColumn = own.WomenParentIndexColumn.Length > 0 ? own.WomenParentIndexColumn : DefaultColumns.WomenParentIndexColumn,
            ParentIndexColumn = own.ParentIndexColumn.Length > 0 ? own.ParentIndexColumn : DefaultColumns.ParentIndexColumn,
        };
    }

    /// <summary>
    /// Finds the form's columns among a file's <paramref name="headers"/>. Metadata columns are found first, then each
    /// field's columns in order (the first the file has wins); a column of the file is read for one purpose only.
    /// </summary>
    public FileColumns Resolve(IReadOnlyCollection<string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var index = new HeaderIndex(headers);
        var faults = new List<RowError>();
        string Metadata(string column) => index.Claim(column, faults) ?? column;
        var ids = SubmissionIdColumns.Select(Metadata).ToList();
        var area = Metadata(AreaColumn);
        var household = Metadata(HouseholdColumn);
        var date = Metadata(InterviewDateColumn);
        var weight = WeightColumn is null ? null : Metadata(WeightColumn);

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var answer in Answers)
        {
            if (answer.Columns.Select(c => index.Claim(c, faults)).FirstOrDefault(h => h is not null) is { } header)
            {
                found[answer.Field] = header;
            }
        }

        var modulesFound = Answers.Where(a => a.Module is not null && found.ContainsKey(a.Field)).Select(a => a.Module!.Name).ToHashSet(StringComparer.Ordinal);
        var notInFile = Answers.Where(a => !found.ContainsKey(a.Field)
                && (a.IsExplicit || (a.Module is { IsOpenList: false } module && modulesFound.Contains(module.Name))))
            .Select(a => a.Columns[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unmapped = headers.Where(h => !index.IsClaimed(h) && !IsSystemColumn(h)).Order(StringComparer.Ordinal).ToList();
        return new FileColumns(new ColumnMapping(ids, area, household, weight, date, found) { InterviewDateFormat = InterviewDateFormat }, unmapped, notInFile, faults);
    }

    /// <summary>
    /// Columns the survey tool adds to every export (Kobo's "_id", "_submission_time", …; ODK's "meta/…" and "formhub/…"):
    /// never a question, so never reported as unread.
    /// </summary>
    public static bool IsSystemColumn(string column) =>
        column.StartsWith('_') || column.StartsWith("meta/", StringComparison.OrdinalIgnoreCase) || column.StartsWith("formhub/", StringComparison.OrdinalIgnoreCase);

    private static (IReadOnlyList<string> Ids, string Area, string Household, string Date, IReadOnlyList<string> All) Metadata(ColumnMapping own)
    {
        IReadOnlyList<string> ids = own.SubmissionIdColumns.Count > 0 ? own.SubmissionIdColumns : DefaultColumns.SubmissionIdColumns;
        var area = own.AreaColumn.Length > 0 ? own.AreaColumn : DefaultColumns.AreaColumn;
        var household = own.HouseholdColumn.Length > 0 ? own.HouseholdColumn : DefaultColumns.HouseholdColumn;
        var date = own.InterviewDateColumn.Length > 0 ? own.InterviewDateColumn : DefaultColumns.InterviewDateColumn;
        return (ids, area, household, date, [.. ids, area, household, date, .. own.WeightColumn is null ? Array.Empty<string>() : [own.WeightColumn]]);
    }

    /// <summary>A file's column names, each claimed by one name of the form at most.</summary>
    private sealed class HeaderIndex
    {
        private readonly HashSet<string> _exact;
        private readonly Dictionary<string, List<string>> _byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<string>> _byLastPart = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

        public HeaderIndex(IEnumerable<string> headers)
        {
            _exact = new HashSet<string>(headers, StringComparer.Ordinal);
            foreach (var header in _exact)
            {
                Add(_byName, header, header);
                Add(_byLastPart, LastPart(header), header);
            }
        }

        public bool IsClaimed(string header) => _claimed.Contains(header);

        /// <summary>The file's column <paramref name="name"/> names, claimed for it; null when none is free, with a fault when several are.</summary>
        public string? Claim(string name, List<RowError> faults)
        {
            if (_exact.Contains(name))
            {
                return _claimed.Add(name) ? name : null;
            }

            var sameName = Free(_byName.GetValueOrDefault(name));
            var matches = sameName.Count > 0 ? sameName
                : Free(_byLastPart.GetValueOrDefault(LastPart(name))).Where(h => h.EndsWith("/" + name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count > 1)
            {
                var listed = string.Join(", ", matches.Order(StringComparer.Ordinal).Take(5).Select(m => $"'{TextRules.Echo(m)}'"));
                faults.Add(new RowError(0, name, string.Create(CultureInfo.InvariantCulture,
                    $"matches {matches.Count} columns of the file ({listed}): name the one to read in the round's column mapping")));
                return null;
            }

            if (matches.Count == 0)
            {
                return null;
            }

            _claimed.Add(matches[0]);
            return matches[0];
        }

        private List<string> Free(List<string>? headers) => headers?.Where(h => !_claimed.Contains(h)).ToList() ?? [];

        private static string LastPart(string name) => name[(name.LastIndexOf('/') + 1)..];

        private static void Add(Dictionary<string, List<string>> index, string key, string header)
        {
            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            list.Add(header);
        }
    }
}
