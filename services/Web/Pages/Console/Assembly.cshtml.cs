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

    /// <summary>The proposals on this assembly's agenda: a ballot to open, or the ballot to run and its projector view.</summary>
    public IReadOnlyList<Proposal> Proposals { get; private set; } = [];

    /// <summary>
    /// The DNI of each person on the roll, for finding them by it: only when the signed-in person may read it
    /// (consultation gives DNIs to facilitators and admins); empty otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, string> NationalIds { get; private set; } = new Dictionary<string, string>();

    /// <summary>The assembly's space: its rules say whether it takes proxies.</summary>
    public Space? Space { get; private set; }

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
            Proposals = [.. (proposals?.Proposals ?? []).Where(p => p.AssemblyId == id)];
            Space = (await TryAsync(async () => await Backend.Spaces.GetSpaceAsync(new GetSpaceRequest { SpaceId = Minutes.Assembly.SpaceId }, headers)))?.Space;
            NationalIds = Space is null ? new Dictionary<string, string>() : await NationalIdsAsync(Space.WatershedId, headers);
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

    /// <summary>Opens the vote on a proposal of the agenda and goes to the ballot's console.</summary>
    public async Task<IActionResult> OnPostOpenBallotAsync(string id, string proposalId, BallotSecrecy secrecy)
    {
        var headers = await Backend.AsUserAsync();
        var opened = await TryAsync(async () => await Backend.Proposals.OpenBallotAsync(new OpenBallotRequest
        {
            ProposalId = proposalId ?? string.Empty,
            Secrecy = secrecy is BallotSecrecy.Secret or BallotSecrecy.Public ? secrecy : BallotSecrecy.Unspecified,
        }, headers));
        return opened is null ? await ShowAsync(id, Problem) : RedirectToPage("Ballot", new { id = proposalId });
    }

    /// <summary>Registers a written proxy (carta poder): an absent member represented by another member.</summary>
    public async Task<IActionResult> OnPostProxyAsync(string id, string memberId, string holderMemberId, string? documentReference)
    {
        var headers = await Backend.AsUserAsync();
        var proxy = await TryAsync(async () => await Backend.Assemblies.RegisterProxyAsync(new RegisterProxyRequest
        {
            AssemblyId = id, MemberId = memberId ?? string.Empty, HolderMemberId = holderMemberId ?? string.Empty, DocumentReference = documentReference?.Trim() ?? string.Empty,
        }, headers));
        return await AfterAsync(id, proxy is null ? null : Texts["ProxyRegistered"].Value);
    }

    public async Task<IActionResult> OnPostRevokeProxyAsync(string id, string memberId)
    {
        var headers = await Backend.AsUserAsync();
        var revoked = await TryAsync(async () => await Backend.Assemblies.RevokeProxyAsync(new RevokeProxyRequest { AssemblyId = id, MemberId = memberId ?? string.Empty }, headers));
        return await AfterAsync(id, revoked is null ? null : Texts["ProxyRevoked"].Value);
    }

    /// <summary>
    /// Every person of the watershed with a DNI, page by page. Anyone consultation does not give DNIs to gets
    /// none, and the roll is then found by name only (no refusal is shown for it).
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> NationalIdsAsync(string watershedId, Metadata headers)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var token = string.Empty;
            do
            {
                var page = await Backend.Stakeholders.ListPersonsAsync(new ListPersonsRequest { WatershedId = watershedId, Page = new() { PageSize = 500, PageToken = token } }, headers);
                foreach (var person in page.Persons.Where(p => p.NationalId.Length > 0))
                {
                    found[person.Id] = person.NationalId;
                }

                token = page.Page?.NextPageToken ?? string.Empty;
            }
            while (token.Length > 0);
        }
        catch (RpcException)
        {
            return new Dictionary<string, string>();
        }
        catch (DependencyUnavailableException)
        {
            return new Dictionary<string, string>();
        }

        return found;
    }

    private Task<IActionResult> AfterAsync(string id, string? done) => ReloadAfterAsync(() => OnGetAsync(id), done);

    private Task<IActionResult> ShowAsync(string id, string? problem) => ShowRefusedAsync(() => OnGetAsync(id), problem);

    private static object QuorumJson(Quorum q, bool present) => new
    {
        present,
        presentCount = q.VotingMembersPresent,
        onRoll = q.VotingMembersOnRoll,
        required = q.Required,
        reached = q.Reached,
    };
}
