using System.Globalization;
using System.Text;

namespace Watershed.Consultation.Domain;

/// <param name="RepresentedBy">For an absent member: the member carrying their proxy (carta poder), if anyone.</param>
/// <param name="Sex">As registered for the person; null when not registered.</param>
public sealed record MinutesAttendee(Guid MemberId, Guid PersonId, string FullName, MemberRole Role, bool HasVote, bool Present, DateTimeOffset? RecordedAt,
    Guid? RepresentedBy = null, Sex? Sex = null);

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

/// <summary>The voting members an acta lists and those of them present, by registered sex.</summary>
public sealed record AttendanceBySex(int Women, int WomenPresent, int Men, int MenPresent, int Unregistered, int UnregisteredPresent);

/// <summary>What the acta records: who was there, whether there was quorum, each decision, and corrections appended since.</summary>
public sealed record MinutesData(
    Assembly Assembly,
    string SpaceName,
    string WatershedName,
    IReadOnlyList<MinutesAttendee> Attendance,
    IReadOnlyList<MinutesDecision> Decisions,
    IReadOnlyList<string>? ConvenedProposals = null,
    IReadOnlyList<MinutesCorrection>? Corrections = null,
    string Region = "",
    string District = "")
{
    /// <summary>The quorum basis by sex, as registries ask it; null when no listed voting member's sex is registered.</summary>
    public AttendanceBySex? BySex
    {
        get
        {
            var voters = Attendance.Where(a => a.HasVote).ToList();
            if (voters.All(a => a.Sex is null))
            {
                return null;
            }

            int Count(Sex? sex, bool presentOnly) => voters.Count(a => a.Sex == sex && (!presentOnly || a.Present));
            return new AttendanceBySex(Count(Sex.Female, false), Count(Sex.Female, true), Count(Sex.Male, false), Count(Sex.Male, true),
                Count(null, false), Count(null, true));
        }
    }
}

/// <summary>
/// Renders the acta (minutes) as plain text in Spanish, the language of the community's minute book, in English, or
/// in Southern Quechua (Cusco–Collao: the glossary's words with the Spanish terms beside them, a draft for native
/// speakers to review; the Spanish acta is the one of record). Dates are written in Peru's time (UTC−5, no daylight saving).
/// </summary>
public static class MinutesRenderer
{
    public static bool Supports(string language) => ActaWords.For(language) is not null;

    public static string Render(MinutesData minutes, string language)
    {
        var w = ActaWords.For(language) ?? ActaWords.Spanish;
        var a = minutes.Assembly;
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');

        Line(w.Title);
        if (w.DraftNote is { } note)
        {
            Line(note);
        }

        Line(a.Title);
        Line($"{w.Space}: {minutes.SpaceName} — {w.Watershed}: {minutes.WatershedName}");
        Line($"{w.Place}: {a.Place}");
        Line($"{w.ConvenedFor}: {w.When(a.ScheduledAt)}");
        Line($"{w.Opened}: {w.When(a.OpenedAt)} — {w.Closed}: {w.When(a.ClosedAt)}");
        if (a.OpeningQuorum is { } opening)
        {
            Line(w.OpeningQuorum(opening));
        }

        if (a.ClosingQuorum is { } closing)
        {
            Line(w.ClosingQuorum(closing));
        }

        if (minutes.BySex is { } bySex)
        {
            Line(w.BySex(bySex));
        }

        var agenda = Agenda(minutes, w);
        if (agenda.Count > 0)
        {
            Line(string.Empty);
            Line(w.Agenda);
            for (var i = 0; i < agenda.Count; i++)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"{i + 1}. {agenda[i]}"));
            }
        }

        Line(string.Empty);
        Line(w.Attendance);
        var names = minutes.Attendance.ToDictionary(p => p.MemberId, p => p.FullName);
        foreach (var person in minutes.Attendance.OrderBy(p => p.FullName, StringComparer.Create(w.Culture, ignoreCase: true)))
        {
            Line($"- {person.FullName} ({w.Role(person.Role)}, {(person.HasVote ? w.WithVote : w.VoiceOnly)}): {w.Presence(person, names)}");
        }

        Line(string.Empty);
        Line(w.Decisions);
        if (minutes.Decisions.Count == 0)
        {
            Line(w.NoDecisions);
        }

        var n = 0;
        foreach (var d in minutes.Decisions)
        {
            n++;
            Line(string.Create(CultureInfo.InvariantCulture, $"{n}. {d.Title} — {w.Outcome(d.Approved)}"));
            foreach (var detail in w.DecisionDetails(d))
            {
                Line($"   {detail}");
            }
        }

        var corrections = minutes.Corrections ?? [];
        if (corrections.Count > 0)
        {
            Line(string.Empty);
            Line(w.Corrections);
            foreach (var correction in corrections)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"{correction.Number}. {w.When(correction.RecordedAt)}: {correction.Text}"));
            }
        }

        return text.ToString();
    }

    /// <summary>The agenda as the call fixed it: its items, then the proposals it listed.</summary>
    internal static IReadOnlyList<string> Agenda(MinutesData minutes, ActaWords w) =>
        [.. minutes.Assembly.Agenda, .. (minutes.ConvenedProposals ?? []).Select(title => $"{w.ProposalInCall}: {title}")];
}

