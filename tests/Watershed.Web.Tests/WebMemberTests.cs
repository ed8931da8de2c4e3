using Microsoft.Playwright;
using Watershed.Consultation.V1;

namespace Watershed.Web.Tests;

/// <summary>
/// The member's journey in the browser against consultation on PostgreSQL: their community's proposals, their own vote
/// on an open ballot (consultation finds their membership from their token), the receipt, and its check.
/// </summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task A_member_votes_from_their_phone_keeps_the_receipt_and_checks_it_is_counted()
    {
        await using var context = await system.Browser.NewContextAsync(new() { BaseURL = system.WebAddress.ToString(), Locale = "es-PE", ViewportSize = new() { Width = 390, Height = 844 } });
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, WebSystem.MemberAccount);
        await page.GetByRole(AriaRole.Link, new() { Name = "Mis propuestas y votos (comunero)" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = WebSystem.BallotProposalTitle })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        var vote = page.GetByRole(AriaRole.Group, new() { Name = $"Su voto sobre «{WebSystem.BallotProposalTitle}»" });
        await vote.GetByRole(AriaRole.Button, new() { Name = "Sí" }).ClickAsync();
        var status = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(status).ToContainTextAsync("Su voto quedó registrado. Su comprobante:");
        var code = (await page.Locator("table.receipts code").First.TextContentAsync())!.Trim();
        await ShotAsync(page, "member-voted");

        // The vote is in consultation, once, for Rosa, and the receipt checks out there and on the page.
        var proposals = await system.ProposalsAsAsync("admin");
        Assert.True((await proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = system.MemberBallotId, ReceiptCode = code })).Counted);
        Assert.Equal(1, (await proposals.GetBallotAsync(new GetBallotRequest { BallotId = system.MemberBallotId })).Ballot.VotesCast);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Comprobar el comprobante {code}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#receipt-check")).ToHaveTextAsync($"El voto del comprobante {code} está contado.");

        // The page remembers the vote: no second vote is offered.
        await page.GotoAsync("/Member");
        await Assertions.Expect(page.GetByText($"Ya votó. Su comprobante: {code}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Su voto sobre «{WebSystem.BallotProposalTitle}»" })).ToHaveCountAsync(0);
    }
}
