using Watershed.Indicators.Domain;
using Watershed.Indicators.Domain.Ingest;
using Watershed.Indicators.Domain.Standard;

namespace Watershed.Indicators.Tests.Domain;

/// <summary>How a round's mapping, merged over the default, finds its columns in a file.</summary>
public sealed class FormColumnsTests
{
    private static CsvTable Parse(string text) => KoboCsv.Read(new StringReader(text));

    private static string Csv(params string[][] rows) => string.Concat(rows.Select(r => string.Join(';', r.Select(v => $"\"{v}\"")) + "\n"));

    [Fact]
    public void Every_default_field_is_a_canonical_field_and_no_column_name_serves_two_fields()
    {
        Assert.All(DefaultColumns.Fields, f => Assert.True(AnswerFields.IsKnown(f.Field), f.Field));
        Assert.Equal(DefaultColumns.Fields.Count, DefaultColumns.Fields.Select(f => f.Field).Distinct().Count());
        var names = DefaultColumns.Fields.SelectMany(f => f.Columns).Concat(DefaultColumns.SubmissionIdColumns)
            .Concat([DefaultColumns.AreaColumn, DefaultColumns.HouseholdColumn, DefaultColumns.InterviewDateColumn]).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_mapping_that_names_only_metadata_still_reads_the_default_answers()
    {
        // The defect: such a mapping once imported every row with every indicator missing.
        var form = FormColumns.Of(new ColumnMapping(["id"], "comunidad", "hogar", null, "fecha", new Dictionary<string, string>()), LcsStrategies.Default);
        var table = Parse(Csv(
            ["id", "comunidad", "hogar", "fecha", "FCSStap", "FCSPulse", "FCSVeg", "FCSFruit", "FCSPr", "FCSDairy", "FCSSugar", "FCSFat", "FCSCond"],
            ["u1", "c1", "h1", "2026-01-02", "7", "2", "3", "1", "1", "1", "7", "7", "7"]));

        var batch = SubmissionBatch.Validate(table, form, "round-1", FcsCutoffs.Standard2135);

        Assert.False(batch.ReadsNoAnswer);
        Assert.Equal(39m, Assert.Single(batch.Accepted).Scores.Fcs.Value!.Value);
    }

    [Fact]
    public void Names_match_ignoring_case_and_inside_a_kobo_group()
    {
        var table = Parse(Csv(
            ["_uuid", "Community_ID", "grp_meta/household_id", "interview_date", "fcs/FCSStap", "FCSPULSE", "fcs/veg/FCSVeg", "FCSFruit", "FCSPr", "FCSDairy", "FCSSugar", "FCSFat", "FCSCond"],
            ["u1", "c1", "h1", "2026-01-02", "7", "2", "3", "1", "1", "1", "7", "7", "7"]));

        var batch = SubmissionBatch.Validate(table, FormColumns.Default, "round-1", FcsCutoffs.Standard2135);

        var row = Assert.Single(batch.Accepted);
        Assert.Equal(("c1", "h1", 39m), (row.Submission.AreaId, row.Submission.HouseholdId, row.Scores.Fcs.Value!.Value));
        Assert.Equal("fcs/FCSStap", batch.Columns.Mapping.ColumnOf(AnswerFields.Fcs.Staples));
        Assert.Empty(batch.UnmappedColumns);
    }

    [Fact]
    public void An_exact_name_wins_over_one_in_another_case()
    {
        var columns = FormColumns.Default.Resolve(["_uuid", "community_id", "household_id", "interview_date", "fcsstap", "FCSStap"]);

        Assert.Equal("FCSStap", columns.Mapping.ColumnOf(AnswerFields.Fcs.Staples));
        Assert.Equal(["fcsstap"], columns.UnmappedColumns);
    }

    [Fact]
    public void A_name_that_matches_two_columns_of_a_file_reads_nothing_of_the_file()
    {
        var table = Parse(Csv(
            ["_uuid", "community_id", "household_id", "interview_date", "a/FCSStap", "b/FCSStap"],
            ["u1", "c1", "h1", "2026-01-02", "7", "6"]));

        var batch = SubmissionBatch.Validate(table, FormColumns.Default, "round-1", FcsCutoffs.Standard2135);

        Assert.Empty(batch.Accepted);
        var fault = Assert.Single(batch.Errors);
        Assert.Equal((0, "FCSStap"), (fault.Row, fault.Field));
        Assert.Contains("'a/FCSStap', 'b/FCSStap'", fault.Reason, StringComparison.Ordinal);
        Assert.False(batch.ReadsNoAnswer);
    }

    [Fact]
    public void A_column_the_round_maps_itself_is_not_read_again_for_the_default_field()
    {
        // The round reads its own "FCSPulse" column as staples: the default's pulses must not read it too.
        var form = FormColumns.Of(ColumnMapping.Empty with { AnswerColumns = new Dictionary<string, string> { [AnswerFields.Fcs.Staples] = "FCSPulse" } }, LcsStrategies.Default);

        var columns = form.Resolve(["_uuid", "community_id", "household_id", "interview_date", "FCSPulse", "FCSStap"]);

        Assert.Equal("FCSPulse", columns.Mapping.ColumnOf(AnswerFields.Fcs.Staples));
        Assert.Null(columns.Mapping.ColumnOf(AnswerFields.Fcs.Pulses));
        Assert.Equal(["FCSStap"], columns.UnmappedColumns);
    }

    [Fact]
    public void Unread_columns_are_listed_except_those_every_export_has()
    {
        var columns = FormColumns.Default.Resolve(
            ["_id", "_uuid", "_submission_time", "meta/instanceID", "formhub/uuid", "start", "community_id", "household_id", "interview_date", "FCSStap", "Notas"]);

        Assert.Equal(["Notas", "start"], columns.UnmappedColumns);
    }

    [Fact]
    public void A_module_asked_in_part_names_the_columns_it_lacks_and_one_not_asked_at_all_names_none()
    {
        var form = FormColumns.Of(ColumnMapping.Empty with { AnswerColumns = new Dictionary<string, string> { ["custom.water_minutes"] = "agua_min" } }, LcsStrategies.Default);

        var columns = form.Resolve(["_uuid", "community_id", "household_id", "interview_date", "FCSStap", "FCSPulse", "rCSIBorrow"]);

        // FCS lacks seven of its nine groups, rCSI four of five; HDDS, HHS … were not asked; the round's own column is missing.
        Assert.Equal(["FCSCond", "FCSDairy", "FCSFat", "FCSFruit", "FCSPr", "FCSSugar", "FCSVeg", "agua_min",
            "rCSILessQlty", "rCSIMealAdult", "rCSIMealNb", "rCSIMealSize"], columns.MappedColumnsNotInFile);
    }

    [Fact]
    public void A_file_without_any_answer_the_form_reads_is_flagged_with_its_columns_named()
    {
        var table = Parse(Csv(["_uuid", "community_id", "household_id", "interview_date", "stap", "puls"], ["u1", "c1", "h1", "2026-01-02", "7", "2"]));

        var batch = SubmissionBatch.Validate(table, FormColumns.Default, "round-1", FcsCutoffs.Standard2135);

        Assert.True(batch.ReadsNoAnswer);
        var reason = batch.NoAnswerReason(FormColumns.Default);
        Assert.Contains("the file's other columns are 'puls', 'stap'", reason, StringComparison.Ordinal);
        Assert.Contains("'FCSStap'", reason, StringComparison.Ordinal);
        // A broken header is reported as such, not as a file without answers.
        Assert.False(SubmissionBatch.Validate(Parse(""), FormColumns.Default, "round-1", FcsCutoffs.Standard2135).ReadsNoAnswer);
    }
}