/// <summary>The words of the acta in one language; the text and the printable document both use them.</summary>
internal abstract class ActaWords
{
    private static readonly TimeSpan PeruOffset = TimeSpan.FromHours(-5);

    public static ActaWords Spanish { get; } = new SpanishWords();

    /// <summary>The words for a language code ("es", "en", "qu"), or null when the acta is not written in it.</summary>
    public static ActaWords? For(string language) => language switch
    {
        "es" => Spanish,
        "en" => EnglishWords.Instance,
        "qu" => QuechuaWords.Instance,
        _ => null,
    };

    /// <summary>The BCP 47 tag of the document (its <c>lang</c>).</summary>
    public abstract string Tag { get; }

    public abstract CultureInfo Culture { get; }

    public abstract string Title { get; }

    public virtual string? DraftNote => null;

    public abstract string Space { get; }

    public abstract string Watershed { get; }

    public abstract string Place { get; }

    public abstract string ConvenedFor { get; }

    public abstract string Opened { get; }

    public abstract string Closed { get; }

    public abstract string Agenda { get; }

    public abstract string ProposalInCall { get; }

    public abstract string Attendance { get; }

    public abstract string WithVote { get; }

    public abstract string VoiceOnly { get; }

    public abstract string Decisions { get; }

    public abstract string NoDecisions { get; }

    public abstract string Corrections { get; }

    public abstract string LogHash { get; }

    // The printable document's own words.
    public abstract string QuorumBasis { get; }

    public abstract string Signature { get; }

    public abstract string Board { get; }

    public abstract IReadOnlyList<string> BoardRoles { get; }

    public abstract string NameLabel { get; }

    public abstract string NationalIdLabel { get; }

    public abstract string Name { get; }

    public abstract string RoleLabel { get; }

    public abstract string PresenceLabel { get; }

    public string When(DateTimeOffset? t) => t is null ? "—" : t.Value.ToOffset(PeruOffset).ToString("dd/MM/yyyy HH:mm", Culture);

    public abstract string OpeningQuorum(QuorumCount q);

    public abstract string ClosingQuorum(QuorumCount q);

    public abstract string BySex(AttendanceBySex b);

    public abstract string Role(MemberRole role);

    public abstract string Rule(DecisionRule rule);

    public abstract string Outcome(bool approved);

    public abstract string Presence(MinutesAttendee person, IReadOnlyDictionary<Guid, string> names);

    public abstract IEnumerable<string> DecisionDetails(MinutesDecision d);
}

internal sealed class SpanishWords : ActaWords
{
    public override string Tag => "es-PE";

    public override CultureInfo Culture => CultureInfo.GetCultureInfo("es-PE");

    public override string Title => "ACTA DE ASAMBLEA";

    public override string Space => "Espacio";

    public override string Watershed => "Cuenca";

    public override string Place => "Lugar";

    public override string ConvenedFor => "Convocada para";

    public override string Opened => "Apertura";

    public override string Closed => "Cierre";

    public override string Agenda => "AGENDA";

    public override string ProposalInCall => "Propuesta convocada";

    public override string Attendance => "ASISTENCIA";

    public override string WithVote => "con voto";

    public override string VoiceOnly => "con voz, sin voto";

    public override string Decisions => "ACUERDOS";

