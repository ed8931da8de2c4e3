using System.Text;
using Google.Protobuf;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The Pomacanchi watershed with a district and two communities, and the clients of its roles.</summary>
public sealed class Scenario
{
    private Scenario(Clients admin, Clients facilitator, Clients viewer)
    {
        Admin = admin;
        Facilitator = facilitator;
        Viewer = viewer;
    }

    public Clients Admin { get; }

    public Clients Facilitator { get; }

    public Clients Viewer { get; }

    public Area Watershed { get; private set; } = null!;

    public Area District { get; private set; } = null!;

    public Area Manzanares { get; private set; } = null!;

    public Area Conchacalla { get; private set; } = null!;

    public static async Task<Scenario> CreateAsync(IndicatorsApp app, string code = "pomacanchi")
    {
        var s = new Scenario(app.ClientsFor(TestTokens.Admin()), app.ClientsFor(TestTokens.Facilitator(code)),
            app.ClientsFor(TestTokens.Create("viewer@test", ["viewer"], [code])));
        s.Watershed = (await s.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Watershed, Code = code, Name = "Laguna de Pomacanchi" })).Area;
        s.District = (await s.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.District, ParentId = s.Watershed.Id, Code = "distrito", Name = "Distrito de Pomacanchi" })).Area;
        s.Manzanares = (await s.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = s.District.Id, Code = "manzanares", Name = "Manzanares" })).Area;
        s.Conchacalla = (await s.Facilitator.Areas.CreateAreaAsync(new CreateAreaRequest { Level = AreaLevel.Community, ParentId = s.District.Id, Code = "conchacalla", Name = "Conchacalla" })).Area;
        return s;
    }

    /// <summary>A round whose form asks the nine FCS groups under short names; weighted when asked.</summary>
    public async Task<SurveyRound> FcsRoundAsync(string name, bool weighted = false) =>
        (await Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = Watershed.Id,
            Name = name,
            FcsCutoffs = FcsCutoffs.Standard2135,
            ColumnMapping = FcsCsv.Mapping(weighted),
        })).SurveyRound;

    public async Task<IngestResult> ImportAsync(SurveyRound round, string csv, ImportMode mode = ImportMode.AllOrNothing) =>
        (await Facilitator.Surveys.ImportSubmissionsAsync(new ImportSubmissionsRequest
        {
            SurveyRoundId = round.Id,
            Csv = ByteString.CopyFromUtf8(csv),
            Mode = mode,
        })).Result;
}

/// <summary>A household's FCS answers: days per group (staples, pulses, vegetables, fruit, meat/fish/eggs, dairy, sugar, oil, condiments).</summary>
public sealed record FcsHousehold(string Id, string Community, string Household, string Date, int[] Days, string? Weight = null);

/// <summary>Kobo-style exports (";" separated, every value quoted) of the FCS module.</summary>
public static class FcsCsv
{
    public static readonly string[] Columns = ["stap", "puls", "veg", "fruit", "prot", "dairy", "sugar", "oil", "cond"];

    private static readonly string[] Fields =
        ["fcs.staples", "fcs.pulses", "fcs.vegetables", "fcs.fruit", "fcs.meat_fish_eggs", "fcs.dairy", "fcs.sugar", "fcs.oil", "fcs.condiments"];

    public static ColumnMapping Mapping(bool weighted)
    {
        var mapping = new ColumnMapping { AreaColumn = "community", HouseholdColumn = "hh", InterviewDateColumn = "date" };
        mapping.SubmissionIdColumns.Add("_uuid");
        if (weighted)
        {
            mapping.WeightColumn = "w";
        }

        foreach (var (field, column) in Fields.Zip(Columns))
        {
            mapping.AnswerColumns[field] = column;
        }

        return mapping;
    }

    public static string Write(bool weighted, params FcsHousehold[] households)
    {
        var header = new List<string> { "_uuid", "community", "hh" };
        if (weighted)
        {
            header.Add("w");
        }

        header.Add("date");
        header.AddRange(Columns);
        var text = new StringBuilder(Line(header));
        foreach (var h in households)
        {
            var values = new List<string> { h.Id, h.Community, h.Household };
            if (weighted)
            {
                values.Add(h.Weight ?? "");
            }

            values.Add(h.Date);
            values.AddRange(h.Days.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            text.Append(Line(values));
        }

        return text.ToString();
    }

    private static string Line(IEnumerable<string> values) => string.Join(";", values.Select(v => $"\"{v}\"")) + "\n";
}
