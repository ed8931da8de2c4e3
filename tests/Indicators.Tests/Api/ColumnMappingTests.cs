using Google.Protobuf;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>A round's mapping is merged over the default, and an import can never silently compute nothing.</summary>
public sealed class ColumnMappingTests : PostgresApiTest
{
    /// <summary>WFP's FCS columns with FCS 7×2 + 2×3 + 3 + 1 + 4 + 4 + 3.5 + 3.5 = 39 (acceptable).</summary>
    private const string FcsHeader = "\"FCSStap\";\"FCSPulse\";\"FCSVeg\";\"FCSFruit\";\"FCSPr\";\"FCSDairy\";\"FCSSugar\";\"FCSFat\";\"FCSCond\"";

    private const string Fcs39 = "\"7\";\"2\";\"3\";\"1\";\"1\";\"1\";\"7\";\"7\";\"7\"";

    private async Task<SurveyRound> RoundAsync(string name, ColumnMapping? mapping) =>
        (await S.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = S.Watershed.Id, Name = name, FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping,
        })).SurveyRound;

    private Task<IngestResult> ImportAsync(SurveyRound round, string csv, ImportMode mode = ImportMode.AllOrNothing) => S.ImportAsync(round, csv, mode);

    [Fact]
    public async Task A_round_whose_mapping_names_only_metadata_scores_a_file_with_wfp_names()
    {
        var mapping = new ColumnMapping { AreaColumn = "comunidad", HouseholdColumn = "hogar", InterviewDateColumn = "fecha" };
        mapping.SubmissionIdColumns.Add("_uuid");
        var round = await RoundAsync("metadatos", mapping);

        var result = await ImportAsync(round,
            $"\"_uuid\";\"_submission_time\";\"comunidad\";\"hogar\";\"fecha\";{FcsHeader};\"observaciones\"\n"
            + $"\"m-1\";\"2025-11-03T10:00:00\";\"manzanares\";\"MZ-1\";\"2025-11-03\";{Fcs39};\"sin novedad\"\n");

        Assert.Equal((1, 1), (result.AcceptedRows, result.StoredRows));
        Assert.Empty(result.Errors);
        Assert.Equal(["observaciones"], result.UnmappedColumns);
        Assert.Empty(result.MappedColumnsNotInFile);
        var stored = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "m-1" });
        var fcs = stored.Scores.Single(s => s.IndicatorCode == "FCS");
        Assert.Equal((39.0, "acceptable"), (fcs.Value, fcs.Category));
    }

    [Fact]
    public async Task An_empty_mapping_is_the_default_and_the_round_shows_the_mapping_in_force()
    {
        var round = await RoundAsync("vacío", new ColumnMapping());

        var shown = (await S.Viewer.Surveys.GetSurveyRoundAsync(new GetSurveyRoundRequest { SurveyRoundId = round.Id })).SurveyRound.ColumnMapping;
        Assert.Equal(["_uuid", "meta/instanceID"], shown.SubmissionIdColumns);
        Assert.Equal(("community_id", "household_id", "interview_date", false), (shown.AreaColumn, shown.HouseholdColumn, shown.InterviewDateColumn, shown.HasWeightColumn));
        Assert.Equal("FCSStap", shown.AnswerColumns["fcs.staples"]);
        Assert.Equal("rCSIMealAdult", shown.AnswerColumns["rcsi.restrict_adults"]);

        // A normal export has no weight column: the default survey is unweighted.
        var result = await ImportAsync(round,
            $"\"_uuid\";\"community_id\";\"household_id\";\"interview_date\";{FcsHeader}\n\"e-1\";\"conchacalla\";\"CC-1\";\"2025-11-05\";{Fcs39}\n");
        Assert.Equal((1, 1), (result.AcceptedRows, result.StoredRows));
        var stored = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "e-1" });
        Assert.False(stored.Submission.HasWeight);
    }

    [Fact]
    public async Task A_partial_mapping_keeps_its_own_columns_and_reads_the_rest_from_the_default()
    {
        var mapping = new ColumnMapping { AnswerColumns = { ["fcs.staples"] = "cereales_dias" } };
        var round = await RoundAsync("parcial", mapping);

        var result = await ImportAsync(round,
            "\"_uuid\";\"community_id\";\"household_id\";\"interview_date\";\"cereales_dias\";\"FCSPulse\";\"FCSVeg\";\"FCSFruit\";\"FCSPr\";\"FCSDairy\";\"FCSSugar\";\"FCSFat\";\"FCSCond\";\"FCSStap\"\n"
            + "\"p-1\";\"manzanares\";\"MZ-1\";\"2025-11-03\";\"7\";\"2\";\"3\";\"1\";\"1\";\"1\";\"7\";\"7\";\"7\";\"0\"\n");

        // Staples come from the round's own column (7 days), not from the default's FCSStap (0), which nothing reads.
        Assert.Equal(["FCSStap"], result.UnmappedColumns);
        var stored = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "p-1" });
        Assert.Equal(39.0, stored.Scores.Single(s => s.IndicatorCode == "FCS").Value);
    }

    [Fact]
    public async Task A_file_none_of_whose_columns_the_round_reads_is_refused_naming_the_columns_and_stores_nothing()
    {
        var round = await RoundAsync("sin respuestas", null);
        var before = await App.SnapshotAsync();
        const string csv = "\"_uuid\";\"community_id\";\"household_id\";\"interview_date\";\"stap\";\"puls\"\n\"n-1\";\"manzanares\";\"MZ-1\";\"2025-11-03\";\"7\";\"2\"\n";

        foreach (var mode in new[] { ImportMode.AllOrNothing, ImportMode.GoodRowsOnly })
        {
            var refused = await GrpcStatusAssert.InvalidArgumentAsync(() => ImportAsync(round, csv, mode), "csv");
            var reason = Assert.Single(refused.FieldViolations).Description;
            Assert.Contains("the file's other columns are 'puls', 'stap'", reason, StringComparison.Ordinal);
            Assert.Contains("'FCSStap'", reason, StringComparison.Ordinal);
        }

        var streamed = await GrpcStatusAssert.InvalidArgumentAsync(() => IngestTests.StreamAsync(S.Facilitator,
        [
            new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = round.Id } },
            new UploadSubmissionsRequest { Submission = new SubmissionUpload { Id = "n-2", Area = "manzanares", HouseholdId = "MZ-2", InterviewDate = "2025-11-03", Answers = { ["stap"] = "7" } } },
        ]), "submissions");
        Assert.Contains("'stap'", Assert.Single(streamed.FieldViolations).Description, StringComparison.Ordinal);
        Assert.Equal(before, await App.SnapshotAsync());
    }

    [Fact]
    public async Task A_custom_indicator_defined_later_reads_stored_households_through_the_same_matching()
    {
        var mapping = new ColumnMapping { AnswerColumns = { ["custom.water_minutes"] = "agua_min" } };
        var round = await RoundAsync("agua", mapping);
        // The form keeps the question in a group, so the export names it "servicios/agua_min".
        await ImportAsync(round,
            $"\"_uuid\";\"community_id\";\"household_id\";\"interview_date\";{FcsHeader};\"servicios/agua_min\"\n"
            + $"\"a-1\";\"manzanares\";\"MZ-1\";\"2025-11-03\";{Fcs39};\"25\"\n"
            + $"\"a-2\";\"manzanares\";\"MZ-2\";\"2025-11-03\";{Fcs39};\"45\"\n");

        await S.Facilitator.Indicators.CreateCustomIndicatorAsync(new CreateCustomIndicatorRequest
        {
            WatershedId = S.Watershed.Id, Code = "WATER", Name = "Minutos al agua", Unit = "minutos", Direction = Direction.LowerIsBetter,
            Definition = new CustomDefinition { Aggregation = CustomAggregation.Mean, AnswerField = "custom.water_minutes" },
        });

        var figure = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "WATER", AreaId = S.Manzanares.Id, Period = "2025Q4" })).Aggregate;
        Assert.Equal((2, 35.0), (figure.N, figure.Mean));
    }

    [Fact]
    public async Task A_file_whose_header_is_broken_is_still_answered_with_its_header_errors()
    {
        var round = await RoundAsync("cabecera", null);

        var result = (await S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = round.Id, Csv = ByteString.CopyFromUtf8("\"_uuid\";\"x\";\"x\"\n\"u\";\"1\";\"2\"\n"),
        })).Result;

        Assert.Equal((0, "x"), (Assert.Single(result.Errors).Row, result.Errors[0].Field));
        Assert.Equal(0, result.StoredRows);
    }
}
