using Microsoft.Playwright;
using Watershed.Consultation.V1;

namespace Watershed.Web.Tests;

/// <summary>
/// The facilitator runs a vote from the assembly console in the browser: opening it, the show of hands through an
/// offline spell, voiding a mis-keyed entry, proxies, paper ballots counted by one facilitator and attested by another,
/// closing; every count compared with consultation's own.
/// </summary>
public sealed partial class WebJourneyTests
{
    private static ILocator Row(IPage page, string memberId) => page.Locator($"li[data-key=\"{memberId}\"]");

    /// <summary>The page says <paramref name="text"/> as done; a refusal shown instead is what the failure reports.</summary>
    private static Task ExpectDoneAsync(IPage page, string text) =>
        Assertions.Expect(page.Locator("main [role=status], main [role=alert]").First).ToHaveTextAsync(text);

    private static Task VoteAsync(IPage page, string choice, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"{choice}: {name}", Exact = true }).ClickAsync();

    [Fact]
    public async Task A_facilitator_enters_a_show_of_hands_through_an_offline_spell_voids_a_mis_keyed_vote_and_the_counts_are_exact()
    {
        const string title = "Reparar la bocatoma del canal";
        var names = WebSystem.MemberNames;
        var (assemblyId, proposalId) = await system.OpenAssemblyWithProposalAsync("Asamblea de la faena", title, names);
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "facilitator.pomacanchi");

        // The agenda: the proposal's vote is opened from the assembly's page, as a public ballot.
        await page.GotoAsync($"/Console/Assembly/{assemblyId}");
        await page.Locator($"#secrecy-{proposalId}").SelectOptionAsync(new SelectOptionValue { Label = "Votación pública" });
        await page.GetByRole(AriaRole.Button, new() { Name = $"Abrir la votación: {title}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("#ballot-state")).ToHaveTextAsync("Votación abierta");
        await Assertions.Expect(page.Locator("#votes-cast")).ToHaveTextAsync("0 votos de 5 habilitados");
        await AssertAccessibleAsync(page);

        // Two hands counted online.
        await VoteAsync(page, "Sí", names[0]);
        await VoteAsync(page, "Sí", names[1]);
        await Assertions.Expect(page.Locator("#votes-cast")).ToHaveTextAsync("2 votos de 5 habilitados");
        await Assertions.Expect(Row(page, system.MemberIdOf(names[1])).Locator("[data-state]")).ToHaveTextAsync("Voto a mano alzada anotado");

        // The connection drops: two more wait in the browser; one of them is mis-keyed (yes instead of abstain).
        await context.SetOfflineAsync(true);
        await VoteAsync(page, "No", names[2]);
        await VoteAsync(page, "Sí", names[3]);
        await Assertions.Expect(page.Locator("#offline-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#electorate .entry-status.pending")).ToHaveCountAsync(2);
        await ShotAsync(page, "ballot-offline");
        var proposals = await system.ProposalsAsAsync("admin");
        var ballotId = (await proposals.GetProposalAsync(new GetProposalRequest { ProposalId = proposalId })).Proposal.BallotId;
        Assert.Equal(2, (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballotId })).Ballot.VotesCast);

        // Back online: they go out once each, and the page and the service agree.
        await context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#electorate .entry-status.pending")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#votes-cast")).ToHaveTextAsync("4 votos de 5 habilitados");
        var ballot = (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballotId })).Ballot;
        Assert.Equal((3, 1, 0, 4), (ballot.Tally.Yes, ballot.Tally.No, ballot.Tally.Abstain, ballot.VotesCast));
        await Assertions.Expect(page.Locator("#yes")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("#no")).ToHaveTextAsync("1");

        // The mis-keyed vote is voided with a reason; the member then votes again.
        await page.GotoAsync($"/Console/Ballot/{proposalId}");
        var hilario = Row(page, system.MemberIdOf(names[3]));
        await hilario.GetByText($"Anular el voto de {names[3]}").ClickAsync();
        await hilario.Locator("input[name=reason]").FillAsync("Se anotó Sí, levantó la mano para abstenerse");
        await hilario.GetByRole(AriaRole.Button, new() { Name = "Anular el voto" }).ClickAsync();
        await ExpectDoneAsync(page, "Voto anulado. El miembro puede votar de nuevo.");
        await Assertions.Expect(page.Locator("#voided")).ToHaveTextAsync("Votos anulados por corrección: 1");
        await VoteAsync(page, "Me abstengo", names[3]);
        await VoteAsync(page, "No", names[4]);
        await Assertions.Expect(page.Locator("#votes-cast")).ToHaveTextAsync("5 votos de 5 habilitados");
        await ShotAsync(page, "ballot-show-of-hands");

        // A vote the member already has is refused in words, and nothing changes.
        var before = (await proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballotId })).Length;
        await page.GotoAsync($"/Console/Ballot/{proposalId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Sí: {names[0]}", Exact = true })).ToHaveCountAsync(0);
        Assert.Equal(before, (await proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballotId })).Length);

        ballot = (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballotId })).Ballot;
        Assert.Equal((2, 2, 1, 5, 1), (ballot.Tally.Yes, ballot.Tally.No, ballot.Tally.Abstain, ballot.VotesCast, ballot.Voided));

        // Closing shows the result on the projector view, as consultation decided it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Cerrar la votación" }).ClickAsync();
        await Assertions.Expect(page.Locator("#ballot-state")).ToHaveTextAsync("Votación cerrada");
        var closed = (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballotId })).Ballot;
        Assert.Equal(BallotState.Closed, closed.State);
        await Assertions.Expect(page.Locator("#outcome")).ToHaveTextAsync(closed.Result.Approved ? "APROBADA" : "RECHAZADA");
        Assert.False(closed.Result.Approved);
        await Assertions.Expect(page.Locator("#yes")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#no")).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task A_proxy_vote_and_paper_ballots_counted_by_one_facilitator_and_attested_by_another_reach_the_result()
    {
        const string title = "Turnos de riego para la campaña grande";
        var names = WebSystem.MemberNames;
        // Elena is absent; Juan carries her written proxy.
        var (assemblyId, proposalId) = await system.OpenAssemblyWithProposalAsync("Asamblea del riego", title, names[0], names[1], names[2], names[3]);
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "facilitator.pomacanchi");
        await page.GotoAsync($"/Console/Assembly/{assemblyId}");

        // The roll is found by DNI too (facilitators read DNIs).
        await page.GetByLabel("Buscar por nombre o DNI").FillAsync(WebSystem.MemberDnis[4]);
        await Assertions.Expect(Row(page, system.MemberIdOf(names[4]))).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#roll > li:visible")).ToHaveCountAsync(1);
        await page.GetByLabel("Buscar por nombre o DNI").FillAsync("");
        await Assertions.Expect(page.Locator("#roll > li:visible")).ToHaveCountAsync(5);

        await page.GetByLabel("Miembro ausente representado").SelectOptionAsync(new SelectOptionValue { Label = names[4] });
        await page.GetByLabel("Quién lleva la carta poder").SelectOptionAsync(new SelectOptionValue { Label = names[1] });
        await page.GetByLabel("Referencia del documento (opcional)").FillAsync("Carta poder legalizada 0457");
        await page.GetByRole(AriaRole.Button, new() { Name = "Registrar la carta poder" }).ClickAsync();
        await ExpectDoneAsync(page, "Carta poder registrada.");
        await Assertions.Expect(page.Locator("#proxies")).ToContainTextAsync($"{names[4]}, representado por {names[1]}");
        await AssertAccessibleAsync(page);

        await page.Locator($"#secrecy-{proposalId}").SelectOptionAsync(new SelectOptionValue { Label = "Votación secreta" });
        await page.GetByRole(AriaRole.Button, new() { Name = $"Abrir la votación: {title}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("#votes-cast")).ToHaveTextAsync("0 votos de 5 habilitados");

        // Elena's vote by proxy and Rosa's by show of hands; the counts stay hidden while the secret ballot is open.
        await Assertions.Expect(Row(page, system.MemberIdOf(names[4]))).ToContainTextAsync($"Representado por {names[1]} (carta poder)");
        await VoteAsync(page, "Sí", names[4]);
        await VoteAsync(page, "Sí", names[0]);
        await Assertions.Expect(page.Locator("#votes-cast")).ToHaveTextAsync("2 votos de 5 habilitados");
        await Assertions.Expect(page.Locator("#yes")).ToHaveCountAsync(0);

        // Paper ballots for the other three; the box's count is entered.
        await page.GotoAsync($"/Console/Ballot/{proposalId}");
        await Assertions.Expect(Row(page, system.MemberIdOf(names[4])).Locator("[data-state]")).ToHaveTextAsync("Voto por carta poder anotado");
        foreach (var name in names.Skip(1).Take(3))
        {
            await page.GetByLabel(name, new() { Exact = true }).CheckAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Entregar cédulas" }).ClickAsync();
        await ExpectDoneAsync(page, "Cédulas entregadas: 3 en total.");
        await page.Locator("#paper-yes").FillAsync("2");
        await page.Locator("#paper-no").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anotar el conteo" }).ClickAsync();
        await ExpectDoneAsync(page, "Conteo anotado. Otro facilitador debe confirmarlo.");
        await AssertAccessibleAsync(page);

        // The one who entered it cannot attest it.
        await page.Locator("#paper-yes").FillAsync("2");
        await page.Locator("#paper-no").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirmar el conteo" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("No se puede");
        var proposals = await system.ProposalsAsAsync("admin");
        var ballotId = (await proposals.GetProposalAsync(new GetProposalRequest { ProposalId = proposalId })).Proposal.BallotId;
        Assert.Equal(PaperTallyState.Entered, (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballotId })).Ballot.Paper.TallyState);

        // A second facilitator counts again and attests, then closes.
        await system.AddAccountAsync("lucia.facilitadora", "facilitator");
        await using var second = await system.NewContextAsync();
        var other = await second.NewPageAsync();
        await WebSystem.SignInAsync(other, "lucia.facilitadora");
        await other.GotoAsync($"/Console/Ballot/{proposalId}");
        await other.Locator("#paper-yes").FillAsync("2");
        await other.Locator("#paper-no").FillAsync("1");
        await other.GetByRole(AriaRole.Button, new() { Name = "Confirmar el conteo" }).ClickAsync();
        await ExpectDoneAsync(other, "Conteo confirmado: ya está en el registro y el conteo.");
        await ShotAsync(other, "ballot-paper-attested");
        await other.GetByRole(AriaRole.Button, new() { Name = "Cerrar la votación" }).ClickAsync();
        await Assertions.Expect(other.Locator("#ballot-state")).ToHaveTextAsync("Votación cerrada");

        var closed = (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballotId })).Ballot;
        Assert.Equal((4, 1, 5), (closed.Tally.Yes, closed.Tally.No, closed.VotesCast));
        Assert.Equal(PaperTallyState.Attested, closed.Paper.TallyState);
        await Assertions.Expect(other.Locator("#yes")).ToHaveTextAsync("4");
        await Assertions.Expect(other.Locator("#no")).ToHaveTextAsync("1");
        await Assertions.Expect(other.Locator("#outcome")).ToHaveTextAsync(closed.Result.Approved ? "APROBADA" : "RECHAZADA");
        var channels = (await proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballotId })).Participants
            .ToDictionary(p => p.FullName, p => p.Channel);
        Assert.Equal(VoteChannel.Proxy, channels[names[4]]);
        Assert.Equal(VoteChannel.RecordedByFacilitator, channels[names[0]]);
        Assert.All(names.Skip(1).Take(3), n => Assert.Equal(VoteChannel.PaperBallot, channels[n]));
    }
}
