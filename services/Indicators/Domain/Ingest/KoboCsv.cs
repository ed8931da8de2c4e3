using System.Globalization;
using CsvHelper;
using Watershed.Indicators.Domain.Export;

namespace Watershed.Indicators.Domain.Ingest;

/// <summary>A data row of a CSV export: its 1-based number (the header is not counted) and column → value.</summary>
public sealed record CsvRow(int Number, IReadOnlyDictionary<string, string> Values);

/// <summary>A parsed export. Rows whose shape is broken are left out of <see cref="Rows"/> and reported in <see cref="Errors"/>.</summary>
public sealed record CsvTable(IReadOnlyList<string> Headers, IReadOnlyList<CsvRow> Rows, IReadOnlyList<RowError> Errors);

/// <summary>
/// KoboToolbox CSV exports (formats.md, Survey data): ";" separated, every value quoted, a header row.
/// "," separated files (ODK Central, spreadsheets) are read too: the header line decides.
/// </summary>
public static class KoboCsv
{
    /// <summary>The most characters of a column name (a form's question path).</summary>
    public const int MaxColumnNameLength = 200;

    /// <summary>The most columns a file (or a streamed submission's answers) may have.</summary>
    public const int MaxColumns = 2000;

    /// <summary>Why a column name is refused: too long, or not one line of text; null when it is fine.</summary>
    public static string? ColumnNameFault(string name) => TextRules.OneLineFault(name, MaxColumnNameLength);

    public static CsvTable Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = reader.ReadToEnd().TrimStart('\uFEFF');
        CsvMalformedReason? malformed = null;
        var options = new CsvReaderOptions
        {
            Separator = DetectSeparator(text),
            HasHeader = true,
            AllowLineBreaksInQuotes = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MalformedData = CsvMalformedDataHandling.Recover,
            OnMalformedRecord = m => malformed = m.Reason,
        };
        using var csv = CsvReader.Create(new StringReader(text), options, leaveOpen: false);
        var rows = new List<CsvRow>();
        var errors = new List<RowError>();
        string[]? headers = null;
        while (csv.Read())
        {
            if (headers is null)
            {
                headers = [.. csv.Headers.Select(h => h.Trim())];
                // A bad column name is named by its position: the name itself may be huge or hold control characters.
                var badNames = headers.Index().Where(h => ColumnNameFault(h.Item) is not null)
                    .Select(h => new RowError(0, RowError.WholeRow, $"the name of column {h.Index + 1} {ColumnNameFault(h.Item)}")).ToList();
                if (headers.Length > MaxColumns)
                {
                    badNames.Insert(0, new RowError(0, RowError.WholeRow, $"the header has {headers.Length} columns; a file has at most {MaxColumns}"));
                }

                if (badNames.Count > 0)
                {
                    return new CsvTable([], [], badNames);
                }

                var duplicates = headers.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                if (duplicates.Count > 0)
                {
                    return new CsvTable(headers, [], [.. duplicates.Select(d => new RowError(0, d, "the header names this column more than once"))]);
                }
            }

            var number = (int)csv.RowNumber;
            if (malformed is { } reason)
            {
                errors.Add(new RowError(number, RowError.WholeRow, $"is not well-formed CSV ({reason})"));
                malformed = null;
            }
            else if (csv.FieldCount != headers.Length)
            {
                errors.Add(new RowError(number, RowError.WholeRow, $"has {csv.FieldCount} values; the header has {headers.Length} columns"));
            }
            else
            {
                var values = new Dictionary<string, string>(headers.Length, StringComparer.Ordinal);
                for (var i = 0; i < headers.Length; i++)
                {
                    values[headers[i]] = csv.GetString(i);
                }

                rows.Add(new CsvRow(number, values));
            }
        }

