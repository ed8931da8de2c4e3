using Watershed.Consultation.Domain;

namespace Watershed.Consultation.Tests.Domain;

public sealed class MinutesRendererTests
{
    private static MinutesData Sample()
    {
        var space = Samples.Space();
        var assembly = Assembly.Convene(space, "Asamblea extraordinaria", "Local comunal",
            new DateTimeOffset(2026, 11, 28, 19, 0, 0, TimeSpan.Zero), ["Cambio de uso de suelo en Sallma"]);
        // At the second call at least 30 % of 12 must be present: ⌈3.6⌉ = 4.
        assembly.Open(space, AssemblyCall.Second, Samples.Electorate(onRoll: 12, present: 5), new DateTimeOffset(2026, 11, 28, 19, 30, 0, TimeSpan.Zero));
        return new MinutesData(
            assembly,
            "Asamblea General",
            "Pomacanchi",
            [
                new MinutesAttendee(Guid.NewGuid(), Guid.NewGuid(), "Rosa Quispe", MemberRole.VotingMember, true, true, null),
                new MinutesAttendee(Guid.NewGuid(), Guid.NewGuid(), "Ing. Pérez", MemberRole.TechnicalAdvisor, false, true, null),
                new MinutesAttendee(Guid.NewGuid(), Guid.NewGuid(), "Juan Mamani", MemberRole.VotingMember, true, false, null),
            ],
            [
                new MinutesDecision(Guid.NewGuid(), "Cambio de uso en Sallma", ProposalType.LandUseChange, DecisionRule.TwoThirdsOfRoll,
                    true, new Tally(5, 0, 0, 0), 5, 12, 8, false, new string('a', 64), [new VoidRecord(4, 2, "Tecla equivocada")], new MinutesPaper(12, 1, 2)),
            ]);
    }

    [Fact]
    public void The_spanish_acta_states_call_quorum_attendance_and_each_decision()
    {
        var text = MinutesRenderer.Render(Sample(), "es");
        Assert.Contains("ACTA DE ASAMBLEA", text, StringComparison.Ordinal);
        Assert.Contains("Quórum en segunda convocatoria: 5 presentes de 12 habilitados en el padrón; se requerían 4. Hubo quórum.", text, StringComparison.Ordinal);
        Assert.Contains("- Ing. Pérez (equipo técnico, con voz, sin voto): presente", text, StringComparison.Ordinal);
        Assert.Contains("- Juan Mamani (comunero/a calificado/a, con voto): ausente", text, StringComparison.Ordinal);
        Assert.Contains("1. Cambio de uso en Sallma — RECHAZADA", text, StringComparison.Ordinal);
        Assert.Contains("Regla: dos tercios del total de comuneros del padrón; votación secreta.", text, StringComparison.Ordinal);
        Assert.Contains("votos a favor requeridos: 8", text, StringComparison.Ordinal);
        Assert.Contains("Ánfora: 12 cédulas entregadas; 1 en blanco y 2 nulas;", text, StringComparison.Ordinal);
        Assert.Contains("Voto anulado antes del cierre: entrada 2 del registro (anulada por la entrada 4). Motivo: Tecla equivocada", text, StringComparison.Ordinal);
        // 19:30 UTC is 14:30 in Peru.
        Assert.Contains("Apertura: 28/11/2026 14:30", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_english_acta_uses_english_words()
    {
        var text = MinutesRenderer.Render(Sample(), "en");
        Assert.Contains("MINUTES OF THE ASSEMBLY", text, StringComparison.Ordinal);
        Assert.Contains("two thirds of all members on the roll", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ACTA", text, StringComparison.Ordinal);
    }
}
