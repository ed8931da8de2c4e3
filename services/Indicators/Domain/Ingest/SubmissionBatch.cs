using System.Globalization;
using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>
/// A row that passed every check, with its scores: the household's own, and one MDD-W score per woman of its repeat group
/// (<paramref name="WomenScores"/>, numbered from 1). With <paramref name="MddwFromWomen"/> the household's own MDD-W score
/// is not stored: its women are MDD-W's observations (or, with none, no woman was assessed).
/// </summary>
public sealed record AcceptedRow(int Row, HouseholdSubmission Submission, HouseholdScores Scores, IReadOnlyList<StoredScore>? WomenScores = null, bool MddwFromWomen = false)
{
    /// <summary>The household's figure on every standard indicator, placed and weighted for aggregation.</summary>
    public IReadOnlyList<HouseholdObservation> Observations() =>
    [
        .. Scores.Values.Where(v => !(MddwFromWomen && v.IndicatorCode == MinimumDietaryDiversityWomen.Info.Code)).Select(v => new HouseholdObservation(
            v.IndicatorCode, Submission.SubmissionId, Submission.AreaId, Submission.InterviewDate, Submission.Weight, v.Value, v.Category)),
        .. (WomenScores ?? []).Select(w => new HouseholdObservation(
            w.IndicatorCode, Submission.SubmissionId, Submission.AreaId, Submission.InterviewDate, Submission.Weight, w.Value, w.Category)),
    ];
}

/// <summary>
/// The verdict on a whole import: the good rows, EVERY problem of every bad row, and how the file's columns met the
/// round's form (<see cref="Columns"/>: the columns nothing reads, the mapped columns the file lacks — not an error:
/// those questions were not asked). The caller stores all rows only when <see cref="IsClean"/>, or the accepted rows
/// alone when it asked for that, and never a file that <see cref="ReadsNoAnswer"/>.
/// </summary>
public sealed record BatchValidation(IReadOnlyList<AcceptedRow> Accepted, IReadOnlyList<RowError> Errors, FileColumns Columns, bool HasWomen = false)
{
    /// <summary>MDD-W columns the women (a sheet or a stream's) lack though they have others, named with the women's prefix ("women_csv:MDDWEgg").</summary>
    public IReadOnlyList<string> WomenColumnsNotInFile { get; init; } = [];

    /// <summary>The most column names <see cref="NoAnswerReason"/> lists of each kind.</summary>
    public const int ListedColumns = 10;

    public bool IsClean => Errors.Count == 0;

    public IReadOnlyList<int> RejectedRows => [.. Errors.Select(e => e.Row).Distinct().Order()];

    public IReadOnlyList<string> MappedColumnsNotInFile => [.. Columns.MappedColumnsNotInFile, .. WomenColumnsNotInFile];

    public IReadOnlyList<string> UnmappedColumns => Columns.UnmappedColumns;

    /// <summary>
    /// The header is sound but no column of it is an answer the form reads: every indicator would come out missing for
    /// every household, which is never what an import means (a mapping that names only metadata, a form with other
    /// question names). Such a file is refused as a whole.
    /// </summary>
    public bool ReadsNoAnswer => Columns.Mapping.AnswerColumns.Count == 0 && !HasWomen && Errors.All(e => e.Row != 0);

    /// <summary>Why a file that <see cref="ReadsNoAnswer"/> is refused, naming its columns and some the form reads.</summary>
    public string NoAnswerReason(FormColumns form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return string.Create(CultureInfo.InvariantCulture,
            $"no column of the file is an answer the round's column mapping reads, so every indicator would be missing: the file's other columns are {List(Columns.UnmappedColumns)}; the mapping reads {List([.. form.Answers.Select(a => a.Columns[0])])} (GetSurveyRound shows them all)");

        static string List(IReadOnlyList<string> columns) => columns.Count == 0 ? "none"
            : string.Join(", ", columns.Take(ListedColumns).Select(c => $"'{TextRules.Echo(c)}'"))
              + (columns.Count > ListedColumns ? string.Create(CultureInfo.InvariantCulture, $" and {columns.Count - ListedColumns} more") : "");
    }
}

/// <summary>Turns a parsed export into submissions of one survey round, checking every row.</summary>
public static class SubmissionBatch
{
    /// <summary>The most characters of a submission id (after ODK's "uuid:") and of a household id: their columns' length.</summary>
    public const int MaxIdLength = 100;

    /// <summary>The most characters of the area cell: an area's code (at most 60) or id.</summary>
    public const int MaxAreaLength = 60;

    /// <summary>The most characters of one answer.</summary>
    public const int MaxAnswerLength = 10_000;

