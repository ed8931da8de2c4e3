using System.Globalization;
using System.Text;
using Google.Protobuf;
using Watershed.Indicators.V1;

namespace Watershed.Indicators.Tests.Api;

/// <summary>A household of a two-sheet Kobo export: its main row (Kobo's _index and _uuid, the default mapping's columns, one FCS answer).</summary>
public sealed record KoboHousehold(int Index, string Uuid, string Community, string Date, string? Weight = null, string? OwnMddwAge = null);

/// <summary>
/// One woman of the women repeat group: her household (by _submission__uuid and/or _parent_index), her age, and how many of
/// the 10 MDD-W groups she ate (the first <paramref name="Groups"/> "yes", the others "no"; null: the eggs question blank).
/// </summary>
public sealed record KoboWoman(string? SubmissionUuid, int? ParentIndex, string Age, int Groups, bool EggsBlank = false);

/// <summary>KoboToolbox exports of a form whose MDD-W module is a repeat group "women" (columns inside groups, as Kobo writes them).</summary>
public static class WomenRepeatGroup
{
    /// <summary>The default mapping's MDD-W columns: the ten groups in the order of AnswerFields.Mddw.</summary>
    public static readonly string[] GroupColumns =
        ["MDDWStapCer", "MDDWPulse", "MDDWNuts", "MDDWDairy", "MDDWMeatFish", "MDDWEgg", "MDDWLeafGVeg", "MDDWVitA", "MDDWVegOth", "MDDWFruitOth"];

    /// <summary>A round on the default mapping (weighted by "weight" when asked).</summary>
    public static async Task<SurveyRound> RoundAsync(Scenario s, string name, bool weighted = false, ColumnMapping? mapping = null)
    {
        mapping ??= new ColumnMapping();
        if (weighted)
        {
            mapping.WeightColumn = "weight";
        }

        return (await s.Facilitator.Surveys.CreateSurveyRoundAsync(new CreateSurveyRoundRequest
        {
            WatershedId = s.Watershed.Id, Name = name, FcsCutoffs = FcsCutoffs.Standard2135, ColumnMapping = mapping,
        })).SurveyRound;
    }

    /// <summary>The main sheet: _index, _uuid, community_id, household_id, interview_date (weight), fcs/FCSStap (and the own-row MDD-W age when any household has one).</summary>
    public static string MainSheet(params KoboHousehold[] households)
    {
        var weighted = households.Any(h => h.Weight is not null);
        var ownMddw = households.Any(h => h.OwnMddwAge is not null);
        var header = new List<string> { "_index", "_uuid", "community_id", "household_id", "interview_date" };
        if (weighted)
        {
            header.Add("weight");
        }

        header.Add("fcs/FCSStap");
        if (ownMddw)
        {
            header.Add("mddw/MDDWAge");
            header.AddRange(GroupColumns.Select(c => "mddw/" + c));
        }

        var text = new StringBuilder(Line(header));
        foreach (var h in households)
        {
            var row = new List<string> { h.Index.ToString(CultureInfo.InvariantCulture), h.Uuid, h.Community, $"HH-{h.Uuid}", h.Date };
            if (weighted)
            {
                row.Add(h.Weight ?? "");
            }

            row.Add("7");
            if (ownMddw)
            {
                row.Add(h.OwnMddwAge ?? "");
                // An own-row woman eats the first 6 groups (achieved) when the household answers MDD-W itself.
                row.AddRange(GroupColumns.Select((_, i) => h.OwnMddwAge is null ? "" : i < 6 ? "1" : "0"));
            }

            text.Append(Line(row));
        }

        return text.ToString();
    }

    /// <summary>
    /// The repeat group's sheet as Kobo exports it: _index, the group's questions (women/MDDWAge, women/mddw/MDDWStapCer …),
    /// _parent_index, _parent_table_name, _submission__uuid, _submission__id. Without <paramref name="withUuid"/> the
    /// _submission__uuid column is left out (an export that joins by _parent_index alone).
    /// </summary>
    public static string WomenSheet(bool withUuid, params KoboWoman[] women)
    {
        var header = new List<string> { "_index", "women/MDDWAge" };
        header.AddRange(GroupColumns.Select(c => "women/mddw/" + c));
        header.AddRange(["_parent_index", "_parent_table_name"]);
        if (withUuid)
        {
            header.Add("_submission__uuid");
        }

        header.Add("_submission__id");
        var text = new StringBuilder(Line(header));
        foreach (var (i, w) in women.Index())
        {
            var row = new List<string> { (i + 1).ToString(CultureInfo.InvariantCulture), w.Age };
            row.AddRange(GroupColumns.Select((c, g) => w.EggsBlank && c == "MDDWEgg" ? "" : g < w.Groups ? "yes" : "no"));
            row.AddRange([w.ParentIndex?.ToString(CultureInfo.InvariantCulture) ?? "", "mddw_form"]);
            if (withUuid)
            {
                row.Add(w.SubmissionUuid ?? "");
            }

            row.Add((9000 + i).ToString(CultureInfo.InvariantCulture));
            text.Append(Line(row));
        }

        return text.ToString();
    }

    /// <summary>The woman's answers as a stream carries them (the columns a women sheet would have, join columns left out).</summary>
    public static WomanAnswers Upload(KoboWoman w, int index)
    {
        var answers = new WomanAnswers { Answers = { ["_index"] = index.ToString(CultureInfo.InvariantCulture), ["women/MDDWAge"] = w.Age } };
        foreach (var (g, c) in GroupColumns.Index())
        {
            answers.Answers["women/mddw/" + c] = w.EggsBlank && c == "MDDWEgg" ? "" : g < w.Groups ? "yes" : "no";
        }

        return answers;
    }

    public static async Task<IngestResult> ImportAsync(Scenario s, SurveyRound round, string main, string? women, ImportMode mode = ImportMode.AllOrNothing)
    {
        var request = new ImportSubmissionsRequest { SurveyRoundId = round.Id, Csv = ByteString.CopyFromUtf8(main), Mode = mode };
        if (women is not null)
        {
            request.WomenCsv = ByteString.CopyFromUtf8(women);
        }

        return (await s.Facilitator.Surveys.ImportSubmissionsAsync(request)).Result;
    }

    public static async Task<Aggregate> MddwAsync(Scenario s, Area area, string period, SurveyRound? round = null) =>
        (await s.Viewer.Aggregates.GetAggregateAsync(new GetAggregateRequest
        {
            IndicatorCode = "MDDW", AreaId = area.Id, Period = period, SurveyRoundId = round?.Id ?? "",
        })).Aggregate;

    /// <summary>The figure written out whole, so two aggregates compare in one assertion.</summary>
    public static string Figures(Aggregate a) =>
        string.Create(CultureInfo.InvariantCulture, $"n={a.N} missing={a.NMissing} Σw={a.SumOfWeights:R} mean={(a.HasMean ? a.Mean.ToString("R", CultureInfo.InvariantCulture) : "none")} ")
        + string.Join(" ", a.Distribution.Select(c => string.Create(CultureInfo.InvariantCulture, $"[{c.Category} {c.N} {c.SumOfWeights:R} {c.Percent:R}]")));

    private static string Line(IEnumerable<string> values) => string.Join(";", values.Select(v => $"\"{v}\"")) + "\n";
}
