using Microsoft.Playwright;
using Watershed.Testing;

namespace Watershed.Web.Tests;

/// <summary>
/// Every page of the web app, each as the person it is for, through the axe-core scan: no serious or critical
/// violation. The list is checked against the pages in services/Web/Pages, so a new page without a scan fails here.
/// </summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task Every_page_of_the_app_passes_the_accessibility_scan_as_the_person_it_is_for()
    {
        const string facilitator = "facilitator.pomacanchi";
        const string analyst = "analyst.pomacanchi";
        var pages = new (string Page, string? Account, string Url)[]
        {
            ("Index", null, "/"),
            ("Error", null, "/Error"),
            ("Console/Index", facilitator, "/Console"),
            ("Console/Assembly", facilitator, $"/Console/Assembly/{system.ExtraordinaryAssemblyId}"),
            ("Console/Ballot", facilitator, $"/Console/Ballot/{system.MemberBallotProposalId}"),
            ("Console/Projector", facilitator, $"/Console/Projector/{system.MemberBallotProposalId}"),
            ("Console/Acta", facilitator, $"/Console/Acta/{system.ExtraordinaryAssemblyId}?lang=es"),
            ("Planner/Index", facilitator, "/Planner"),
            ("Planner/Version", facilitator, $"/Planner/Version/{system.DraftVersionId}"),
            ("Planner/Diff", facilitator, $"/Planner/Diff?from={system.FirstVersionId}&to={system.DraftVersionId}"),
            ("Preferences/Deliveries", facilitator, "/Preferences/Deliveries"),
            ("Analyst/Index", analyst, "/Analyst"),
            ("Analyst/Upload", analyst, "/Analyst/Upload"),
            ("Member/Index", WebSystem.MemberAccount, "/Member"),
            ("Preferences/Index", WebSystem.MemberAccount, "/Preferences"),
        };
        var folder = Path.Combine(ServiceProcess.RepositoryRoot(), "services", "Web", "Pages");
        var files = Directory.EnumerateFiles(folder, "*.cshtml", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('_'))
            .Select(f => Path.ChangeExtension(Path.GetRelativePath(folder, f), null).Replace(Path.DirectorySeparatorChar, '/'));
        Assert.Equal(files.Order(StringComparer.Ordinal), pages.Select(p => p.Page).Order(StringComparer.Ordinal));

        foreach (var group in pages.GroupBy(p => p.Account))
        {
            // The acta forbids every script (its own policy); the scan's script is let in for the scan only.
            await using var context = await system.Browser.NewContextAsync(new() { BaseURL = system.WebAddress.ToString(), Locale = "es-PE", BypassCSP = true });
            var page = await context.NewPageAsync();
            if (group.Key is { } account)
            {
                await WebSystem.SignInAsync(page, account);
            }

            foreach (var (name, _, url) in group)
            {
                var response = await page.GotoAsync(url);
                Assert.True(response is { Ok: true } || name == "Error", $"{name}: {response?.Status}");
                await Assertions.Expect(page.Locator("main [role=alert]")).ToHaveCountAsync(0, new() { Timeout = 2000 });
                await AssertAccessibleAsync(page);
            }
        }
    }
}
