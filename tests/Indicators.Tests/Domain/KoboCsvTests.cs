using Watershed.Indicators.Domain.Aggregation;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

public sealed class KoboCsvTests
{
    /// <summary>The default mapping with a weight column, as a weighted survey's round has it.</summary>
    private static readonly FormColumns Mapping = FormColumns.Of(ColumnMapping.Empty with { WeightColumn = "weight" }, LcsStrategies.Default);

    private const string Header = "\"_uuid\";\"community_id\";\"household_id\";\"weight\";\"interview_date\";\"FCSStap\";\"FCSPulse\";\"FCSVeg\";\"FCSFruit\";\"FCSPr\";\"FCSDairy\";\"FCSSugar\";\"FCSFat\";\"FCSCond\"";

    private static CsvTable Parse(string text) => KoboCsv.Read(new StringReader(text));

    [Fact]
    public void Kobo_export_with_semicolons_and_quotes_is_read_with_row_numbers()
    {
        var table = Parse(Header + "\n"
            + "\"a1\";\"c1\";\"h1\";\"1.5\";\"2026-03-14\";\"7\";\"3\";\"4\";\"1\";\"2\";\"1\";\"7\";\"5\";\"7\"\n"
            + "\"a2\";\"c1\";\"h2\";\"2\";\"2026-03-15\";\"7\";\"0\";\"0\";\"0\";\"0\";\"0\";\"0\";\"0\";\"0\"\n");

        Assert.Empty(table.Errors);
        Assert.Equal([1, 2], table.Rows.Select(r => r.Number));
        Assert.Equal("h2", table.Rows[1].Values["household_id"]);
        Assert.Equal("7", table.Rows[0].Values["FCSStap"]);
    }

    [Fact]
    public void Comma_separated_export_is_read_too()
    {
        var table = Parse("_uuid,community_id,note\r\nu1,c1,\"a; b, c\"\r\n");

        Assert.Equal(["_uuid", "community_id", "note"], table.Headers);
        Assert.Equal("a; b, c", Assert.Single(table.Rows).Values["note"]);
    }

    [Fact]
    public void Row_with_the_wrong_number_of_values_is_reported_and_left_out()
    {
        var table = Parse("\"_uuid\";\"x\"\n\"u1\";\"1\"\n\"u2\"\n\"u3\";\"3\"\n");

        Assert.Equal([1, 3], table.Rows.Select(r => r.Number));
        var error = Assert.Single(table.Errors);
        Assert.Equal((2, "*"), (error.Row, error.Field));
    }

    [Fact]
    public void Row_with_text_after_a_closing_quote_is_reported_as_malformed()
    {
        var table = Parse("\"_uuid\";\"x\"\n\"u1\";\"bad\"x\n\"u2\";\"2\"\n");

        Assert.Equal([2], table.Rows.Select(r => r.Number));
        Assert.Equal(new RowError(1, "*", "is not well-formed CSV (TextAfterClosingQuote)"), Assert.Single(table.Errors));
    }

    [Fact]
    public void Duplicate_header_is_reported_on_row_0()
    {
        var table = Parse("\"_uuid\";\"x\";\"x\"\n\"u1\";\"1\";\"2\"\n");

        Assert.Equal(new RowError(0, "x", "the header names this column more than once"), Assert.Single(table.Errors));
        Assert.Empty(table.Rows);
    }

    [Fact]
    public void Empty_file_is_reported()
    {
        Assert.Equal(0, Assert.Single(Parse("").Errors).Row);
    }