    public override string NoDecisions => "No se sometió ninguna propuesta a votación.";

    public override string Corrections => "CORRECCIONES (añadidas después del cierre)";

    public override string LogHash => "Huella del registro de votos";

    public override string QuorumBasis => "CONSTANCIA DE QUÓRUM";

    public override string Signature => "Firma o huella digital";

    public override string Board => "FIRMAS DE LA DIRECTIVA";

    public override IReadOnlyList<string> BoardRoles => ["Presidente/a", "Secretario/a", "Fiscal"];

    public override string NameLabel => "Nombre";

    public override string NationalIdLabel => "DNI";

    public override string Name => "Nombre";

    public override string RoleLabel => "Condición";

    public override string PresenceLabel => "Asistencia";

    public override string OpeningQuorum(QuorumCount q) =>
        $"Quórum en {Call(q.Call)}: {q.Present} presentes de {q.OnRoll} habilitados en el padrón{Represented(q)}; se requerían {q.Required}. {(q.Reached ? "Hubo quórum." : "No hubo quórum.")}";

    public override string ClosingQuorum(QuorumCount q) => $"Al cierre: {q.Present} presentes de {q.OnRoll} habilitados en el padrón{Represented(q)}.";

    public override string BySex(AttendanceBySex b) =>
        $"Habilitados por sexo: mujeres {b.WomenPresent} presentes de {b.Women}; varones {b.MenPresent} de {b.Men}" +
        (b.Unregistered > 0 ? $"; sin sexo registrado {b.UnregisteredPresent} de {b.Unregistered}." : ".");

    public override string Role(MemberRole role) => role switch
    {
        MemberRole.VotingMember => "comunero/a calificado/a",
        MemberRole.Delegate => "delegado/a",
        MemberRole.Facilitator => "facilitador/a",
        MemberRole.TechnicalAdvisor => "equipo técnico",
        _ => "observador/a",
    };

    public override string Rule(DecisionRule rule) => rule switch
    {
        DecisionRule.SimpleMajority => "mayoría simple de votos emitidos",
        DecisionRule.AbsoluteMajorityOfPresent => "mayoría absoluta de presentes",
        DecisionRule.TwoThirdsOfRoll => "dos tercios del total de comuneros del padrón",
        _ => "consenso (sin bloqueo)",
    };

    public override string Outcome(bool approved) => approved ? "APROBADA" : "RECHAZADA";

    public override string Presence(MinutesAttendee person, IReadOnlyDictionary<Guid, string> names) =>
        person.Present ? "presente"
        : person.RepresentedBy is { } holder && names.TryGetValue(holder, out var name) ? $"ausente, representado/a por {name} con carta poder"
        : "ausente";

    public override IEnumerable<string> DecisionDetails(MinutesDecision d)
    {
        yield return $"Regla: {Rule(d.Rule)}; votación {(d.Secret ? "secreta" : "pública")}.";
        yield return $"Votos: {d.Tally.Yes} a favor, {d.Tally.No} en contra, {d.Tally.Abstain} abstenciones{(d.Rule == DecisionRule.Consensus ? $", {d.Tally.Block} bloqueos" : string.Empty)}; {d.Eligible} habilitados presentes, {d.Roll} en el padrón; votos a favor requeridos: {d.RequiredYes}.";
        if (d.Paper.Issued > 0)
        {
            yield return $"Ánfora: {d.Paper.Issued} cédulas entregadas; {d.Paper.Blank} en blanco y {d.Paper.Spoiled} nulas; conteo ingresado por un miembro del comité y atestiguado por otro.";
        }

        foreach (var voided in d.Voids)
        {
            yield return $"Voto anulado antes del cierre: entrada {voided.VoidedSequence} del registro (anulada por la entrada {voided.Sequence}). Motivo: {voided.Reason}";
        }

        yield return $"{LogHash}: {d.LogHeadHash}";
    }

    internal static string Call(AssemblyCall call) => call == AssemblyCall.First ? "primera convocatoria" : "segunda convocatoria";

    internal static string Represented(QuorumCount q) => q.Represented > 0 ? $" y {q.Represented} representados con carta poder" : string.Empty;
}

internal sealed class EnglishWords : ActaWords
{
    public static EnglishWords Instance { get; } = new();

    public override string Tag => "en";

