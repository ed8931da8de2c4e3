using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Watershed.Consultation.V1;

namespace Watershed.Web.Pages.Member;

/// <summary>
/// A member's own page: the proposals of their watershed, their vote on each open ballot (cast with their own token:
/// consultation finds their membership from it), and their receipts with a check that each vote is counted. The
/// receipts this browser was given are kept in a cookie only it can read (protected by the key ring); a code from
/// elsewhere (a paper receipt) can be checked too.
/// </summary>
public sealed class IndexModel(WebBackend backend, IStringLocalizer<Texts> texts, IDataProtectionProvider protection) : WebPageModel(backend, texts)
{
    public const string ReceiptsCookie = "watershed.receipts";

    /// <summary>The receipts kept, newest first, at most this many.</summary>
    public const int MaxReceipts = 50;

    public sealed record KeptReceipt(string Ballot, string Title, string Code);

    public IReadOnlyList<Proposal> Proposals { get; private set; } = [];

    public IReadOnlyList<KeptReceipt> Receipts { get; private set; } = [];

    /// <summary>What the last check of a receipt found: its code and whether the vote is counted.</summary>
    public (string Code, bool Counted)? Checked { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostVoteAsync(string ballot, string title, VoteChoice choice, string requestId)
    {
        var headers = await Backend.AsUserAsync();
        var vote = await TryAsync(async () => await Backend.Proposals.CastVoteAsync(new CastVoteRequest
        {
            BallotId = ballot ?? string.Empty,
            Choice = choice is VoteChoice.Yes or VoteChoice.No or VoteChoice.Abstain ? choice : VoteChoice.Unspecified,
            // The form's own id: a resent form (a reload, a double tap) is the same vote, answered with the same receipt.
            ClientRequestId = requestId ?? string.Empty,
            Channel = VoteChannel.Direct,
        }, headers));
        if (vote is not null)
        {
            Keep(new KeptReceipt(vote.Receipt.BallotId, title ?? string.Empty, vote.Receipt.ReceiptCode));
            Done = string.Format(System.Globalization.CultureInfo.CurrentCulture, Texts["VoteRecorded"], vote.Receipt.ReceiptCode);
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(string ballot, string code)
    {
        var headers = await Backend.AsUserAsync();
        var verified = await TryAsync(async () => await Backend.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot ?? string.Empty, ReceiptCode = code?.Trim() ?? string.Empty }, headers));
        if (verified is not null)
        {
            Checked = (code!.Trim(), verified.Counted);
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        // After a vote, the receipts just written (the request still carries the cookie as it was).
        if (Receipts.Count == 0)
        {
            Receipts = Read();
        }

        var headers = await Backend.AsUserAsync();
        var codes = await WatershedCodesAsync(headers);
        var watersheds = await TryAsync(async () => await Backend.Stakeholders.ListWatershedsAsync(new ListWatershedsRequest { Page = new() { PageSize = 100 } }, headers));
        var list = new List<Proposal>();
        foreach (var watershed in (watersheds?.Watersheds ?? []).Where(w => codes.Contains(w.Code)))
        {
            var proposals = await TryAsync(async () => await Backend.Proposals.ListProposalsAsync(new ListProposalsRequest { WatershedId = watershed.Id, Page = new() { PageSize = 100 } }, headers));
            list.AddRange((proposals?.Proposals ?? []).Where(p => p.State is not (ProposalState.Draft or ProposalState.Withdrawn)));
        }

        // Open votes first, then by how far along they are.
        Proposals = [.. list.OrderBy(p => p.State == ProposalState.Voting ? 0 : 1).ThenBy(p => p.Title, StringComparer.CurrentCulture)];
    }

    private IDataProtector Protector => protection.CreateProtector("Watershed.Web.Member.Receipts");

    private List<KeptReceipt> Read()
    {
        if (!Request.Cookies.TryGetValue(ReceiptsCookie, out var value) || string.IsNullOrEmpty(value))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<KeptReceipt>>(Protector.Unprotect(value)) ?? [];
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or JsonException)
        {
            // A cookie of another key ring or tampered with: nothing kept.
            return [];
        }
    }

    private void Keep(KeptReceipt receipt)
    {
        var kept = Read().Where(r => r.Code != receipt.Code).Prepend(receipt).Take(MaxReceipts).ToList();
        Response.Cookies.Append(ReceiptsCookie, Protector.Protect(JsonSerializer.Serialize(kept)), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
        });
        Receipts = kept;
    }
}
