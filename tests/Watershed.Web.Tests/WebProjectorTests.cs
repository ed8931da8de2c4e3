using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Watershed.Consultation.V1;

namespace Watershed.Web.Tests;

/// <summary>The projector view of a ballot in the browser: consultation's counts while open, its outcome once closed.</summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task The_projector_shows_the_counts_while_open_and_the_outcome_once_closed_as_consultation_decides()
    {
        var proposals = await system.ProposalsAsAsync("admin");
        var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = system.SpaceId, Title = "Comprar una motobomba comunal", Type = ProposalType.General, SubmittedByPersonId = system.PersonIdOf(WebSystem.MemberNames[2]),
        })).Proposal;
        await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
        await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = system.ExtraordinaryAssemblyId });
        var ballot = (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id, Secrecy = BallotSecrecy.Public, Receipts = ReceiptMode.Linked })).Ballot;
        var choices = new[] { VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No };
        for (var i = 0; i < choices.Length; i++)
        {
            await proposals.CastVoteAsync(new CastVoteRequest
            {
                BallotId = ballot.Id, MemberId = system.MemberIds[i + 1], Choice = choices[i], ClientRequestId = $"projector-{i:D3}", Channel = VoteChannel.RecordedByFacilitator,
            });
        }

        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "facilitator.pomacanchi");
        await page.GotoAsync($"/Console/Assembly/{system.ExtraordinaryAssemblyId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Resultado para el proyector: Comprar una motobomba comunal" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Comprar una motobomba comunal");
        await Assertions.Expect(page.Locator("#ballot-state")).ToHaveTextAsync("Votación abierta");
        await Assertions.Expect(page.Locator("#yes")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#no")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#abstain")).ToHaveTextAsync("0");
        // While open, the page asks again by itself, and the person can pause it.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Pausar la actualización" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pausar la actualización" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Actualizar cada 10 segundos" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        var closed = (await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Ballot;
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#ballot-state")).ToHaveTextAsync("Votación cerrada");
        await Assertions.Expect(page.Locator("#outcome")).ToHaveTextAsync(closed.Result.Approved ? "APROBADA" : "RECHAZADA");
        await Assertions.Expect(page.Locator("#required")).ToHaveTextAsync($"Se necesitaban {closed.Result.RequiredYes} votos a favor.");
        await Assertions.Expect(page.Locator("#explanation")).ToHaveTextAsync(closed.Result.Explanation);
        Assert.True(closed.Result.Approved);
        await Assertions.Expect(page.Locator("#refresh")).ToHaveCountAsync(0);
        await ShotAsync(page, "projector-closed");
        Assert.Matches(new Regex("^Simple|^Mayoría|^Dos|^Consenso"), (await page.Locator("#rule").TextContentAsync())!);
    }
}