    public override CultureInfo Culture => CultureInfo.GetCultureInfo("en-GB");

    public override string Title => "MINUTES OF THE ASSEMBLY";

    public override string Space => "Space";

    public override string Watershed => "Watershed";

    public override string Place => "Place";

    public override string ConvenedFor => "Convened for";

    public override string Opened => "Opened";

    public override string Closed => "Closed";

    public override string Agenda => "AGENDA";

    public override string ProposalInCall => "Proposal in the call";

    public override string Attendance => "ATTENDANCE";

    public override string WithVote => "with vote";

    public override string VoiceOnly => "voice, no vote";

    public override string Decisions => "DECISIONS";

    public override string NoDecisions => "No proposal was put to the vote.";

    public override string Corrections => "CORRECTIONS (appended after the close)";

    public override string LogHash => "Ballot log hash";

    public override string QuorumBasis => "QUORUM";

    public override string Signature => "Signature or thumbprint";

    public override string Board => "SIGNATURES OF THE BOARD";

    public override IReadOnlyList<string> BoardRoles => ["President", "Secretary", "Auditor (fiscal)"];

    public override string NameLabel => "Name";

    public override string NationalIdLabel => "ID (DNI)";

    public override string Name => "Name";

    public override string RoleLabel => "Standing";

    public override string PresenceLabel => "Attendance";

    public override string OpeningQuorum(QuorumCount q) =>
        $"Quorum at the {(q.Call == AssemblyCall.First ? "first call" : "second call")}: {q.Present} present of {q.OnRoll} voting members on the roll{Represented(q)}; {q.Required} required. {(q.Reached ? "Quorum was reached." : "Quorum was not reached.")}";

    public override string ClosingQuorum(QuorumCount q) => $"At the close: {q.Present} present of {q.OnRoll} voting members on the roll{Represented(q)}.";

    public override string BySex(AttendanceBySex b) =>
        $"Voting members by sex: women {b.WomenPresent} present of {b.Women}; men {b.MenPresent} of {b.Men}" +
        (b.Unregistered > 0 ? $"; sex not registered {b.UnregisteredPresent} of {b.Unregistered}." : ".");

    public override string Role(MemberRole role) => role switch
    {
        MemberRole.VotingMember => "voting member",
        MemberRole.Delegate => "delegate",
        MemberRole.Facilitator => "facilitator",
        MemberRole.TechnicalAdvisor => "technical advisor",
        _ => "observer",
    };

    public override string Rule(DecisionRule rule) => rule switch
    {
        DecisionRule.SimpleMajority => "simple majority of votes cast",
        DecisionRule.AbsoluteMajorityOfPresent => "absolute majority of members present",
        DecisionRule.TwoThirdsOfRoll => "two thirds of all members on the roll",
        _ => "consensus (no block)",
    };

    public override string Outcome(bool approved) => approved ? "APPROVED" : "REJECTED";

    public override string Presence(MinutesAttendee person, IReadOnlyDictionary<Guid, string> names) =>
        person.Present ? "present"
        : person.RepresentedBy is { } holder && names.TryGetValue(holder, out var name) ? $"absent, represented by {name} by proxy"
        : "absent";

    public override IEnumerable<string> DecisionDetails(MinutesDecision d)
    {
        yield return $"Rule: {Rule(d.Rule)}; {(d.Secret ? "secret" : "public")} ballot.";
        yield return $"Votes: {d.Tally.Yes} yes, {d.Tally.No} no, {d.Tally.Abstain} abstain{(d.Rule == DecisionRule.Consensus ? $", {d.Tally.Block} block" : string.Empty)}; {d.Eligible} eligible present, {d.Roll} on the roll; yes votes required: {d.RequiredYes}.";
        if (d.Paper.Issued > 0)
        {
            yield return $"Ballot box: {d.Paper.Issued} paper ballots issued; {d.Paper.Blank} blank and {d.Paper.Spoiled} spoiled; count entered by one committee member and attested by another.";
        }

        foreach (var voided in d.Voids)
        {
            yield return $"Vote voided before the close: log entry {voided.VoidedSequence} (voided by entry {voided.Sequence}). Reason: {voided.Reason}";
        }

        yield return $"{LogHash}: {d.LogHeadHash}";
    }

