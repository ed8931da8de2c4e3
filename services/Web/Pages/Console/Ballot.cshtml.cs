using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Web.Pages.Console;

/// <summary>
/// The facilitator runs one ballot: the electorate (members present when it opened and those represented by a proxy)
/// with yes / no / abstain (and block under consensus) per member from a show of hands, a represented member's vote
/// entered as a proxy vote, voiding a mis-keyed entry with a reason, paper ballots into the box with the count entered
/// by one facilitator and attested by another, and closing. Votes go out through the console's queue (console.js): each
/// carries its own client request id, so a vote entered offline and sent again later is counted once.
/// </summary>
public sealed class BallotModel(WebBackend backend, IStringLocalizer<Texts> texts) : WebPageModel(backend, texts)
{
    /// <summary>A member of the ballot's electorate as the console shows them.</summary>
    public sealed record Elector(string MemberId, string FullName, string? RepresentedBy, VoteChannel Voted);

    public Proposal? Proposal { get; private set; }

    public Ballot? Ballot { get; private set; }

    public IReadOnlyList<Elector> Electorate { get; private set; } = [];

    public async Task OnGetAsync(string id) => await LoadAsync(id);

    /// <summary>
    /// Enters one member's vote from a show of hands: as a proxy vote when the member is represented. The script sends
    /// it with Accept: application/json and gets the new counts or the refusal in words; a form post without script
    /// comes back to the page.
    /// </summary>
    public async Task<IActionResult> OnPostVoteAsync(string id, string ballotId, string memberId, VoteChoice choice, bool proxy, string requestId)
    {
        var json = Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal);
        try
        {
            var headers = await Backend.AsUserAsync();
            await Backend.Proposals.CastVoteAsync(new CastVoteRequest
            {
                BallotId = ballotId ?? string.Empty,
                MemberId = memberId ?? string.Empty,
                Choice = Enum.IsDefined(choice) ? choice : VoteChoice.Unspecified,
                // The entry's own id (made by the browser's queue, or by the page for a form without script): a resend is
                // the same vote, answered with the same receipt, never a second one.
                ClientRequestId = requestId ?? string.Empty,
                Channel = proxy ? VoteChannel.Proxy : VoteChannel.RecordedByFacilitator,
            }, headers);
            if (!json)
            {
                return RedirectToPage(new { id });
            }

            var ballot = (await Backend.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballotId }, headers)).Ballot;
            return new JsonResult(new
            {
                votesCast = ballot.VotesCast,
                eligible = ballot.Eligible,
                text = string.Format(CultureInfo.CurrentCulture, Texts["VotesCastOf"], ballot.VotesCast, ballot.Eligible),
                tally = ballot.TallyHidden || ballot.Tally is null ? null : new { yes = ballot.Tally.Yes, no = ballot.Tally.No, abstain = ballot.Tally.Abstain, block = ballot.Tally.Block },
                state = ChannelText(proxy ? VoteChannel.Proxy : VoteChannel.RecordedByFacilitator),
            });
        }
        catch (RpcException ex)
        {
            var message = Describe(ex.StatusCode, ex.Status.Detail);
            return json ? new JsonResult(new { message }) { StatusCode = 422 } : await ShowAsync(id, message);
        }
        catch (DependencyUnavailableException)
        {
            // Worth trying again: the script keeps the entry pending.
            return json ? new JsonResult(new { message = Texts["ErrorUnavailable"].Value }) { StatusCode = 503 } : await ShowAsync(id, Texts["ErrorUnavailable"]);
        }
    }

    public async Task<IActionResult> OnPostVoidAsync(string id, string ballotId, string memberId, string reason)
    {
        var headers = await Backend.AsUserAsync();
        var voided = await TryAsync(async () => await Backend.Proposals.VoidVoteAsync(
            new VoidVoteRequest { BallotId = ballotId ?? string.Empty, MemberId = memberId ?? string.Empty, Reason = reason?.Trim() ?? string.Empty }, headers));
        return await AfterAsync(id, voided is null ? null : Texts["VoteVoided"].Value);
    }

    public async Task<IActionResult> OnPostIssuePaperAsync(string id, string ballotId, string[] memberIds)
    {
        var headers = await Backend.AsUserAsync();
        var request = new IssuePaperBallotsRequest { BallotId = ballotId ?? string.Empty };
        request.MemberIds.Add((memberIds ?? []).Where(m => !string.IsNullOrEmpty(m)));
        var issued = await TryAsync(async () => await Backend.Proposals.IssuePaperBallotsAsync(request, headers));
        return await AfterAsync(id, issued is null ? null : string.Format(CultureInfo.CurrentCulture, Texts["PaperIssued"], issued.Ballot.Paper?.BallotsIssued ?? 0));
    }

    /// <summary>Enters the box's count (<paramref name="attest"/> false) or attests it as a second facilitator.</summary>
    public async Task<IActionResult> OnPostPaperTallyAsync(string id, string ballotId, bool attest, int yes, int no, int abstain, int block, int blank, int spoiled)
    {
        var headers = await Backend.AsUserAsync();
        var count = new PaperCount { Yes = yes, No = no, Abstain = abstain, Block = block, Blank = blank, Spoiled = spoiled };
        var done = attest
            ? (await TryAsync(async () => await Backend.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest { BallotId = ballotId ?? string.Empty, Count = count }, headers)))?.Ballot
            : (await TryAsync(async () => await Backend.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = ballotId ?? string.Empty, Count = count }, headers)))?.Ballot;
        return await AfterAsync(id, done is null ? null : Texts[attest ? "PaperAttested" : "PaperRecorded"].Value);
    }

    /// <summary>Closes the ballot and shows its result on the projector view.</summary>
    public async Task<IActionResult> OnPostCloseAsync(string id, string ballotId)
    {
        var headers = await Backend.AsUserAsync();
        var closed = await TryAsync(async () => await Backend.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballotId ?? string.Empty }, headers));
        return closed is null ? await ShowAsync(id, Problem) : RedirectToPage("Projector", new { id });
    }

    public string ChannelText(VoteChannel channel) => channel switch
    {
        VoteChannel.Direct => Texts["VotedDirect"],
        VoteChannel.RecordedByFacilitator => Texts["VotedRecorded"],
        VoteChannel.Proxy => Texts["VotedProxy"],
        VoteChannel.PaperBallot => Texts["VotedPaper"],
        _ => Texts["NotVotedYet"],
    };

    private Task<IActionResult> AfterAsync(string id, string? done) => ReloadAfterAsync(() => LoadAsync(id), done);

    private Task<IActionResult> ShowAsync(string id, string? problem) => ShowRefusedAsync(() => LoadAsync(id), problem);

    private async Task LoadAsync(string id)
    {
        var headers = await Backend.AsUserAsync();
        (Proposal, Ballot) = await ProposalAndBallotAsync(id, headers);
        if (Proposal is null || Ballot is null)
        {
            return;
        }

        var minutes = (await TryAsync(async () => await Backend.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = Proposal.AssemblyId, Language = Language }, headers)))?.Minutes;
        if (minutes is null)
        {
            return;
        }

        // Who has voted and how (never what): every page of the facilitator's audit list.
        var voted = new Dictionary<string, VoteChannel>(StringComparer.Ordinal);
        var token = string.Empty;
        do
        {
            var page = await TryAsync(async () => await Backend.Proposals.ListBallotParticipantsAsync(
                new ListBallotParticipantsRequest { BallotId = Ballot.Id, Page = new() { PageSize = 500, PageToken = token } }, headers));
            foreach (var p in page?.Participants ?? [])
            {
                voted[p.MemberId] = p.Channel;
            }

            token = page?.Page?.NextPageToken ?? string.Empty;
        }
        while (token.Length > 0);

        // The electorate as consultation fixed it when the ballot opened: voting members present then, and absent ones
        // represented through a proxy whose holder was present. Presence recorded since is shown by consultation's
        // refusal of the vote, in words.
        var names = minutes.Attendance.ToDictionary(a => a.MemberId, a => a.FullName, StringComparer.Ordinal);
        Electorate = [.. minutes.Attendance
            .Where(a => a.HasVote && (a.Present || a.RepresentedByMemberId.Length > 0 || voted.ContainsKey(a.MemberId)))
            .Select(a => new Elector(
                a.MemberId,
                a.FullName,
                a.RepresentedByMemberId.Length > 0 ? names.GetValueOrDefault(a.RepresentedByMemberId, string.Empty) : null,
                voted.GetValueOrDefault(a.MemberId, VoteChannel.Unspecified)))];
    }
}