    [Fact]
    public void Batch_reports_every_bad_row_with_row_field_and_reason()
    {
        var table = Parse(Header + "\n"
            + "\"a1\";\"c1\";\"h1\";\"1\";\"2026-03-14\";\"7\";\"3\";\"4\";\"1\";\"2\";\"1\";\"7\";\"5\";\"7\"\n"
            + "\"a2\";\"c1\";\"h2\";\"1\";\"2026-03-14\";\"7\";\"3\";\"4\";\"1\";\"8\";\"1\";\"7\";\"5\";\"7\"\n"
            + "\"\";\"c1\";\"h3\";\"0\";\"14/03/2026\";\"7\";\"3\";\"4\";\"1\";\"2\";\"1\";\"7\";\"5\";\"x\"\n"
            + "\"a1\";\"c2\";\"h4\";\"1\";\"2026-03-14\";\"7\";\"3\";\"4\";\"1\";\"2\";\"1\";\"7\";\"5\";\"7\"\n");

        var batch = SubmissionBatch.Validate(table, Mapping, "round-1", FcsCutoffs.Standard2135);

        Assert.False(batch.IsClean);
        Assert.Equal([1], batch.Accepted.Select(a => a.Row));
        Assert.Equal([2, 3, 4], batch.RejectedRows);
        Assert.Contains(new RowError(2, "FCSPr", "must be 0–7 days"), batch.Errors);
        Assert.Contains(new RowError(3, "_uuid", "is required"), batch.Errors);
        Assert.Contains(new RowError(3, "weight", "'0' is not a number greater than 0 and at most 1000000"), batch.Errors);
        Assert.Contains(new RowError(3, "interview_date", "'14/03/2026' is not a date (yyyy-MM-dd) in the years 1900–2199"), batch.Errors);
        Assert.Contains(new RowError(3, "FCSCond", "'x' is not a number"), batch.Errors);
        Assert.Contains(new RowError(4, "_uuid", "duplicate submission id: row 1 has it too"), batch.Errors);
    }

    [Fact]
    public void Batch_accepts_a_good_row_with_its_scores_and_notes_columns_the_form_lacks()
    {
        var table = Parse(Header + "\n\"a1\";\"c1\";\"h1\";\"1.5\";\"2026-03-14T09:12:00.000-05:00\";\"7\";\"3\";\"4\";\"1\";\"2\";\"1\";\"7\";\"5\";\"7\"\n");

        var batch = SubmissionBatch.Validate(table, Mapping, "round-1", FcsCutoffs.Standard2135);

        var row = Assert.Single(batch.Accepted);
        Assert.Equal(new DateOnly(2026, 3, 14), row.Submission.InterviewDate);
        Assert.Equal(1.5m, row.Submission.Weight);
        Assert.Equal("round-1", row.Submission.SurveyRoundId);
        Assert.Equal(46m, row.Scores.Fcs.Value!.Value);
        Assert.True(row.Scores.Rcsi.IsMissing);
        // A module the file lacks altogether was not asked: nothing to say about its columns.
        Assert.Empty(batch.MappedColumnsNotInFile);
    }

    [Fact]
    public void Accepted_rows_aggregate_by_community_from_the_imported_file()
    {
        var table = Parse(Header + "\n"
            + "\"a1\";\"c1\";\"h1\";\"1\";\"2026-03-14\";\"7\";\"3\";\"4\";\"1\";\"2\";\"1\";\"7\";\"5\";\"7\"\n"
            + "\"a2\";\"c1\";\"h2\";\"3\";\"2026-03-20\";\"7\";\"2\";\"1\";\"0\";\"0\";\"0\";\"0\";\"0\";\"0\"\n"
            + "\"a3\";\"c1\";\"h3\";\"2\";\"2026-03-21\";\"\";\"2\";\"1\";\"0\";\"0\";\"0\";\"0\";\"0\";\"0\"\n");
        var batch = SubmissionBatch.Validate(table, Mapping, "round-1", FcsCutoffs.Standard2135);

        var fcs = IndicatorAggregator.Aggregate(FoodConsumptionScore.Info, "c1", Period.Parse("202603"), batch.Accepted.SelectMany(a => a.Observations()));

        // h1 FCS 46 (acceptable, w 1); h2 7×2 + 2×3 + 1×1 = 21 (poor, w 3); h3 has no staples answer: missing.
        // Σw = 4; mean = (46 + 3 × 21) / 4 = 109 / 4 = 27.25; poor 3/4 = 75 %
        Assert.Equal((2, 1, 27.25m), (fcs.N, fcs.NMissing, fcs.Mean));
        Assert.Equal(75m, fcs.Value(AggregateMetric.Percent("poor")));
    }

    [Fact]
    public void Odk_instance_id_is_accepted_without_its_uuid_prefix()
    {
        var table = Parse("\"meta/instanceID\";\"community_id\";\"household_id\";\"interview_date\"\n\"uuid:abc-1\";\"c1\";\"h1\";\"2026-01-02\"\n");

        var batch = SubmissionBatch.Validate(table, FormColumns.Default, "round-1", FcsCutoffs.Standard2135);

        Assert.Equal("abc-1", Assert.Single(batch.Accepted).Submission.SubmissionId);
        Assert.Null(batch.Accepted[0].Submission.Weight);
    }

