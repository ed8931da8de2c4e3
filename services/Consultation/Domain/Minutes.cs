using System.Globalization;
using System.Text;

namespace Watershed.Consultation.Domain;

/// <param name="RepresentedBy">For an absent member: the member carrying their proxy (carta poder), if anyone.</param>
public sealed record MinutesAttendee(Guid MemberId, Guid PersonId, string FullName, MemberRole Role, bool HasVote, bool Present, DateTimeOffset? RecordedAt,
    Guid? RepresentedBy = null);

public sealed record MinutesDecision(
    Guid ProposalId,
    string Title,
    ProposalType Type,
    DecisionRule Rule,
    bool Secret,
    Tally Tally,
    int Eligible,
    int Roll,
    int RequiredYes,
    bool Approved,
    string LogHeadHash,
    IReadOnlyList<VoidRecord> Voids,
    MinutesPaper Paper);

/// <summary>A decision's paper ballots: how many were issued for the box, and its blank and spoiled ballots.</summary>
public sealed record MinutesPaper(int Issued, int Blank, int Spoiled);

/// <summary>A vote voided before the close: the void's entry, the entry it voided, and why.</summary>
public sealed record VoidRecord(long Sequence, long VoidedSequence, string Reason);

/// <summary>What the acta records: who was there, whether there was quorum, and each decision.</summary>
public sealed record MinutesData(
    Assembly Assembly,
    string SpaceName,
    string WatershedName,
    IReadOnlyList<MinutesAttendee> Attendance,
    IReadOnlyList<MinutesDecision> Decisions,
    IReadOnlyList<string>? ConvenedProposals = null);

/// <summary>
/// Renders the acta (minutes) as plain text in Spanish, the language of the community's minute book,
/// or in English. Dates are written in Peru's time (UTC−5, no daylight saving).
/// </summary>
public static class MinutesRenderer
{
    private static readonly TimeSpan PeruOffset = TimeSpan.FromHours(-5);

    public static bool Supports(string language) => language is "es" or "en";