    /// <summary>
    /// Reads every row of <paramref name="table"/> through the round's <paramref name="form"/>. A form name that matches
    /// more than one column of the file is a header fault (row 0): nothing is read, since either reading could be wrong.
    /// </summary>
    public static BatchValidation Validate(CsvTable table, FormColumns form, string surveyRoundId, FcsCutoffs cutoffs, LcsStrategies? strategies = null, BatchWomen? women = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(form);
        ArgumentException.ThrowIfNullOrWhiteSpace(surveyRoundId);
        women ??= BatchWomen.None;
        var columns = form.Resolve(table.Headers);
        var womenColumns = form.Resolve(women.Headers);
        var womenFaults = womenColumns.Faults.Select(f => f with { Field = women.HeaderPrefix + f.Field }).Concat(women.SheetFaults).ToList();
        // A women sheet whose header or a row cannot be read hides which households have women: no household is read either.
        if (columns.Faults.Count > 0 || womenFaults.Count > 0)
        {
            return new BatchValidation([], [.. table.Errors.Where(e => e.Row == 0), .. columns.Faults, .. womenFaults], columns, women.Present);
        }

        var mapping = columns.Mapping;
        var errors = new List<RowError>([.. table.Errors, .. women.Errors]);
        var accepted = new List<AcceptedRow>();
        var firstRowOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var rowErrors = new List<RowError>();
            var submission = ReadSubmission(row, mapping, surveyRoundId, rowErrors);
            if (submission is not null && !firstRowOfId.TryAdd(submission.SubmissionId, row.Number))
            {
                rowErrors.Add(new RowError(row.Number, IdColumn(row, mapping), $"duplicate submission id: row {firstRowOfId[submission.SubmissionId]} has it too"));
            }

            var sheet = mapping.ToAnswerSheet(row.Values);
            var scores = HouseholdScorer.Score(sheet, cutoffs, strategies);
            rowErrors.AddRange(scores.Errors.Select(e => new RowError(row.Number, mapping.ColumnOf(e.Field) ?? e.Field, e.Description)));
            var rowWomen = women.Of(row.Number);
            var ownMddw = HouseholdScorer.AnsweredMddwFields(sheet);
            if (rowWomen.Count > 0 && ownMddw.Count > 0)
            {
                rowErrors.Add(new RowError(row.Number, mapping.ColumnOf(ownMddw[0]) ?? ownMddw[0], string.Create(CultureInfo.InvariantCulture,
                    $"the household has {rowWomen.Count} women in the repeat group and answers MDD-W on its own row too: send MDD-W in one place")));
            }

            var womenScores = ScoreWomen(row.Number, rowWomen, womenColumns.Mapping, errors, rowErrors);
            if (rowErrors.Count == 0)
            {
                var household = rowWomen.Count == 0 ? submission! : submission! with { Women = [.. rowWomen.Select(w => w.Values)] };
                accepted.Add(new AcceptedRow(row.Number, household, scores, womenScores, MddwFromWomen: women.Present && (rowWomen.Count > 0 || ownMddw.Count == 0)));
            }

            errors.AddRange(rowErrors);
        }

