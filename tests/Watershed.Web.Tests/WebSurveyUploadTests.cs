using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Web.Tests;

/// <summary>
/// An analyst loads a KoboToolbox export in the browser: the check shows what indicators would do with it (its own
/// check_only verdict) and stores nothing; only the confirmation stores, and exactly the households announced.
/// </summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task An_analyst_checks_a_survey_file_sees_the_bad_row_and_stores_the_good_ones_only_when_confirmed()
    {
        var (areas, _) = await system.IndicatorsAsAsync("admin");
        var surveys = await system.SurveysAsAsync("admin");
        var watershed = (await areas.ListAreasAsync(new ListAreasRequest { WatershedCode = "pomacanchi", Page = new() { PageSize = 500 } })).Areas.Single(a => a.ParentId == string.Empty);
        var round = (await surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = watershed.Id, Name = "Seguimiento cargado desde la web", FcsCutoffs = FcsCutoffs.Standard2135,
            ColumnMapping = new ColumnMapping { WeightColumn = "weight" },
        })).SurveyRound;

        // The demo's Manzanares export with one more household, of a community the watershed does not have.
        var lines = (await File.ReadAllLinesAsync(Path.Combine(ServiceProcess.RepositoryRoot(), "services", "Indicators", "Demo", "2026Q3-manzanares.csv"))).ToList();
        var households = lines.Count - 1;
        var bad = lines[^1].Split(';');
        bad[1] = "\"web-bad-1\"";
        bad[3] = "\"nowhere\"";
        lines.Add(string.Join(';', bad));
        var folder = Directory.CreateTempSubdirectory("watershed-survey-").FullName;
        var file = Path.Combine(folder, "seguimiento.csv");
        await File.WriteAllLinesAsync(file, lines);
        try
        {
            var expected = (await surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
            {
                SurveyRoundId = round.Id, Csv = Google.Protobuf.ByteString.CopyFrom(await File.ReadAllBytesAsync(file)), CheckOnly = true,
            })).Result;
            Assert.Equal((households, 0, 1), (expected.AcceptedRows, expected.StoredRows, expected.Errors.Count));

            await using var context = await system.NewContextAsync();
            var page = await context.NewPageAsync();
            await WebSystem.SignInAsync(page, "analyst.pomacanchi");
            await page.GotoAsync("/Analyst");
            await page.GetByRole(AriaRole.Link, new() { Name = "Cargar una encuesta (CSV de KoboToolbox u ODK)" }).ClickAsync();
            await page.GetByLabel("Ronda de encuesta").SelectOptionAsync(new SelectOptionValue { Label = round.Name });
            await page.GetByLabel(new Regex("^Archivo de hogares")).SetInputFilesAsync(file);
            await page.GetByRole(AriaRole.Button, new() { Name = "Revisar (no guarda nada)" }).ClickAsync();

            // All or nothing, with a bad row: the page says what indicators says, and nothing would be stored.
            await Assertions.Expect(page.Locator("#preview-summary")).ToHaveTextAsync(
                $"{expected.AcceptedRows} hogares pasan la revisión; se guardarían 0; 0 ya estaban guardados; 1 problemas.");
            await Assertions.Expect(page.Locator("table.row-errors tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("table.row-errors tbody tr td").First).ToHaveTextAsync(expected.Errors[0].Row.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(page.GetByText("No se guardaría nada")).ToBeVisibleAsync();
            await AssertAccessibleAsync(page);
            Assert.Empty((await surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = round.Id })).Submissions);

            // The good rows, checked again, then stored on confirmation.
            await page.GetByLabel("Ronda de encuesta").SelectOptionAsync(new SelectOptionValue { Label = round.Name });
            await page.GetByLabel(new Regex("^Archivo de hogares")).SetInputFilesAsync(file);
            await page.GetByLabel("Guardar las filas buenas aunque otras tengan problemas").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Revisar (no guarda nada)" }).ClickAsync();
            await Assertions.Expect(page.Locator("#preview-summary")).ToContainTextAsync($"se guardarían {households};");
            Assert.Empty((await surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = round.Id })).Submissions);
            await ShotAsync(page, "analyst-upload-preview");
            await page.GetByRole(AriaRole.Button, new() { Name = $"Guardar {households} hogares" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Se guardaron {households} hogares (0 ya estaban; 1 problemas).");
            var stored = await surveys.ListSubmissionsAsync(new ListSubmissionsRequest { SurveyRoundId = round.Id, Page = new() { PageSize = 100 } });
            Assert.Equal(households, stored.Submissions.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
