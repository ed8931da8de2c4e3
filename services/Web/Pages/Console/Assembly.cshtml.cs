using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Web.Pages.Console;

/// <summary>One assembly: the roll call with its live count and quorum meter, the agenda, opening.</summary>
public sealed class AssemblyModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    public Minutes? Minutes { get; private set; }

    public Quorum? Quorum { get; private set; }

    /// <summary>The proposals of this assembly that have a ballot, open or closed: each links to its projector view.</summary>
    public IReadOnlyList<Proposal> Ballots { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id)
    {
        var headers = await Backend.AsUserAsync();
        var minutes = await TryAsync(async () => await Backend.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = id, Language = Language }, headers));
        Minutes = minutes?.Minutes;
        if (Minutes is not null)
        {
            var quorum = await TryAsync(async () => await Backend.Assemblies.GetQuorumAsync(new GetQuorumRequest { AssemblyId = id }, headers));
            Quorum = quorum?.Quorum ?? Minutes.Assembly.Quorum;
            var proposals = await TryAsync(async () => await Backend.Proposals.ListProposalsAsync(new ListProposalsRequest { SpaceId = Minutes.Assembly.SpaceId, Page = new() { PageSize = 100 } }, headers));
            Ballots = [.. (proposals?.Proposals ?? []).Where(p => p.AssemblyId == id && !string.IsNullOrEmpty(p.BallotId))];
        }

        return Page();
    }

    /// <summary>
    /// Marks a member present or absent. A form post without script comes back to the page; the console's script
    /// (and its offline queue) asks for JSON: the new count, or the refusal in words.
    /// </summary>
    public async Task<IActionResult> OnPostAttendanceAsync(string id, string memberId, bool present)
    {
        var json = Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        try
        {
            var response = await Backend.Assemblies.RecordAttendanceAsync(
                new RecordAttendanceRequest { AssemblyId = id, MemberId = memberId, Present = present }, await Backend.AsUserAsync());
            return json ? new JsonResult(QuorumJson(response.Quorum, present)) : RedirectToPage(new { id });
        }
        catch (RpcException ex)
        {
            var message = Describe(ex.StatusCode, ex.Status.Detail);
            return json ? new JsonResult(new { message }) { StatusCode = 422 } : await ShowAsync(id, message);
        }
        catch (DependencyUnavailableException)
        {
            // Unavailable is worth trying again: the script keeps the entry pending.
            return json ? new JsonResult(new { message = Texts["ErrorUnavailable"].Value }) { StatusCode = 503 } : await ShowAsync(id, Texts["ErrorUnavailable"]);
        }
    }

    public async Task<IActionResult> OnPostOpenAsync(string id, AssemblyCall call)
    {
        var headers = await Backend.AsUserAsync();
        var opened = await TryAsync(async () => await Backend.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = id, Call = call }, headers));
        return opened is null ? await ShowAsync(id, Problem) : RedirectToPage(new { id });
    }

    private async Task<IActionResult> ShowAsync(string id, string? problem)
    {
        await OnGetAsync(id);
        Problem = problem;
        return Page();
    }

    private static object QuorumJson(Quorum q, bool present) => new
    {
        present,
        presentCount = q.VotingMembersPresent,
        onRoll = q.VotingMembersOnRoll,
        required = q.Required,
        reached = q.Reached,
    };
}
