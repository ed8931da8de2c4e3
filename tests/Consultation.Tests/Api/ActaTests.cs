using Google.Rpc;
using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>The acta people sign: in Quechua too, as a print-ready document, with the quorum basis by sex, and corrections appended.</summary>
public sealed class ActaTests : PostgresApiTest
{
    /// <summary>A closed assembly: nine voters of registered sex (five women), seven present, one decision with a void.</summary>
    private async Task<Scenario> ClosedAsync()
    {
        var s = await Scenario.CreateAsync(App, voters: 0);
        for (var i = 1; i <= 9; i++)
        {
            var person = (await s.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
            {
                WatershedId = s.Watershed.Id, FullName = i == 1 ? "Rosa <script>alert(1)</script> Quispe" : $"Comunero {i:00}",
                Sex = i <= 5 ? Sex.Female : Sex.Male, NationalId = $"{i:00000000}",
            })).Person;
            s.Voters.Add((await s.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = s.Space.Id, PersonId = person.Id, Role = MemberRole.VotingMember })).Member);
        }

        await s.OpenAssemblyAsync(present: 7);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "Cercar el manantial & forestar con queñua"));
        for (var i = 0; i < 5; i++)
        {
            await s.RecordVoteAsync(ballot, s.Voters[i], VoteChoice.Yes);
        }

        await s.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest { BallotId = ballot.Id, MemberId = s.Voters[4].Id, Reason = "Tecla equivocada" });
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = s.Assembly!.Id });
        return s;
    }

    [Fact]
    public async Task The_acta_carries_the_quorum_basis_by_sex()
    {
        var s = await ClosedAsync();
        var minutes = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly!.Id });

        // Voters 1–5 are women, 6–9 men; voters 1–7 are present.
        Assert.Equal(new AttendanceBySex { Women = 5, WomenPresent = 5, Men = 4, MenPresent = 2 }, minutes.Minutes.BySex);
        Assert.Contains("Habilitados por sexo: mujeres 5 presentes de 5; varones 2 de 4.", minutes.Text, StringComparison.Ordinal);
        Assert.Equal(("Cusco", "Pomacanchi"), (minutes.Minutes.Region, minutes.Minutes.District));
    }

    [Fact]
    public async Task The_acta_is_written_in_quechua_beside_the_spanish_terms()
    {
        var s = await ClosedAsync();
        var qu = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly!.Id, Language = "QU" });
        var es = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id, Language = "es" });
        Assert.Equal(es.Minutes, qu.Minutes);
        Assert.StartsWith("ASAMBLEAPA ACTAN (ACTA DE ASAMBLEA)\n(Borrador en quechua", qu.Text, StringComparison.Ordinal);
        Assert.Contains("Quórum (primera convocatoria): 7 comunerokuna presentes, padrónpi 9; mínimo 5. Quórum karqan (hubo quórum).", qu.Text, StringComparison.Ordinal);
        Assert.Contains("1. Cercar el manantial & forestar con queñua — CHASKISQA (APROBADA)", qu.Text, StringComparison.Ordinal);
        Assert.Contains("Akllasqakuna (votos): 4 ari (a favor), 0 mana (en contra), 0 mana akllaspa (abstenciones)", qu.Text, StringComparison.Ordinal);
        Assert.Contains("RIMANAKUYKUNA (ACUERDOS)", qu.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_printable_acta_has_the_header_quorum_agenda_attendance_to_sign_decisions_voids_and_board_and_escapes_every_value()
    {
        var s = await ClosedAsync();
        var answer = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly!.Id, Format = MinutesFormat.Html });
        var html = answer.Html;
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"es-PE\">", html, StringComparison.Ordinal);
        Assert.EndsWith("</body>\n</html>\n", html, StringComparison.Ordinal);
        foreach (var expected in new[]
        {
            "<p>Asamblea General de la Comunidad Campesina de Manzanares</p>",
            "<p>Cuenca: Cuenca de la laguna de Pomacanchi — Pomacanchi, Cusco</p>",
            "<h1>ACTA DE ASAMBLEA</h1>",
            "<h2>CONSTANCIA DE QUÓRUM</h2>",
            "Quórum en primera convocatoria: 7 presentes de 9 habilitados en el padrón; se requerían 5. Hubo quórum.",
            "Habilitados por sexo: mujeres 5 presentes de 5; varones 2 de 4.",
            "<li>Informe de la directiva</li>",
            "<th>Firma o huella digital</th>",
            "<tr><td>Comunero 08</td><td>comunero/a calificado/a, con voto</td><td>ausente</td><td>—</td></tr>",
            "<tr><td>Comunero 07</td><td>comunero/a calificado/a, con voto</td><td>presente</td><td class=\"sign\"></td></tr>",
            "<li><strong>Cercar el manantial &amp; forestar con queñua — APROBADA</strong>",
            "<li>Voto anulado antes del cierre: entrada 5 del registro (anulada por la entrada 6). Motivo: Tecla equivocada</li>",
            "<h2>FIRMAS DE LA DIRECTIVA</h2>",
            "<div>Presidente/a<br>Nombre: ____________________<br>DNI: ____________</div>",
        })
        {
            Assert.Contains(expected, html, StringComparison.Ordinal);
        }

        // A name is text, never markup.
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("Rosa &lt;script&gt;alert(1)&lt;/script&gt; Quispe", html, StringComparison.Ordinal);
        Assert.Equal(CountOf(html, "<tr>") - 1, answer.Minutes.Attendance.Count);
        Assert.Equal(8, CountOf(html, "class=\"sign\"")); // the seven voters present and the advisor
        Assert.Empty((await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id })).Html);

        var quechua = (await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id, Language = "qu", Format = MinutesFormat.Html })).Html;
        Assert.Contains("<html lang=\"qu-PE\">", quechua, StringComparison.Ordinal);
        Assert.Contains("<p class=\"note\">(Borrador en quechua", quechua, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrections_are_appended_to_a_closed_acta_never_edited_in_place()
    {
        var s = await ClosedAsync();
        var before = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly!.Id });
        var first = await s.Facilitator.Assemblies.AppendMinutesCorrectionAsync(new AppendMinutesCorrectionRequest
        {
            AssemblyId = s.Assembly.Id, Text = "Donde dice «Local comunal de Manzanares»\ndebe decir «Local comunal de Sallma».",
        });
        var second = await s.Facilitator.Assemblies.AppendMinutesCorrectionAsync(new AppendMinutesCorrectionRequest { AssemblyId = s.Assembly.Id, Text = "Segunda fe de erratas." });
        Assert.Equal((1, 2), (first.Correction.Number, second.Correction.Number));

        var after = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id, Format = MinutesFormat.Html });
        Assert.Equal([first.Correction, second.Correction], after.Minutes.Corrections);
        var unchanged = after.Minutes.Clone();
        unchanged.Corrections.Clear();
        Assert.Equal(before.Minutes, unchanged);
        Assert.StartsWith(before.Text, after.Text, StringComparison.Ordinal);
        Assert.Contains("CORRECCIONES (añadidas después del cierre)\n1. ", after.Text, StringComparison.Ordinal);
        Assert.Contains("debe decir «Local comunal de Sallma».", after.Html, StringComparison.Ordinal);
        Assert.Contains("Manzanares»<br>debe decir", after.Html, StringComparison.Ordinal);

        // An acta still being written takes no correction.
        var open = await Scenario.CreateAsync(App, code: "cachora", voters: 2);
        var assembly = await open.OpenAssemblyAsync(present: 2);
        var snapshot = await App.SnapshotAsync();
        var refused = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            open.Facilitator.Assemblies.AppendMinutesCorrectionAsync(new AppendMinutesCorrectionRequest { AssemblyId = assembly.Id, Text = "x" }).ResponseAsync);
        Assert.Equal("ASSEMBLY_STATE", refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations[0].Type);
        Assert.True(snapshot.Equals(await App.SnapshotAsync()));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