    public static string Render(MinutesData minutes, string language)
    {
        var es = language != "en";
        var culture = CultureInfo.GetCultureInfo(es ? "es-PE" : "en-GB");
        var a = minutes.Assembly;
        var text = new StringBuilder();
        string When(DateTimeOffset? t) => t is null ? "—" : t.Value.ToOffset(PeruOffset).ToString("dd/MM/yyyy HH:mm", culture);

        text.AppendLine(es ? "ACTA DE ASAMBLEA" : "MINUTES OF THE ASSEMBLY");
        text.AppendLine(CultureInfo.InvariantCulture, $"{a.Title}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{(es ? "Espacio" : "Space")}: {minutes.SpaceName} — {(es ? "Cuenca" : "Watershed")}: {minutes.WatershedName}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{(es ? "Lugar" : "Place")}: {a.Place}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{(es ? "Convocada para" : "Convened for")}: {When(a.ScheduledAt)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"{(es ? "Apertura" : "Opened")}: {When(a.OpenedAt)} — {(es ? "Cierre" : "Closed")}: {When(a.ClosedAt)}");
        if (a.OpeningQuorum is { } opening)
        {
            var callName = (es, opening.Call) switch
            {
                (true, AssemblyCall.First) => "primera convocatoria",
                (true, _) => "segunda convocatoria",
                (false, AssemblyCall.First) => "first call",
                _ => "second call",
            };
            text.AppendLine(es
                ? $"Quórum en {callName}: {opening.Present} presentes de {opening.OnRoll} habilitados en el padrón; se requerían {opening.Required}. {(opening.Reached ? "Hubo quórum." : "No hubo quórum.")}"
                : $"Quorum at the {callName}: {opening.Present} present of {opening.OnRoll} voting members on the roll; {opening.Required} required. {(opening.Reached ? "Quorum was reached." : "Quorum was not reached.")}");
        }

        if (a.ClosingQuorum is { } closing)
        {
            text.AppendLine(es
                ? $"Al cierre: {closing.Present} presentes de {closing.OnRoll} habilitados en el padrón."
                : $"At the close: {closing.Present} present of {closing.OnRoll} voting members on the roll.");
        }

        var convened = minutes.ConvenedProposals ?? [];
        if (a.Agenda.Count + convened.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(es ? "AGENDA" : "AGENDA");
            for (var i = 0; i < a.Agenda.Count; i++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. {a.Agenda[i]}");
            }

            for (var i = 0; i < convened.Count; i++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{a.Agenda.Count + i + 1}. {(es ? "Propuesta convocada" : "Proposal in the call")}: {convened[i]}");
            }
        }

        text.AppendLine();
        text.AppendLine(es ? "ASISTENCIA" : "ATTENDANCE");
        var names = minutes.Attendance.ToDictionary(p => p.MemberId, p => p.FullName);
        foreach (var person in minutes.Attendance.OrderBy(p => p.FullName, StringComparer.Create(culture, ignoreCase: true)))
        {
            var presence = person.Present ? (es ? "presente" : "present") : (es ? "ausente" : "absent");
            if (!person.Present && person.RepresentedBy is { } holder && names.TryGetValue(holder, out var holderName))
            {
                presence += es ? $", representado/a por {holderName} con carta poder" : $", represented by {holderName} by proxy";
            }

            var vote = person.HasVote ? (es ? "con voto" : "with vote") : (es ? "con voz, sin voto" : "voice, no vote");
            text.AppendLine(CultureInfo.InvariantCulture, $"- {person.FullName} ({RoleName(person.Role, es)}, {vote}): {presence}");
        }

        text.AppendLine();
        text.AppendLine(es ? "ACUERDOS" : "DECISIONS");
        if (minutes.Decisions.Count == 0)
        {
            text.AppendLine(es ? "No se sometió ninguna propuesta a votación." : "No proposal was put to the vote.");
        }

        var n = 0;
        foreach (var d in minutes.Decisions)
        {
            n++;
            var outcome = d.Approved ? (es ? "APROBADA" : "APPROVED") : (es ? "RECHAZADA" : "REJECTED");
            text.AppendLine(CultureInfo.InvariantCulture, $"{n}. {d.Title} — {outcome}");
            text.AppendLine(es
                ? $"   Regla: {RuleName(d.Rule, es)}; votación {(d.Secret ? "secreta" : "pública")}."
                : $"   Rule: {RuleName(d.Rule, es)}; {(d.Secret ? "secret" : "public")} ballot.");
            text.AppendLine(es
                ? $"   Votos: {d.Tally.Yes} a favor, {d.Tally.No} en contra, {d.Tally.Abstain} abstenciones{(d.Rule == DecisionRule.Consensus ? $", {d.Tally.Block} bloqueos" : string.Empty)}; {d.Eligible} habilitados presentes, {d.Roll} en el padrón; votos a favor requeridos: {d.RequiredYes}."
                : $"   Votes: {d.Tally.Yes} yes, {d.Tally.No} no, {d.Tally.Abstain} abstain{(d.Rule == DecisionRule.Consensus ? $", {d.Tally.Block} block" : string.Empty)}; {d.Eligible} eligible present, {d.Roll} on the roll; yes votes required: {d.RequiredYes}.");
            if (d.Paper.Issued > 0)
            {
                text.AppendLine(es
                    ? $"   Ánfora: {d.Paper.Issued} cédulas entregadas; {d.Paper.Blank} en blanco y {d.Paper.Spoiled} nulas; conteo ingresado por un miembro del comité y atestiguado por otro."
                    : $"   Ballot box: {d.Paper.Issued} paper ballots issued; {d.Paper.Blank} blank and {d.Paper.Spoiled} spoiled; count entered by one committee member and attested by another.");
            }

            foreach (var voided in d.Voids)
            {
                text.AppendLine(es
                    ? $"   Voto anulado antes del cierre: entrada {voided.VoidedSequence} del registro (anulada por la entrada {voided.Sequence}). Motivo: {voided.Reason}"
                    : $"   Vote voided before the close: log entry {voided.VoidedSequence} (voided by entry {voided.Sequence}). Reason: {voided.Reason}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"   {(es ? "Huella del registro de votos" : "Ballot log hash")}: {d.LogHeadHash}");
        }

        return text.ToString();
    }

    private static string RoleName(MemberRole role, bool es) => (role, es) switch
    {
        (MemberRole.VotingMember, true) => "comunero/a calificado/a",
        (MemberRole.Delegate, true) => "delegado/a",
        (MemberRole.Facilitator, true) => "facilitador/a",
        (MemberRole.TechnicalAdvisor, true) => "equipo técnico",
        (MemberRole.Observer, true) => "observador/a",
        (MemberRole.VotingMember, false) => "voting member",
        (MemberRole.Delegate, false) => "delegate",
        (MemberRole.Facilitator, false) => "facilitator",
        (MemberRole.TechnicalAdvisor, false) => "technical advisor",
        _ => "observer",
    };

    private static string RuleName(DecisionRule rule, bool es) => (rule, es) switch
    {
        (DecisionRule.SimpleMajority, true) => "mayoría simple de votos emitidos",
        (DecisionRule.AbsoluteMajorityOfPresent, true) => "mayoría absoluta de presentes",
        (DecisionRule.TwoThirdsOfRoll, true) => "dos tercios del total de comuneros del padrón",
        (DecisionRule.Consensus, true) => "consenso (sin bloqueo)",
        (DecisionRule.SimpleMajority, false) => "simple majority of votes cast",
        (DecisionRule.AbsoluteMajorityOfPresent, false) => "absolute majority of members present",
        (DecisionRule.TwoThirdsOfRoll, false) => "two thirds of all members on the roll",
        _ => "consensus (no block)",
    };
}