    private static string Represented(QuorumCount q) => q.Represented > 0 ? $" and {q.Represented} represented by proxy" : string.Empty;
}

/// <summary>
/// Southern Quechua (Cusco–Collao) words from the project's sourced glossary, each beside the Spanish term it stands
/// for; whatever the glossary has no attested word for stays in Spanish, as loans are normal in actas. A draft until
/// native speakers of each community have reviewed it.
/// </summary>
internal sealed class QuechuaWords : ActaWords
{
    public static QuechuaWords Instance { get; } = new();

    public override string Tag => "qu-PE";

    public override CultureInfo Culture => CultureInfo.GetCultureInfo("es-PE");

    public override string Title => "ASAMBLEAPA ACTAN (ACTA DE ASAMBLEA)";

    public override string DraftNote => "(Borrador en quechua, por revisar con hablantes nativos; el acta válida es la castellana.)";

    public override string Space => "Espacio";

    public override string Watershed => "Cuenca";

    public override string Place => "Lugar";

    public override string ConvenedFor => "Huñunakuy p'unchaw (convocada para)";

    public override string Opened => "Apertura";

    public override string Closed => "Cierre";

    public override string Agenda => "AGENDA";

    public override string ProposalInCall => "Propuesta nisqa (convocada)";

    public override string Attendance => "ASISTENCIA";

    public override string WithVote => "akllayniyuq (con voto)";

    public override string VoiceOnly => "con voz, sin voto";

    public override string Decisions => "RIMANAKUYKUNA (ACUERDOS)";

    public override string NoDecisions => "(No se sometió ninguna propuesta a votación.)";

    public override string Corrections => "CORRECCIONES (añadidas después del cierre)";

    public override string LogHash => "Huella del registro de votos";

    public override string QuorumBasis => "CONSTANCIA DE QUÓRUM";

    public override string Signature => "Firma o huella digital";

    public override string Board => "FIRMAS DE LA DIRECTIVA";

    public override IReadOnlyList<string> BoardRoles => ["Umalliq (presidente/a)", "Secretario/a", "Fiscal"];

    public override string NameLabel => "Nombre";

    public override string NationalIdLabel => "DNI";

    public override string Name => "Nombre";

    public override string RoleLabel => "Condición";

    public override string PresenceLabel => "Asistencia";

    public override string OpeningQuorum(QuorumCount q) =>
        $"Quórum ({SpanishWords.Call(q.Call)}): {q.Present} comunerokuna presentes, padrónpi {q.OnRoll}{Represented(q)}; mínimo {q.Required}. " +
        (q.Reached ? "Quórum karqan (hubo quórum)." : "Manan quórum karqanchu (no hubo quórum).");

    public override string ClosingQuorum(QuorumCount q) => $"Cierrepi: {q.Present} comunerokuna presentes, padrónpi {q.OnRoll}{Represented(q)}.";

    public override string BySex(AttendanceBySex b) => Spanish.BySex(b);

    public override string Role(MemberRole role) => Spanish.Role(role);

    public override string Rule(DecisionRule rule) => Spanish.Rule(rule);

    public override string Outcome(bool approved) => approved ? "CHASKISQA (APROBADA)" : "MANA CHASKISQA (RECHAZADA)";

    public override string Presence(MinutesAttendee person, IReadOnlyDictionary<Guid, string> names) => Spanish.Presence(person, names);

    public override IEnumerable<string> DecisionDetails(MinutesDecision d)
    {
        yield return $"Kamachiy (regla): {Rule(d.Rule)}; {(d.Secret ? "pakasqa akllay (votación secreta)" : "votación pública")}.";
        yield return $"Akllasqakuna (votos): {d.Tally.Yes} ari (a favor), {d.Tally.No} mana (en contra), {d.Tally.Abstain} mana akllaspa (abstenciones){(d.Rule == DecisionRule.Consensus ? $", {d.Tally.Block} bloqueos" : string.Empty)}; {d.Eligible} habilitados presentes, padrónpi {d.Roll}; votos a favor requeridos: {d.RequiredYes}.";
        foreach (var detail in Spanish.DecisionDetails(d).Skip(2))
        {
            yield return detail;
        }
    }

    private static string Represented(QuorumCount q) => q.Represented > 0 ? $", {q.Represented} con carta poder" : string.Empty;
}