        headers ??= [.. csv.Headers.Select(h => h.Trim())];
        return headers.Length == 0
            ? new CsvTable([], [], [new RowError(0, RowError.WholeRow, "the file is empty: a header row is required")])
            : new CsvTable(headers, rows, errors);
    }

    /// <summary>
    /// Writes submissions as Kobo does: ";" separated, every value quoted. Metadata columns come first under
    /// the mapping's names (the first submission id column), then every answer column in order of first appearance.
    /// The survey round is not a column: an export belongs to one round. Column names, ids, the area code, the household
    /// and every answer are text cells (<see cref="SpreadsheetCells.Text"/>); the weight and the interview date are data.
    /// </summary>
    public static void Write(TextWriter writer, IEnumerable<HouseholdSubmission> submissions, ColumnMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(mapping);
        if (mapping.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException($"Invalid column mapping: {string.Join("; ", errors)}", nameof(mapping));
        }

        var list = submissions.ToList();
        var answerColumns = list.SelectMany(s => s.Answers.Keys).Distinct(StringComparer.Ordinal).ToList();
        var metadata = new List<string> { mapping.SubmissionIdColumns[0], mapping.AreaColumn, mapping.HouseholdColumn };
        if (mapping.WeightColumn is not null)
        {
            metadata.Add(mapping.WeightColumn);
        }

        metadata.Add(mapping.InterviewDateColumn);
        var options = new CsvWriterOptions { Separator = ';', Quoting = CsvQuoting.Always, NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };
        using var csv = CsvWriter.Create(writer, options, leaveOpen: true);
        csv.WriteRecord([.. metadata.Select(SpreadsheetCells.Text), .. answerColumns.Select(SpreadsheetCells.Text)]);
        foreach (var s in list)
        {
            csv.WriteField(SpreadsheetCells.Text(s.SubmissionId));
            csv.WriteField(SpreadsheetCells.Text(s.AreaId));
            csv.WriteField(SpreadsheetCells.Text(s.HouseholdId));
            if (mapping.WeightColumn is not null)
            {
                csv.WriteField(s.Weight?.ToString(CultureInfo.InvariantCulture) ?? "");
            }

            csv.WriteField(s.InterviewDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var column in answerColumns)
            {
                csv.WriteField(SpreadsheetCells.Text(s.Answers.GetValueOrDefault(column, "")));
            }

            csv.EndRecord();
        }

        csv.Flush();
    }

    /// <summary>
    /// Writes the submissions' women as KoboToolbox writes a repeat group's sheet, with the same quoting and text rule as
    /// <see cref="Write"/>: the join column (<paramref name="submissionIdColumn"/>, the household's submission id), then every
    /// woman's column in order of first appearance, one row per woman in the submissions' order.
    /// </summary>
    public static void WriteWomen(TextWriter writer, IEnumerable<HouseholdSubmission> submissions, string submissionIdColumn)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentException.ThrowIfNullOrWhiteSpace(submissionIdColumn);
        var women = submissions.SelectMany(s => s.Women.Select(w => (s.SubmissionId, Answers: w))).ToList();
        var columns = women.SelectMany(w => w.Answers.Keys).Distinct(StringComparer.Ordinal).ToList();
        var options = new CsvWriterOptions { Separator = ';', Quoting = CsvQuoting.Always, NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture };
        using var csv = CsvWriter.Create(writer, options, leaveOpen: true);
        csv.WriteRecord([SpreadsheetCells.Text(submissionIdColumn), .. columns.Select(SpreadsheetCells.Text)]);
        foreach (var (submissionId, answers) in women)
        {
            csv.WriteField(SpreadsheetCells.Text(submissionId));
            foreach (var column in columns)
            {
                csv.WriteField(SpreadsheetCells.Text(answers.GetValueOrDefault(column, "")));
            }

            csv.EndRecord();
        }

        csv.Flush();
    }

    /// <summary>The separator that occurs more often outside quotes on the header line; ";" on a tie, as Kobo writes it.</summary>
    private static char DetectSeparator(string text)
    {
        int semicolons = 0, commas = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted && c == ';')
            {
                semicolons++;
            }
            else if (!quoted && c == ',')
            {
                commas++;
            }
        }

        return commas > semicolons ? ',' : ';';
    }
}