    [Fact]
    public void Weighted_survey_requires_a_weight_on_every_row()
    {
        var table = Parse("\"_uuid\";\"community_id\";\"household_id\";\"weight\";\"interview_date\"\n\"u1\";\"c1\";\"h1\";\"\";\"2026-01-02\"\n");

        var batch = SubmissionBatch.Validate(table, Mapping, "round-1", FcsCutoffs.Standard2135);

        Assert.Equal(new RowError(1, "weight", "is required: the survey is weighted"), Assert.Single(batch.Errors));
    }

    [Fact]
    public void Form_with_other_column_names_is_imported_through_its_mapping()
    {
        var mapping = FormColumns.Of(new ColumnMapping(["_uuid"], "comunidad", "hogar", null, "fecha", new Dictionary<string, string>
        {
            ["rcsi.less_preferred_food"] = "rcsi_menos_preferidos",
            ["rcsi.borrow_food"] = "rcsi_prestar",
            ["rcsi.limit_portions"] = "rcsi_porciones",
            ["rcsi.restrict_adults"] = "rcsi_adultos",
            ["rcsi.fewer_meals"] = "rcsi_comidas",
        }), LcsStrategies.Default);
        var table = Parse("\"_uuid\";\"comunidad\";\"hogar\";\"fecha\";\"rcsi_menos_preferidos\";\"rcsi_prestar\";\"rcsi_porciones\";\"rcsi_adultos\";\"rcsi_comidas\"\n"
            + "\"u1\";\"c1\";\"h1\";\"2026-01-02\";\"1\";\"1\";\"1\";\"1\";\"1\"\n");

        var batch = SubmissionBatch.Validate(table, mapping, "round-1", FcsCutoffs.Standard2135);

        // 1×1 + 1×2 + 1×1 + 1×3 + 1×1 = 8
        Assert.Equal(8, Assert.Single(batch.Accepted).Scores.Rcsi.Value!.Value);
    }

    [Fact]
    public void Mapping_to_an_unknown_field_or_a_column_used_twice_is_invalid()
    {
        var mapping = ColumnMapping.Empty with
        {
            AnswerColumns = new Dictionary<string, string> { ["fcs.bread"] = "pan", ["fcs.pulses"] = "legumbres", ["fcs.dairy"] = "Legumbres", ["fcs.sugar"] = "Community_ID" },
        };

        // Column names match ignoring case, so "Legumbres" is "legumbres" again and "Community_ID" the default's area column.
        Assert.Equal(["answer_columns[fcs.bread]", "answer_columns[fcs.pulses]", "answer_columns[fcs.sugar]"], mapping.Validate().Select(e => e.Field));
        Assert.Empty(ColumnMapping.Empty.Validate());
        Assert.Empty(FormColumns.Default.Primary.Validate());
    }

    [Fact]
    public void Submissions_written_as_kobo_csv_read_back_the_same()
    {
        HouseholdSubmission[] submissions =
        [
            new("u1", "round-1", "c1", "h1", 1.25m, new DateOnly(2026, 3, 14),
                new Dictionary<string, string> { ["FCSStap"] = "7", ["note"] = "dijo \"no\"; luego sí", ["MAHFPMonths"] = "1 2" }),
            new("u2", "round-1", "c2", "h2", 3m, new DateOnly(2026, 3, 15),
                new Dictionary<string, string> { ["FCSStap"] = "0", ["note"] = "línea 1\nlínea 2", ["MAHFPMonths"] = "" }),
        ];
        var writer = new StringWriter();

        KoboCsv.Write(writer, submissions, Mapping.Primary);
        var text = writer.ToString();
        var batch = SubmissionBatch.Validate(KoboCsv.Read(new StringReader(text)), Mapping, "round-1", FcsCutoffs.Standard2135);

        Assert.StartsWith("\"_uuid\";\"community_id\";\"household_id\";\"weight\";\"interview_date\";\"FCSStap\"", text, StringComparison.Ordinal);
        Assert.True(batch.IsClean, string.Join("; ", batch.Errors));
        Assert.Equal(submissions.Length, batch.Accepted.Count);
        foreach (var (expected, actual) in submissions.Zip(batch.Accepted.Select(a => a.Submission)))
        {
            Assert.Equal(expected with { Answers = actual.Answers }, actual);
            Assert.Equal(expected.Answers.OrderBy(p => p.Key), actual.Answers.OrderBy(p => p.Key));
        }
    }
}
