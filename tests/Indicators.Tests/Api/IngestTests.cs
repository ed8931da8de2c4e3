using Grpc.Core;
using Watershed.Indicators.V1;

namespace Watershed.Indicators.Tests.Api;

public sealed class IngestTests : PostgresApiTest
{
    private static readonly string BadFile = FcsCsv.Write(false,
        Households.Poor("g-1", "manzanares", "2025-11-03"),
        Households.Acceptable39("g-2", "manzanares", "2025-11-03") with { Days = [9, 2, 3, 1, 1, 1, 7, 7, 7] },
        Households.Borderline27("g-3", "manzanares", "2025-11-04"),
        Households.Acceptable52("g-4", "nowhere", "2025-11-05"),
        Households.Acceptable52("g-5", "conchacalla", "2025-13-40"),
        Households.Acceptable52("g-6", "conchacalla", "2025-11-05"));

    [Fact]
    public async Task Reimporting_the_same_file_stores_nothing_new()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var csv = FcsCsv.Write(false, Households.Baseline());

        var first = await S.ImportAsync(round, csv);
        Assert.Equal((4, 4, 0), (first.AcceptedRows, first.StoredRows, first.DuplicateRows));
        Assert.Empty(first.Errors);
        var counts = await App.SnapshotAsync();

        var again = await S.ImportAsync(round, csv);
        Assert.Equal((4, 0, 4), (again.AcceptedRows, again.StoredRows, again.DuplicateRows));
        Assert.Empty(again.Errors);
        Assert.Equal(counts, await App.SnapshotAsync());
        Assert.Equal(4, await App.SubmissionCountAsync(round.Id));
    }

    [Fact]
    public async Task A_file_larger_than_one_save_chunk_is_stored_whole_and_aggregated_whole()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        // 1,201 households: more than two of the ingest's 500-row chunks; FCS 14, 39, 27 in turn.
        var households = Enumerable.Range(0, 1201).Select(i => (i % 3) switch
        {
            0 => Households.Poor($"big-{i}", "manzanares", "2025-11-03"),
            1 => Households.Acceptable39($"big-{i}", "manzanares", "2025-11-04"),
            _ => Households.Borderline27($"big-{i}", "manzanares", "2025-11-05"),
        } with { Household = $"HH-{i:D4}" }).ToArray();
        var csv = FcsCsv.Write(false, households);

        var first = await S.ImportAsync(round, csv);
        Assert.Equal((1201, 1201), (first.AcceptedRows, first.StoredRows));
        Assert.Equal(1201, await App.SubmissionCountAsync(round.Id));
        var figure = (await S.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest { IndicatorCode = "FCS", AreaId = S.Manzanares.Id, Period = "2025Q4" })).Aggregate;
        // 401 × 14 + 400 × 39 + 400 × 27 = 32,014 over 1,201 households.
        Assert.Equal(1201, figure.N);
        Assert.Equal(32014.0 / 1201, figure.Mean, 9);

        var again = await S.ImportAsync(round, csv);
        Assert.Equal((0, 1201), (again.StoredRows, again.DuplicateRows));
    }

    [Fact]
    public async Task A_known_submission_id_with_other_answers_is_a_row_error_and_keeps_the_stored_one()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        await S.ImportAsync(round, FcsCsv.Write(false, Households.Baseline()));
        var counts = await App.SnapshotAsync();

        var changed = Households.Baseline()[1] with { Days = [7, 0, 0, 0, 0, 0, 0, 0, 0] };
        var result = await S.ImportAsync(round, FcsCsv.Write(false, changed), ImportMode.GoodRowsOnly);

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "*", "submission b-2 was imported before with other content; it is kept as it was"), (error.Row, error.Field, error.Reason));
        Assert.Equal(0, result.StoredRows);
        Assert.Equal(counts, await App.SnapshotAsync());
        var stored = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "b-2" });
        Assert.Equal(39, stored.Scores.Single(s => s.IndicatorCode == "FCS").Value);
    }

    [Fact]
    public async Task A_file_with_bad_rows_reports_each_and_stores_none_by_default()
    {
        var round = await S.FcsRoundAsync("2025Q4");
        var before = await App.SnapshotAsync();

        var result = await S.ImportAsync(round, BadFile);

        Assert.Equal(
            [(2, "stap"), (4, "community"), (5, "date")],
            result.Errors.Select(e => (e.Row, e.Field)).ToArray());
        Assert.Equal((3, 0), (result.AcceptedRows, result.StoredRows));
        Assert.Equal(before, await App.SnapshotAsync());
        Assert.Equal(0, await App.SubmissionCountAsync(round.Id));
    }

    [Fact]
    public async Task Good_rows_only_stores_exactly_the_good_rows()
    {
        var round = await S.FcsRoundAsync("2025Q4");

        var result = await S.ImportAsync(round, BadFile, ImportMode.GoodRowsOnly);

        Assert.Equal([(2, "stap"), (4, "community"), (5, "date")], result.Errors.Select(e => (e.Row, e.Field)).ToArray());
        Assert.Equal((3, 3), (result.AcceptedRows, result.StoredRows));
        var stored = await S.Facilitator.Surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = round.Id });
        Assert.Equal(["g-1", "g-3", "g-6"], stored.Submissions.Select(s => s.Id).ToArray());
        Assert.Equal(3, await App.SubmissionCountAsync(round.Id));
    }

    [Fact]
    public async Task Submissions_streamed_by_a_client_are_stored_scored_and_idempotent()
    {
        var round = await S.FcsRoundAsync("2025Q4", weighted: true);
        var households = new[]
        {
            Households.Poor("s-1", "manzanares", "2025-11-03", "2"),
            Households.Acceptable39("s-2", S.Manzanares.Id, "2025-11-03", "1.5"),
            Households.Acceptable52("s-3", "conchacalla", "2025-11-04", "1"),
        };

        var first = await UploadAsync(S.Facilitator, round, ImportMode.AllOrNothing, households);
        Assert.Equal((3, 3, 0), (first.AcceptedRows, first.StoredRows, first.DuplicateRows));
        var again = await UploadAsync(S.Facilitator, round, ImportMode.AllOrNothing, households);
        Assert.Equal((3, 0, 3), (again.AcceptedRows, again.StoredRows, again.DuplicateRows));
        Assert.Equal(3, await App.SubmissionCountAsync(round.Id));

        var s2 = await S.Facilitator.Surveys.GetSubmissionAsync(new GetSubmissionRequest { SurveyRoundId = round.Id, SubmissionId = "s-2" });
        Assert.Equal((S.Manzanares.Id, "manzanares", 1.5), (s2.Submission.AreaId, s2.Submission.AreaCode, s2.Submission.Weight));
        var fcs = s2.Scores.Single(s => s.IndicatorCode == "FCS");
        Assert.Equal((39.0, "acceptable"), (fcs.Value, fcs.Category));
        var rcsi = s2.Scores.Single(s => s.IndicatorCode == "RCSI");
        Assert.False(rcsi.HasValue);
        // The round's form does not ask the rCSI questions.
        Assert.Equal(["rcsi.less_preferred_food", "rcsi.borrow_food", "rcsi.limit_portions", "rcsi.restrict_adults", "rcsi.fewer_meals"], rcsi.MissingFields);
    }

    [Fact]
    public async Task A_streamed_batch_with_a_bad_submission_stores_none_unless_asked()
    {
        var round = await S.FcsRoundAsync("2025Q4", weighted: true);
        var households = new[]
        {
            Households.Poor("s-1", "manzanares", "2025-11-03", "2"),
            Households.Acceptable39("s-2", "manzanares", "2025-11-03", "0"),
        };

        var strict = await UploadAsync(S.Facilitator, round, ImportMode.AllOrNothing, households);
        Assert.Equal((2, "w"), (Assert.Single(strict.Errors).Row, strict.Errors[0].Field));
        Assert.Equal(0, await App.SubmissionCountAsync(round.Id));

        var lenient = await UploadAsync(S.Facilitator, round, ImportMode.GoodRowsOnly, households);
        Assert.Equal(1, lenient.StoredRows);
        Assert.Equal(1, await App.SubmissionCountAsync(round.Id));
    }

    public static async Task<IngestResult> UploadAsync(Clients clients, SurveyRound round, ImportMode mode, params FcsHousehold[] households)
    {
        var messages = new List<UploadSubmissionsRequest> { new() { Header = new UploadHeader { SurveyRoundId = round.Id, Mode = mode } } };
        foreach (var h in households)
        {
            var submission = new SubmissionUpload { Id = h.Id, Area = h.Community, HouseholdId = h.Household, InterviewDate = h.Date, Weight = h.Weight ?? "" };
            foreach (var (column, days) in FcsCsv.Columns.Zip(h.Days))
            {
                submission.Answers[column] = days.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            messages.Add(new UploadSubmissionsRequest { Submission = submission });
        }

        return (await StreamAsync(clients, messages)).Result;
    }

    /// <summary>Sends the messages and completes the stream; a call the server ended early surfaces its own status.</summary>
    public static async Task<UploadSubmissionsResponse> StreamAsync(Clients clients, IEnumerable<UploadSubmissionsRequest> messages)
    {
        using var call = clients.Surveys.UploadSubmissions();
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server answered before reading everything: its status is the call's outcome.
        }
        catch (InvalidOperationException)
        {
            // Writing after the call completed: the response below carries the status.
        }

        return await call.ResponseAsync;
    }
}