        return new BatchValidation(accepted, [.. errors.OrderBy(e => e.Row)], columns, women.Present)
        {
            // Only MDD-W is read from the women: another module's columns are not theirs to lack.
            WomenColumnsNotInFile = [.. womenColumns.MappedColumnsNotInFile
                .Where(c => form.Answers.Any(a => a.Field.StartsWith("mddw.", StringComparison.Ordinal) && a.Columns[0] == c))
                .Select(c => women.HeaderPrefix + c)],
        };
    }

    /// <summary>
    /// Scores each woman of a household on MDD-W, as a household row is scored: a missing answer makes her MDD-W missing,
    /// an unreadable or out-of-range one (an age outside 15–49) is an error of her row. A household with a refused woman
    /// is refused too (<paramref name="rowErrors"/>), so it is never stored without one of its women.
    /// </summary>
    private static List<StoredScore> ScoreWomen(int householdRow, IReadOnlyList<WomanRow> women, ColumnMapping mapping, List<RowError> errors, List<RowError> rowErrors)
    {
        var scores = new List<StoredScore>(women.Count);
        if (women.Count > BatchWomen.MaxWomenPerHousehold)
        {
            rowErrors.Add(new RowError(householdRow, RowError.WholeRow, string.Create(CultureInfo.InvariantCulture,
                $"has more than {BatchWomen.MaxWomenPerHousehold} women in the repeat group; a household has at most {BatchWomen.MaxWomenPerHousehold}")));
            return scores;
        }

        foreach (var (index, woman) in women.Index())
        {
            var womanErrors = new List<RowError>();
            if (woman.Values.Count > KoboCsv.MaxColumns)
            {
                womanErrors.Add(new RowError(woman.ErrorRow, woman.FieldPrefix + RowError.WholeRow, $"has more than {KoboCsv.MaxColumns} answers; a woman has at most {KoboCsv.MaxColumns}"));
            }
            else if (woman.Values.Keys.Select(KoboCsv.ColumnNameFault).FirstOrDefault(f => f is not null) is { } nameFault)
            {
                womanErrors.Add(new RowError(woman.ErrorRow, woman.FieldPrefix + RowError.WholeRow, $"an answer column's name {nameFault}"));
            }
            else
            {
                foreach (var (column, answer) in woman.Values)
                {
                    if (answer.Length > MaxAnswerLength)
                    {
                        womanErrors.Add(new RowError(woman.ErrorRow, woman.FieldPrefix + column, string.Create(CultureInfo.InvariantCulture, $"has {answer.Length} characters; an answer has at most {MaxAnswerLength}")));
                    }
                    else if (!TextRules.IsMultiLine(answer))
                    {
                        womanErrors.Add(new RowError(woman.ErrorRow, woman.FieldPrefix + column, TextRules.MultiLineRule));
                    }
                }

                var result = HouseholdScorer.ScoreWoman(mapping.ToAnswerSheet(woman.Values));
                womanErrors.AddRange(result.Errors.Select(e => new RowError(woman.ErrorRow, woman.FieldPrefix + (mapping.ColumnOf(e.Field) ?? e.Field), e.Description)));
                var value = result.Value;
                scores.Add(new StoredScore(MinimumDietaryDiversityWomen.Info.Code, value?.Groups, value is null ? null : value.Achieved ? "achieved" : "not_achieved",
                    result.MissingFields, Woman: index + 1));
            }

            if (womanErrors.Count > 0)
            {
                // A streamed woman's errors are her household's row already; a women sheet's are the sheet's rows.
                if (woman.FieldPrefix != BatchWomen.FilePrefix)
                {
                    rowErrors.AddRange(womanErrors);
                }
                else
                {
                    errors.AddRange(womanErrors);
                    rowErrors.Add(new RowError(householdRow, RowError.WholeRow, $"its woman at {woman.Where} is refused"));
                }
            }
        }

        return scores;
    }

    private static HouseholdSubmission? ReadSubmission(CsvRow row, ColumnMapping mapping, string surveyRoundId, List<RowError> errors)
    {
        var values = row.Values;
        var idColumn = IdColumn(row, mapping);
        // ODK's instanceID is "uuid:<uuid>" where Kobo's _uuid is the bare uuid: both name the same submission.
        var id = Value(values, idColumn) is { } raw ? BatchWomen.SubmissionId(raw) : null;
        var area = Value(values, mapping.AreaColumn);
        var household = Value(values, mapping.HouseholdColumn);
        var count = errors.Count;
        Require(id, idColumn, MaxIdLength);
        Require(area, mapping.AreaColumn, MaxAreaLength);
        Require(household, mapping.HouseholdColumn, MaxIdLength);

        decimal? weight = null;
        if (mapping.WeightColumn is { } weightColumn)
        {
            var text = Value(values, weightColumn);
            if (text is null)
            {
                errors.Add(new RowError(row.Number, weightColumn, "is required: the survey is weighted"));
            }
            else if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var w)
                || !SurveyWeights.IsValid(w))
            {
                errors.Add(new RowError(row.Number, weightColumn, $"'{TextRules.Echo(text)}' is not a number greater than 0 and at most 1000000"));
            }
            else
            {
                weight = w;
            }
        }

        var dateText = Value(values, mapping.InterviewDateColumn);
        var date = InterviewDates.Parse(dateText, mapping.InterviewDateFormat);
        if (date is null)
        {
            errors.Add(new RowError(row.Number, mapping.InterviewDateColumn, dateText is null ? "is required"
                : string.Create(CultureInfo.InvariantCulture,
                    $"'{TextRules.Echo(dateText)}' is not a date ({InterviewDates.Pattern(mapping.InterviewDateFormat)}) in the years {Period.FirstYear}–{Period.LastYear}")));
        }

        var metadata = mapping.MetadataColumns.ToHashSet(StringComparer.Ordinal);
        var answers = values.Where(p => !metadata.Contains(p.Key)).ToDictionary(StringComparer.Ordinal);
        foreach (var (column, answer) in answers)
        {
            if (answer.Length > MaxAnswerLength)
            {
                errors.Add(new RowError(row.Number, column, string.Create(CultureInfo.InvariantCulture, $"has {answer.Length} characters; an answer has at most {MaxAnswerLength}")));
            }
            else if (!TextRules.IsMultiLine(answer))
            {
                errors.Add(new RowError(row.Number, column, TextRules.MultiLineRule));
            }
        }

        return errors.Count > count ? null : new HouseholdSubmission(id!, surveyRoundId, area!, household!, weight, date!.Value, answers);

        void Require(string? value, string column, int maxLength)
        {
            if (value is null)
            {
                errors.Add(new RowError(row.Number, column, "is required"));
            }
            else if (TextRules.OneLineFault(value, maxLength) is { } fault)
            {
                errors.Add(new RowError(row.Number, column, fault));
            }
        }
    }

    /// <summary>The first submission id column with a value; the first one named when none has.</summary>
    private static string IdColumn(CsvRow row, ColumnMapping mapping) =>
        mapping.SubmissionIdColumns.FirstOrDefault(c => Value(row.Values, c) is not null) ?? mapping.SubmissionIdColumns[0];

    private static string? Value(IReadOnlyDictionary<string, string> values, string column) =>
        values.TryGetValue(column, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}
