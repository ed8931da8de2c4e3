using Grpc.Core;
using Watershed.Indicators.Grpc;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>
/// UploadSubmissions read part by part (checked SurveyGrpcService.UploadPartSize households at a time, written
/// SubmissionIngest.WriteBatchSize at a time, so an upload holds a few parts, not the stream), on PostgreSQL: the answer
/// and what is stored are those of the whole stream at once, and all or nothing still holds when a later part fails
/// after earlier ones were written.
/// </summary>
public sealed class StreamedUploadTests : PostgresApiTest
{
    private const int Part = SurveyGrpcService.UploadPartSize;

    private static FcsHousehold[] Many(int count, string prefix) => [.. Enumerable.Range(0, count).Select(i => (i % 3) switch
    {
        0 => Households.Poor($"{prefix}-{i}", "manzanares", "2025-11-03"),
        1 => Households.Acceptable39($"{prefix}-{i}", "manzanares", "2025-11-04"),
        _ => Households.Borderline27($"{prefix}-{i}", "conchacalla", "2025-11-05"),
    })];

    [Fact]
    public async Task A_stream_of_several_parts_is_stored_whole_as_one_batch_with_one_event()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var households = Many((2 * Part) + 500, "p");

        var first = await IngestTests.UploadAsync(S.Facilitator, round, ImportMode.AllOrNothing, households);

