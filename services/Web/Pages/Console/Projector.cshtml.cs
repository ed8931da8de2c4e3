using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;

namespace Watershed.Web.Pages.Console;

/// <summary>
/// A ballot's result for the hall's projector: the question, the rule, the counts (or only how many have voted while
/// a secret ballot hides them), what the rule requires and, once closed, the outcome, in large type. While the ballot is
/// open a small script reloads it every 10 seconds, with a button to pause (WCAG 2.2.1: the person controls timing);
/// without script, a link reloads it.
/// </summary>
public sealed class ProjectorModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    public const int RefreshSeconds = 10;

    public Proposal? Proposal { get; private set; }

    public Ballot? Ballot { get; private set; }

    public async Task OnGetAsync(string id) => (Proposal, Ballot) = await ProposalAndBallotAsync(id, await Backend.AsUserAsync());
}
