using System.Globalization;
using System.Text;

namespace Watershed.Notifications.Domain.Messages;

/// <summary>One message as it is sent: the SMS text, or an e-mail's subject and plain-text body.</summary>
public sealed record RenderedMessage(string Subject, string Body, int SmsSegments);

/// <summary>
/// The messages people receive, per event kind and language (Spanish by default and as the fallback). They name
/// things as people know them (titles, places, areas), never ids or codes, and give times in local time. An SMS is
/// written to fit one GSM-7 part: a long title is shortened with "..." rather than spilling into a second SMS.
/// The Quechua texts are built from the project's glossary (shared/domain/quechua.md) in Cusco–Collao spelling,
/// with placeholders only before suffixes that never change form (-pi, -man, -ta); every Quechua text below
/// NEEDS REVIEW BY A NATIVE SPEAKER before it reaches a community.
/// </summary>
public sealed class MessageTemplates(TimeZoneInfo zone)
{
    public RenderedMessage Sms(Notice notice, Language language)
    {
        var text = notice switch
        {
            AssemblyConvenedNotice n => AssemblySms(n, language),
            BallotClosedNotice n => BallotSms(n, language),
            ProposalDecidedNotice n => DecisionSms(n, language),
            PlanVersionNotice n => PlanSms(n, language),
            AlertNotice n => AlertSms(n, language),
            ImportNotice n => ImportSms(n, language),
            _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.GetType().Name, "No template for this notice."),
        };
        return new RenderedMessage(string.Empty, text, SmsText.Count(text).Segments);
    }

    public RenderedMessage Email(Notice notice, Language language)
    {
        var (subject, lines) = notice switch
        {
            AssemblyConvenedNotice n => AssemblyEmail(n, language),
            BallotClosedNotice n => BallotEmail(n, language),
            ProposalDecidedNotice n => DecisionEmail(n, language),
            PlanVersionNotice n => PlanEmail(n, language),
            AlertNotice n => AlertEmail(n, language),
            ImportNotice n => ImportEmail(n, language),
            _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.GetType().Name, "No template for this notice."),
        };
        return new RenderedMessage(subject, Body(lines, language), 0);
    }

    /// <summary>Several imports of one day in one SMS; a single one reads as its own message.</summary>
    public RenderedMessage DigestSms(IReadOnlyList<ImportNotice> imports, Language language)
    {
        if (imports.Count == 1)
        {
            return Sms(imports[0], language);
        }

        var total = imports.Sum(i => i.StoredRows);
        var list = string.Join(", ", imports.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.RoundName} {i.StoredRows}")));
        var format = language switch
        {
            Language.Qu => string.Create(CultureInfo.InvariantCulture, $"Tapukuykuna: {imports.Count} importacion, {total} wasi yupasqa: {{0}}."),
            Language.En => string.Create(CultureInfo.InvariantCulture, $"Daily summary: {imports.Count} survey imports, {total} new households: {{0}}."),
            _ => string.Create(CultureInfo.InvariantCulture, $"Resumen del día: {imports.Count} importaciones de encuestas, {total} hogares nuevos: {{0}}."),
        };
        var text = SmsText.Fit(format, list);
        return new RenderedMessage(string.Empty, text, SmsText.Count(text).Segments);
    }

    public RenderedMessage DigestEmail(IReadOnlyList<ImportNotice> imports, Language language)
    {
        if (imports.Count == 1)
        {
            return Email(imports[0], language);
        }

        var total = imports.Sum(i => i.StoredRows);
        var items = imports.Select(i => language switch
        {
            Language.En => $"- {i.RoundName}: {LocalText.Count(i.StoredRows, "household", "households")} in {LocalText.Count(i.AreaCount, "area", "areas")}",
            Language.Qu => $"- {i.RoundName}: {i.StoredRows} wasi ({LocalText.Count(i.AreaCount, "área", "áreas")})",
            _ => $"- {i.RoundName}: {LocalText.Count(i.StoredRows, "hogar", "hogares")} en {LocalText.Count(i.AreaCount, "área", "áreas")}",
        }).ToList();
        var (subject, intro) = language switch
        {
            Language.En => ($"Daily summary: {imports.Count} survey imports", $"{imports.Count} survey imports stored {total} new households today:"),
            Language.Qu => ($"Tapukuykuna: {imports.Count} importación", $"{imports.Count} importación, {total} wasi yupasqa:"),
            _ => ($"Resumen del día: {imports.Count} importaciones de encuestas", $"Hoy se guardaron {total} hogares nuevos en {imports.Count} importaciones de encuestas:"),
        };
        return new RenderedMessage(subject, Body([intro, string.Empty, .. items], language), 0);
    }

    private DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    private string AssemblySms(AssemblyConvenedNotice n, Language language)
    {
        string format;
        if (n.ScheduledAt is { } at)
        {
            var local = Local(at);
            var day = local.Day.ToString(CultureInfo.InvariantCulture);
            var month = LocalText.Month(local.Month, language);
            var clock = LocalText.Clock(local);
            format = language switch
            {
                Language.Qu => $"Asamblea: {{0}}. Huñunakuy kanqa {day} {month} killapi, {clock} urapi, {n.Place}pi.",
                Language.En => $"Assembly called: {{0}}. On {day} {month} at {clock}, at {n.Place}.",
                _ => $"Asamblea convocada: {{0}}. El {day} de {month} a las {clock}, en {n.Place}.",
            };
        }
        else
        {
            format = language switch
            {
                Language.Qu => $"Asamblea: {{0}}. Huñunakuy kanqa {n.Place}pi.",
                Language.En => $"Assembly called: {{0}}, at {n.Place}.",
                _ => $"Asamblea convocada: {{0}}, en {n.Place}.",
            };
        }

        return SmsText.Fit(format, n.Title);
    }

    private (string, List<string>) AssemblyEmail(AssemblyConvenedNotice n, Language language)
    {
        var lines = new List<string>();
        var when = n.ScheduledAt is { } at ? Local(at) : (DateTime?)null;
        switch (language)
        {
            case Language.En:
                lines.Add($"The assembly “{n.Title}” has been called.");
                lines.Add(string.Empty);
                if (when is { } w)
                {
                    lines.Add($"When: {w.Day} {LocalText.Month(w.Month, language)} {w.Year}, {LocalText.Clock(w)} (Lima time)");
                }

                lines.Add($"Where: {n.Place}");
                break;
            case Language.Qu:
                lines.Add($"Asamblea: {n.Title}.");
                lines.Add(string.Empty);
                if (when is { } q)
                {
                    lines.Add($"Huñunakuy kanqa {q.Day} {LocalText.Month(q.Month, language)} killapi, {LocalText.Clock(q)} urapi.");
                }

                lines.Add($"{n.Place}pi.");
                break;
            default:
                lines.Add($"Se ha convocado la asamblea «{n.Title}».");
                lines.Add(string.Empty);
                if (when is { } s)
                {
                    lines.Add($"Fecha: {s.Day} de {LocalText.Month(s.Month, language)} de {s.Year}, {LocalText.Clock(s)} (hora de Lima)");
                }

                lines.Add($"Lugar: {n.Place}");
                break;
        }

        if (n.Agenda.Count > 0)
        {
            lines.Add(string.Empty);
            lines.Add("Agenda:");
            lines.AddRange(n.Agenda.Select((item, i) => $"{i + 1}. {item}"));
        }

        var subject = language switch
        {
            Language.En => $"Assembly called: {n.Title}",
            Language.Qu => $"Asamblea: {n.Title}",
            _ => $"Asamblea convocada: {n.Title}",
        };
        return (subject, lines);
    }

    private static string Votes(BallotClosedNotice n, Language language) => language switch
    {
        Language.Qu => n.Block > 0
            ? $"Ari {n.Yes}, mana {n.No}, mana akllaspa {n.Abstain}, bloqueo {n.Block}; llapan {n.Cast}."
            : $"Ari {n.Yes}, mana {n.No}, mana akllaspa {n.Abstain}; llapan {n.Cast}.",
        Language.En => n.Block > 0
            ? $"Yes {n.Yes}, no {n.No}, abstain {n.Abstain}, block {n.Block} ({LocalText.Count(n.Cast, "vote", "votes")})."
            : $"Yes {n.Yes}, no {n.No}, abstain {n.Abstain} ({LocalText.Count(n.Cast, "vote", "votes")}).",
        _ => n.Block > 0
            ? $"Sí {n.Yes}, no {n.No}, abstenciones {n.Abstain}, bloqueos {n.Block} ({LocalText.Count(n.Cast, "voto", "votos")})."
            : $"Sí {n.Yes}, no {n.No}, abstenciones {n.Abstain} ({LocalText.Count(n.Cast, "voto", "votos")}).",
    };

    private static string BallotSms(BallotClosedNotice n, Language language)
    {
        var format = language switch
        {
            Language.Qu => n.Approved
                ? "\"{0}\": asambleaqa propuesta nisqatan chaskirqan. "
                : "\"{0}\": asambleaqa manan propuesta nisqata chaskirqanchu. ",
            Language.En => n.Approved ? "Vote result: \"{0}\" was APPROVED. " : "Vote result: \"{0}\" was REJECTED. ",
            _ => n.Approved ? "Resultado de la votación: \"{0}\" fue APROBADA. " : "Resultado de la votación: \"{0}\" fue RECHAZADA. ",
        };
        return SmsText.Fit(format + Votes(n, language), n.ProposalTitle);
    }

    private static (string, List<string>) BallotEmail(BallotClosedNotice n, Language language)
    {
        var lines = language switch
        {
            Language.Qu => new List<string>
            {
                n.Approved ? $"Asambleaqa «{n.ProposalTitle}» propuesta nisqatan chaskirqan." : $"Asambleaqa manan «{n.ProposalTitle}» propuesta nisqata chaskirqanchu.",
                string.Empty,
                $"Ari: {n.Yes}", $"Mana: {n.No}", $"Mana akllaspa: {n.Abstain}",
            },
            Language.En => new List<string>
            {
                $"The vote on “{n.ProposalTitle}” has closed: the proposal was {(n.Approved ? "approved" : "rejected")}.",
                string.Empty,
                $"Yes: {n.Yes}", $"No: {n.No}", $"Abstain: {n.Abstain}",
            },
            _ => new List<string>
            {
                $"La votación sobre «{n.ProposalTitle}» ha terminado: la propuesta fue {(n.Approved ? "aprobada" : "rechazada")}.",
                string.Empty,
                $"Sí: {n.Yes}", $"No: {n.No}", $"Abstenciones: {n.Abstain}",
            },
        };
        if (n.Block > 0)
        {
            lines.Add(language == Language.En ? $"Block: {n.Block}" : $"Bloqueos: {n.Block}");
        }

        lines.Add(language switch { Language.En => $"Votes cast: {n.Cast}", Language.Qu => $"Llapan: {n.Cast}", _ => $"Votos emitidos: {n.Cast}" });
        var subject = language switch
        {
            Language.Qu => $"Akllay: {n.ProposalTitle}",
            Language.En => $"Vote result: {n.ProposalTitle} — {(n.Approved ? "approved" : "rejected")}",
            _ => $"Resultado de la votación: {n.ProposalTitle} — {(n.Approved ? "aprobada" : "rechazada")}",
        };
        return (subject, lines);
    }

    private static string TypeLabel(ProposalKind type, Language language) => (type, language) switch
    {
        (ProposalKind.LandUseChange, Language.En) => "land-use change",
        (ProposalKind.BudgetItem, Language.En) => "budget item",
        (ProposalKind.PlanApproval, Language.En) => "plan approval",
        (_, Language.En) => "proposal",
        (ProposalKind.LandUseChange, _) => "cambio de uso de suelo",
        (ProposalKind.BudgetItem, _) => "partida de presupuesto",
        (ProposalKind.PlanApproval, _) => "aprobación de plan",
        _ => "propuesta",
    };

    private static string DecisionSms(ProposalDecidedNotice n, Language language)
    {
        var type = TypeLabel(n.Type, language);
        var format = language switch
        {
            Language.Qu => n.Approved
                ? $"Asamblea ({type}): asambleaqa \"{{0}}\" propuesta nisqatan chaskirqan."
                : $"Asamblea ({type}): asambleaqa manan \"{{0}}\" propuesta nisqata chaskirqanchu.",
            Language.En => $"Assembly decision ({type}): \"{{0}}\" was {(n.Approved ? "APPROVED" : "REJECTED")}.",
            _ => $"Decisión de asamblea ({type}): \"{{0}}\" fue {(n.Approved ? "APROBADA" : "RECHAZADA")}.",
        };
        return SmsText.Fit(format, n.Title);
    }

    private static (string, List<string>) DecisionEmail(ProposalDecidedNotice n, Language language)
    {
        var type = TypeLabel(n.Type, language);
        return language switch
        {
            Language.Qu => ($"Asamblea: {n.Title}", [n.Approved
                ? $"Asambleaqa «{n.Title}» propuesta nisqatan chaskirqan ({type})."
                : $"Asambleaqa manan «{n.Title}» propuesta nisqata chaskirqanchu ({type})."]),
            Language.En => ($"Assembly decision: {n.Title} — {(n.Approved ? "approved" : "rejected")}",
                [$"The assembly {(n.Approved ? "approved" : "rejected")} “{n.Title}” ({type})."]),
            _ => ($"Decisión de asamblea: {n.Title} — {(n.Approved ? "aprobada" : "rechazada")}",
                [$"La asamblea {(n.Approved ? "aprobó" : "rechazó")} «{n.Title}» ({type})."]),
        };
    }

    private static string Size(PlanVersionNotice n, Language language) => language == Language.En
        ? $"{LocalText.Count(n.ZoneCount, "zone", "zones")}, {LocalText.Number(n.AreaHectares)} ha"
        : $"{LocalText.Count(n.ZoneCount, "zona", "zonas")}, {LocalText.Number(n.AreaHectares)} ha";

    private static string PlanSms(PlanVersionNotice n, Language language)
    {
        var size = Size(n, language);
        var format = (language, n.Approved) switch
        {
            (Language.Qu, true) => $"Asambleaqa \"{{0}}\" plan nisqatan chaskirqan: versión {n.Number} ({size}).",
            (Language.Qu, false) => $"Willakuy: \"{{0}}\" plan nisqa, versión {n.Number}, asambleaman rin ({size}).",
            (Language.En, true) => $"Plan \"{{0}}\": version {n.Number} was approved and is now in force ({size}).",
            (Language.En, false) => $"Plan \"{{0}}\": version {n.Number} went to the assembly for consultation ({size}).",
            (_, true) => $"Plan \"{{0}}\": la versión {n.Number} fue aprobada y está vigente ({size}).",
            _ => $"Plan \"{{0}}\": la versión {n.Number} pasó a consulta de la asamblea ({size}).",
        };
        return SmsText.Fit(format, n.PlanTitle);
    }

    private static (string, List<string>) PlanEmail(PlanVersionNotice n, Language language)
    {
        var size = Size(n, language);
        return (language, n.Approved) switch
        {
            (Language.Qu, true) => ($"Plan nisqa: {n.PlanTitle}", [$"Asambleaqa «{n.PlanTitle}» plan nisqatan chaskirqan: versión {n.Number} ({size})."]),
            (Language.Qu, false) => ($"Plan nisqa: {n.PlanTitle}", [$"Willakuy: «{n.PlanTitle}» plan nisqa, versión {n.Number}, asambleaman rin ({size})."]),
            (Language.En, true) => ($"Plan approved: {n.PlanTitle}, version {n.Number}",
                [$"Version {n.Number} of the plan “{n.PlanTitle}” was approved by the assembly and is now in force.", string.Empty, $"Zones: {n.ZoneCount}", $"Area: {LocalText.Number(n.AreaHectares)} ha"]),
            (Language.En, false) => ($"Plan in consultation: {n.PlanTitle}, version {n.Number}",
                [$"Version {n.Number} of the plan “{n.PlanTitle}” went to the assembly for consultation.", string.Empty, $"Zones: {n.ZoneCount}", $"Area: {LocalText.Number(n.AreaHectares)} ha"]),
            (_, true) => ($"Plan aprobado: {n.PlanTitle}, versión {n.Number}",
                [$"La versión {n.Number} del plan «{n.PlanTitle}» fue aprobada por la asamblea y está vigente.", string.Empty, $"Zonas: {n.ZoneCount}", $"Superficie: {LocalText.Number(n.AreaHectares)} ha"]),
            _ => ($"Plan en consulta: {n.PlanTitle}, versión {n.Number}",
                [$"La versión {n.Number} del plan «{n.PlanTitle}» pasó a consulta de la asamblea.", string.Empty, $"Zonas: {n.ZoneCount}", $"Superficie: {LocalText.Number(n.AreaHectares)} ha"]),
        };
    }

    private static string Condition(AlertNotice n, Language language) =>
        !string.IsNullOrWhiteSpace(n.Condition)
            ? n.Condition.Trim()
            : language switch
            {
                Language.Qu => "huk indicador",
                Language.En => "an indicator crossed its alert level",
                _ => "un indicador pasó su nivel de alerta",
            };

    private static string AlertFigures(AlertNotice n, Language language)
    {
        var value = LocalText.Value(n.ObservedValue, n.IsPercent);
        var period = LocalText.Period(n.Period, language);
        return language switch
        {
            Language.Qu => $"{value} ({period}, {n.Households} wasi)",
            Language.En => $"Value {value} ({period}, {LocalText.Count(n.Households, "household", "households")})",
            _ => $"Valor {value} ({period}, {LocalText.Count(n.Households, "hogar", "hogares")})",
        };
    }

    private static string AlertSms(AlertNotice n, Language language)
    {
        var figures = AlertFigures(n, language);
        var format = (language, n.Raised) switch
        {
            (Language.Qu, true) => $"Utqhaylla willakuy, {n.AreaName}: {{0}}. {figures}.",
            (Language.Qu, false) => $"Willakuy, {n.AreaName}: alerta nisqa manaña kanchu (\"{{0}}\"). {figures}.",
            (Language.En, true) => $"Alert in {n.AreaName}: {{0}}. {figures}.",
            (Language.En, false) => $"Alert cleared in {n.AreaName}: no longer \"{{0}}\". {figures}.",
            (_, true) => $"Alerta en {n.AreaName}: {{0}}. {figures}.",
            _ => $"Alerta superada en {n.AreaName}: ya no se cumple \"{{0}}\". {figures}.",
        };
        return SmsText.Fit(format, Condition(n, language));
    }

    private static (string, List<string>) AlertEmail(AlertNotice n, Language language)
    {
        var condition = Condition(n, language);
        var figures = AlertFigures(n, language);
        return (language, n.Raised) switch
        {
            (Language.Qu, true) => ($"Utqhaylla willakuy: {n.AreaName}", [$"{n.AreaName}: {condition}.", figures + "."]),
            (Language.Qu, false) => ($"Willakuy: {n.AreaName}", [$"{n.AreaName}: alerta nisqa manaña kanchu ({condition}).", figures + "."]),
            (Language.En, true) => ($"Alert raised in {n.AreaName}", [$"In {n.AreaName}: {condition}.", figures + "."]),
            (Language.En, false) => ($"Alert cleared in {n.AreaName}", [$"In {n.AreaName} this no longer holds: {condition}.", figures + "."]),
            (_, true) => ($"Alerta en {n.AreaName}", [$"En {n.AreaName}: {condition}.", figures + "."]),
            _ => ($"Alerta superada en {n.AreaName}", [$"En {n.AreaName} ya no se cumple: {condition}.", figures + "."]),
        };
    }

    private static string ImportSms(ImportNotice n, Language language)
    {
        var format = language switch
        {
            Language.Qu => $"Tapukuykuna \"{{0}}\": {n.StoredRows} wasi yupasqa ({LocalText.Count(n.AreaCount, "área", "áreas")}).",
            Language.En => $"Survey \"{{0}}\": {LocalText.Count(n.StoredRows, "new household", "new households")} stored in {LocalText.Count(n.AreaCount, "area", "areas")}.",
            _ => $"Encuesta \"{{0}}\": se guardaron {LocalText.Count(n.StoredRows, "hogar nuevo", "hogares nuevos")} en {LocalText.Count(n.AreaCount, "área", "áreas")}.",
        };
        return SmsText.Fit(format, n.RoundName);
    }

    private static (string, List<string>) ImportEmail(ImportNotice n, Language language) => language switch
    {
        Language.Qu => ($"Tapukuykuna: {n.RoundName}", [$"«{n.RoundName}»: {n.StoredRows} wasi yupasqa ({LocalText.Count(n.AreaCount, "área", "áreas")})."]),
        Language.En => ($"Survey import: {n.RoundName}", [$"{LocalText.Count(n.StoredRows, "new household was", "new households were")} stored in the survey “{n.RoundName}”, in {LocalText.Count(n.AreaCount, "area", "areas")}."]),
        _ => ($"Importación de encuesta: {n.RoundName}", [$"Se guardaron {LocalText.Count(n.StoredRows, "hogar nuevo", "hogares nuevos")} en la encuesta «{n.RoundName}», en {LocalText.Count(n.AreaCount, "área", "áreas")}."]),
    };

    private static string Body(IEnumerable<string> lines, Language language)
    {
        var body = new StringBuilder();
        foreach (var line in lines)
        {
            body.Append(line).Append('\n');
        }

        body.Append('\n').Append(language switch
        {
            Language.En => "Watershed: news from your watershed's consultation and planning. To stop these messages, ask your facilitator to change your preferences.",
            Language.Qu => "Watershed: cuencapaq willakuykuna.",
            _ => "Watershed: avisos de la consulta y la planificación de su cuenca. Para dejar de recibirlos, pida a su facilitador que cambie sus preferencias.",
        }).Append('\n');
        return body.ToString();
    }
}