        Assert.Equal((households.Length, households.Length, 0), (first.AcceptedRows, first.StoredRows, first.DuplicateRows));
        Assert.Empty(first.Errors);
        Assert.Equal(households.Length, await App.SubmissionCountAsync(round.Id));
        var batch = Assert.Single((await S.Facilitator.Surveys.ListImportBatchesAsync(new ListImportBatchesRequest { SurveyRoundId = round.Id })).ImportBatches);
        Assert.Equal((first.ImportBatchId, households.Length), (batch.Id, batch.StoredRows));
        var imported = SubmissionsImported.Parser.ParseJson(Assert.Single(await App.OutboxAsync()).Data);
        Assert.Equal(households.Length, imported.StoredRows);
        Assert.Equal(2, imported.AreaIds.Count);
        // Every household counts once in the figure.
        var figure = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Period = "2025Q4" })).Aggregate;
        Assert.Equal(households.Count(h => h.Community == "manzanares"), figure.N);

        var again = await IngestTests.UploadAsync(S.Facilitator, round, ImportMode.AllOrNothing, households);
        Assert.Equal((households.Length, 0, households.Length), (again.AcceptedRows, again.StoredRows, again.DuplicateRows));
        Assert.Equal(households.Length, await App.SubmissionCountAsync(round.Id));
    }

    [Fact]
    public async Task An_id_sent_again_in_a_later_part_is_a_row_error_of_its_row_and_all_or_nothing_stores_none()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var households = Many(Part + 300, "d");
        // Row 1,201 (the second part) repeats row 5's submission id.
        households[Part + 200] = households[Part + 200] with { Id = households[4].Id };

        var strict = await IngestTests.UploadAsync(S.Facilitator, round, ImportMode.AllOrNothing, households);
        var error = Assert.Single(strict.Errors);
        Assert.Equal((Part + 201, "_uuid", "duplicate submission id: row 5 has it too"), (error.Row, error.Field, error.Reason));
        Assert.Equal(0, strict.StoredRows);
        Assert.Equal(0, await App.SubmissionCountAsync(round.Id));
        Assert.Empty((await S.Facilitator.Surveys.ListImportBatchesAsync(new ListImportBatchesRequest { SurveyRoundId = round.Id })).ImportBatches);
        Assert.Empty(await App.OutboxAsync());

        var lenient = await IngestTests.UploadAsync(S.Facilitator, round, ImportMode.GoodRowsOnly, households);
        Assert.Equal((households.Length - 1, households.Length - 1), (lenient.AcceptedRows, lenient.StoredRows));
        Assert.Equal(households.Length - 1, await App.SubmissionCountAsync(round.Id));
    }

    [Fact]
    public async Task A_bad_household_after_a_write_refuses_the_stream_and_nothing_written_before_it_stays()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        // More than one write's worth (SubmissionIngest.WriteBatchSize) before the bad household, so it comes after rows
        // were written in the stream's transaction.
        var households = Many(SubmissionIngest.WriteBatchSize + (2 * Part) + 10, "b");
        households[^1] = households[^1] with { Date = "2025-13-40" };
        var counts = await App.SnapshotAsync();

        var strict = await IngestTests.UploadAsync(S.Facilitator, round, ImportMode.AllOrNothing, households);

        Assert.Equal(households.Length, Assert.Single(strict.Errors).Row);
        Assert.Equal((households.Length - 1, 0), (strict.AcceptedRows, strict.StoredRows));
        Assert.Equal(counts, await App.SnapshotAsync());
    }

    [Fact]
    public async Task A_message_that_is_no_submission_in_a_later_part_refuses_the_stream_and_stores_nothing()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var messages = new List<UploadSubmissionsRequest> { new() { Header = new UploadHeader { SurveyRoundId = round.Id } } };
        messages.AddRange(Many(Part + 200, "m").Select(h => new UploadSubmissionsRequest { Submission = Upload(h) }));
        messages.Add(new UploadSubmissionsRequest { Header = new UploadHeader { SurveyRoundId = round.Id } });
        var counts = await App.SnapshotAsync();

        var refused = await GrpcStatusAssert.InvalidArgumentAsync(() => IngestTests.StreamAsync(S.Facilitator, messages), $"submissions[{Part + 200}]");

        Assert.Contains("only the first message is a header", refused.FieldViolations[0].Description, StringComparison.Ordinal);
        Assert.Equal(counts, await App.SnapshotAsync());
    }

    [Fact]
    public async Task Columns_no_form_question_reads_are_reported_from_every_part()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var messages = new List<UploadSubmissionsRequest> { new() { Header = new UploadHeader { SurveyRoundId = round.Id } } };
        foreach (var (i, h) in Many(Part + 10, "c").Index())
        {
            var submission = Upload(h);
            submission.Answers[i < Part ? "observaciones" : "gps_precision"] = "x";
            messages.Add(new UploadSubmissionsRequest { Submission = submission });
        }

        var result = (await IngestTests.StreamAsync(S.Facilitator, messages)).Result;

        Assert.Equal(["observaciones", "gps_precision"], result.UnmappedColumns);
        Assert.Equal(Part + 10, result.StoredRows);
    }

    [Fact]
    public async Task A_header_fault_in_a_later_part_refuses_the_whole_stream_even_when_good_rows_only_was_asked()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var messages = new List<UploadSubmissionsRequest> { new() { Header = new UploadHeader { SurveyRoundId = round.Id, Mode = ImportMode.GoodRowsOnly } } };
        foreach (var (i, h) in Many((2 * Part) + 10, "h").Index())
        {
            var submission = Upload(h);
            if (i >= Part)
            {
                // The second part names the staple column two ways, neither exactly as the form does: which is it?
                var days = submission.Answers["stap"];
                submission.Answers.Remove("stap");
                submission.Answers[i % 2 == 0 ? "STAP" : "Stap"] = days;
            }

            messages.Add(new UploadSubmissionsRequest { Submission = submission });
        }

        var counts = await App.SnapshotAsync();
        var result = (await IngestTests.StreamAsync(S.Facilitator, messages)).Result;

        var fault = Assert.Single(result.Errors);
        Assert.Equal((0, "stap"), (fault.Row, fault.Field));
        Assert.Contains("matches 2 columns", fault.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 0), (result.AcceptedRows, result.StoredRows));
        Assert.Equal(counts, await App.SnapshotAsync());
    }

    private static SubmissionUpload Upload(FcsHousehold h)
    {
        var submission = new SubmissionUpload { Id = h.Id, Area = h.Community, HouseholdId = h.Household, InterviewDate = h.Date };
        foreach (var (column, days) in FcsCsv.Columns.Zip(h.Days))
        {
            submission.Answers[column] = days.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return submission;
    }
}
