using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Watershed.Web.Tests;

[Collection(WebCollection.Name)]
public sealed partial class WebJourneyTests(WebSystem system)
{
    private static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(WebSystem.Artefacts, name + ".png"), FullPage = true });

    [Fact]
    public async Task The_first_page_is_in_Spanish_weighs_under_200_KB_and_switches_to_Quechua_and_English()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        long bytes = 0;
        var external = new List<string>();
        page.RequestFinished += async (_, request) =>
        {
            if (!request.Url.StartsWith(system.WebAddress.ToString(), StringComparison.Ordinal))
            {
                external.Add(request.Url);
            }

            var sizes = await request.SizesAsync();
            Interlocked.Add(ref bytes, sizes.ResponseHeadersSize + sizes.ResponseBodySize);
        };

        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.Equal("es", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cuenca");
        Assert.Empty(external);
        Assert.InRange(Interlocked.Read(ref bytes), 1, 200 * 1024);
        File.WriteAllText(Path.Combine(WebSystem.Artefacts, "home-bytes.txt"), Interlocked.Read(ref bytes).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await AssertAccessibleAsync(page);
        await ShotAsync(page, "home-es");

        await page.GetByLabel("Idioma").SelectOptionAsync("qu");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cambiar" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "qu");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Yaykuy" }).First).ToBeVisibleAsync();

        await page.GetByLabel("Simi").SelectOptionAsync("en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tikray" }).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First).ToBeVisibleAsync();

        // The choice is kept in a cookie: a new visit stays in English.
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
    }

    [Fact]
    public async Task A_facilitator_signs_in_takes_the_roll_call_through_an_offline_spell_and_the_count_is_exact()
    {
        await using var context = await system.NewContextAsync();
        var page = await context.NewPageAsync();
        await WebSystem.SignInAsync(page, "facilitator.pomacanchi");

        await page.GetByRole(AriaRole.Link, new() { Name = "Consola de la asamblea (facilitador)" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = system.AssemblyTitle }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(system.AssemblyTitle);
        await Assertions.Expect(page.Locator("#present-count")).ToHaveTextAsync(new Regex("0 de 5"));
        await Assertions.Expect(page.GetByText("Uso del agua de riego")).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // Two arrive, online.
        foreach (var name in WebSystem.MemberNames.Take(2))
        {
            await page.GetByRole(AriaRole.Button, new() { Name = $"Marcar presente: {name}" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Marcar ausente: {name}" })).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("#present-count")).ToHaveTextAsync(new Regex("2 de 5"));

        // The connection drops: two more arrive, and wait in the browser.
        await context.SetOfflineAsync(true);
        await Assertions.Expect(page.Locator("#offline-note")).ToBeVisibleAsync();
        foreach (var name in WebSystem.MemberNames.Skip(2).Take(2))
        {
            await page.GetByRole(AriaRole.Button, new() { Name = $"Marcar presente: {name}" }).ClickAsync();
        }

        await Assertions.Expect(page.Locator(".entry-status.pending")).ToHaveCountAsync(2);
        await ShotAsync(page, "console-offline");
        Assert.Equal(2, (await system.QuorumAsync()).VotingMembersPresent);

        // Back online: they go out, and the page and the service agree.
        await context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator(".entry-status.pending")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#present-count")).ToHaveTextAsync(new Regex("4 de 5"));
        var quorum = await system.QuorumAsync();
        Assert.Equal(4, quorum.VotingMembersPresent);
        Assert.True(quorum.Reached);
        await Assertions.Expect(page.Locator("#quorum-state")).ToHaveTextAsync("Hay quórum");

        // A reload shows the service's record, not the browser's.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#present-count")).ToHaveTextAsync(new Regex("4 de 5"));
        await ShotAsync(page, "console-roll-call");

        // The acta to print, as consultation writes it, in Quechua.
        await page.GetByRole(AriaRole.Link, new() { Name = "Runasimi" }).Last.ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "qu-PE");
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex(Regex.Escape(system.AssemblyTitle)));
        await ShotAsync(page, "acta-qu");
        await page.GoBackAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Salir" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ingresar" }).First).ToBeVisibleAsync();
    }
}
