using System.Text;

namespace Watershed.Consultation.Domain;

/// <summary>
/// The acta as a print-ready HTML document (A4) that the board and the attendees sign: the community's header, the
/// quorum basis (by sex where registered), the agenda, attendance with a column to sign, each decision with its paper
/// count and voids, the corrections appended after the close, and a signature block for the board. Every value is
/// HTML-encoded; the document loads nothing from elsewhere.
/// </summary>
public static class MinutesDocument
{
    private const string Style = """
        @page { size: A4; margin: 18mm 16mm; }
        body { font-family: "DejaVu Serif", "Liberation Serif", Georgia, serif; font-size: 11pt; color: #000; }
        header { text-align: center; border-bottom: 2px solid #000; margin-bottom: 1em; }
        h1 { font-size: 15pt; margin: 0.4em 0; } h2 { font-size: 12pt; margin: 1.2em 0 0.4em; text-transform: uppercase; }
        table { width: 100%; border-collapse: collapse; } th, td { border: 1px solid #000; padding: 3px 5px; text-align: left; vertical-align: top; }
        td.sign { width: 32%; height: 2.2em; } .hash { font-family: monospace; font-size: 8pt; word-break: break-all; }
        .note { font-style: italic; } .board { display: flex; gap: 2em; margin-top: 3em; page-break-inside: avoid; }
        .board div { flex: 1; border-top: 1px solid #000; padding-top: 0.3em; text-align: center; }
        section, li { page-break-inside: avoid; }
        """;

    public static string Render(MinutesData minutes, string language)
    {
        var w = ActaWords.For(language) ?? ActaWords.Spanish;
        var a = minutes.Assembly;
        var html = new StringBuilder();
        void Add(string raw) => html.Append(raw).Append('\n');
        static string E(string text) => Escape(text);

        Add("<!DOCTYPE html>");
        Add($"<html lang=\"{w.Tag}\">");
        Add($"<head><meta charset=\"utf-8\"><title>{E(w.Title)} — {E(a.Title)}</title><style>{Style}</style></head>");
        Add("<body>");
        Add("<header>");
        Add($"<p>{E(minutes.SpaceName)}</p>");
        Add($"<p>{E(w.Watershed)}: {E(minutes.WatershedName)}{Place(minutes.District, minutes.Region)}</p>");
        Add($"<h1>{E(w.Title)}</h1>");
        Add($"<p><strong>{E(a.Title)}</strong></p>");
        if (w.DraftNote is { } note)
        {
            Add($"<p class=\"note\">{E(note)}</p>");
        }

        Add("</header>");
        Add("<section>");
        Add($"<p>{E(w.Place)}: {E(a.Place)}<br>{E(w.ConvenedFor)}: {E(w.When(a.ScheduledAt))}<br>{E(w.Opened)}: {E(w.When(a.OpenedAt))} — {E(w.Closed)}: {E(w.When(a.ClosedAt))}</p>");
        Add("</section>");

        Add("<section>");
        Add($"<h2>{E(w.QuorumBasis)}</h2>");
        if (a.OpeningQuorum is { } opening)
        {
            Add($"<p>{E(w.OpeningQuorum(opening))}</p>");
        }

        if (a.ClosingQuorum is { } closing)
        {
            Add($"<p>{E(w.ClosingQuorum(closing))}</p>");
        }

        if (minutes.BySex is { } bySex)
        {
            Add($"<p>{E(w.BySex(bySex))}</p>");
        }

        Add("</section>");

        var agenda = MinutesRenderer.Agenda(minutes, w);
        if (agenda.Count > 0)
        {
            Add("<section>");
            Add($"<h2>{E(w.Agenda)}</h2>");
            Add("<ol>");
            foreach (var item in agenda)
            {
                Add($"<li>{E(item)}</li>");
            }

            Add("</ol>");
            Add("</section>");
        }

        Add("<section>");
        Add($"<h2>{E(w.Attendance)}</h2>");
        Add($"<table><thead><tr><th>{E(w.Name)}</th><th>{E(w.RoleLabel)}</th><th>{E(w.PresenceLabel)}</th><th>{E(w.Signature)}</th></tr></thead><tbody>");
        var names = minutes.Attendance.ToDictionary(p => p.MemberId, p => p.FullName);
        foreach (var person in minutes.Attendance.OrderBy(p => p.FullName, StringComparer.Create(w.Culture, ignoreCase: true)))
        {
            // Only those present sign; the cell of an absent member stays closed.
            var sign = person.Present ? "<td class=\"sign\"></td>" : "<td>—</td>";
            Add($"<tr><td>{E(person.FullName)}</td><td>{E(w.Role(person.Role))}, {E(person.HasVote ? w.WithVote : w.VoiceOnly)}</td><td>{E(w.Presence(person, names))}</td>{sign}</tr>");
        }

        Add("</tbody></table>");
        Add("</section>");

        Add("<section>");
        Add($"<h2>{E(w.Decisions)}</h2>");
        if (minutes.Decisions.Count == 0)
        {
            Add($"<p>{E(w.NoDecisions)}</p>");
        }
        else
        {
            Add("<ol>");
            foreach (var d in minutes.Decisions)
            {
                var details = d.DecisionLines(w);
                Add($"<li><strong>{E(d.Title)} — {E(w.Outcome(d.Approved))}</strong>");
                Add("<ul>");
                foreach (var detail in details[..^1])
                {
                    Add($"<li>{E(detail)}</li>");
                }

                Add($"<li class=\"hash\">{E(details[^1])}</li>");
                Add("</ul></li>");
            }

            Add("</ol>");
        }

        Add("</section>");

        var corrections = minutes.Corrections ?? [];
        if (corrections.Count > 0)
        {
            Add("<section>");
            Add($"<h2>{E(w.Corrections)}</h2>");
            Add("<ol>");
            foreach (var correction in corrections)
            {
                Add($"<li>{E(w.When(correction.RecordedAt))}: {E(correction.Text).Replace("\n", "<br>", StringComparison.Ordinal)}</li>");
            }

            Add("</ol>");
            Add("</section>");
        }

        Add("<section>");
        Add($"<h2>{E(w.Board)}</h2>");
        Add("<div class=\"board\">");
        foreach (var role in w.BoardRoles)
        {
            Add($"<div>{E(role)}<br>{E(w.NameLabel)}: ____________________<br>{E(w.NationalIdLabel)}: ____________</div>");
        }

        Add("</div>");
        Add("</section>");
        Add("</body>");
        Add("</html>");
        return html.ToString();

        static string Place(string district, string region) =>
            string.Join(", ", new[] { district, region }.Where(p => p.Length > 0).Select(Escape)) is { Length: > 0 } place ? $" — {place}" : string.Empty;
    }

    private static string[] DecisionLines(this MinutesDecision decision, ActaWords w) => [.. w.DecisionDetails(decision)];

    /// <summary>
    /// Text as HTML content or attribute value: the five characters that can end either are written as entities;
    /// everything else (ñ, á, «») stays as it is in the UTF-8 document.
    /// </summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
