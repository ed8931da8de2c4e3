using Google.Protobuf;
using Watershed.Indicators.V1;

namespace Watershed.Indicators.Tests.Api;

/// <summary>
/// ImportSubmissions with check_only: the same verdict an import would give (rows accepted, would-be stored, duplicates,
/// every row error, the columns read and not read), and nothing stored: the preview a person sees before storing.
/// </summary>
public sealed class CheckOnlyImportTests : PostgresApiTest
{
    [Theory]
    [InlineData(ImportMode.AllOrNothing)]
    [InlineData(ImportMode.GoodRowsOnly)]
    public async Task A_check_answers_what_the_import_would_and_stores_nothing(ImportMode mode)
    {
        var round = await S.FcsRoundAsync("2026Q3");
        // A household stored before (a duplicate), a new one, one of an unknown community (a row error), and a column no
        // question reads.
        var lines = FcsCsv.Write(false,
            Households.Acceptable39("c-1", "manzanares", "2026-08-04"),
            Households.Acceptable52("c-2", "manzanares", "2026-08-05"),
            Households.Poor("c-3", "nowhere", "2026-08-06")).TrimEnd('\n').Split('\n');
        var csv = string.Join("\n", lines.Select((line, i) => line + (i == 0 ? ";\"nota_libre\"" : ";\"x\""))) + "\n";
        await S.ImportAsync(round, string.Join("\n", csv.Split('\n').Take(2)) + "\n");
        var request = new ImportSubmissionsRequest { SurveyRoundId = round.Id, Csv = ByteString.CopyFromUtf8(csv), Mode = mode };

        var before = await App.SnapshotAsync();
        var checkedOnly = (await S.Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest(request) { CheckOnly = true })).Result;
        Assert.Equal(before, await App.SnapshotAsync());
        Assert.Empty(checkedOnly.ImportBatchId);

        var imported = (await S.Facilitator.Surveys.ImportSubmissionsAsync(request)).Result;
        Assert.Equal(new IngestResult(imported) { ImportBatchId = string.Empty }, checkedOnly);
        Assert.Equal(mode == ImportMode.GoodRowsOnly ? 1 : 0, imported.StoredRows);
        Assert.Equal((2, 1), (imported.AcceptedRows, imported.DuplicateRows));
        Assert.Contains(imported.Errors, e => e.Row == 3);
        Assert.Contains("nota_libre", imported.UnmappedColumns);
    }
}
