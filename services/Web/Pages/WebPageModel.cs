using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Web.Pages;

/// <summary>A page that calls the services as the signed-in person and turns their refusals into sentences.</summary>
public abstract class WebPageModel(WebBackend backend, IStringLocalizer<Texts> texts) : PageModel
{
    protected WebBackend Backend => backend;

    protected IStringLocalizer<Texts> Texts => texts;

    /// <summary>What went wrong, for the person; shown at the top of the page.</summary>
    public string? Problem { get; protected set; }

    /// <summary>What the last action did, for the person; shown at the top of the page.</summary>
    public string? Done { get; protected set; }

    protected static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    /// <summary>Runs a call; a refusal becomes <see cref="Problem"/> (in the person's language) and the result null.</summary>
    protected async Task<T?> TryAsync<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
        }
        catch (RpcException ex)
        {
            Problem = Describe(ex.StatusCode, ex.Status.Detail);
            return null;
        }
        catch (DependencyUnavailableException)
        {
            Problem = texts["ErrorUnavailable"];
            return null;
        }
    }

    /// <summary>
    /// Shows the page again after an action, read anew by <paramref name="reload"/>: the action's refusal (the
    /// <see cref="Problem"/> it left) wins over a refusal of the reads; <paramref name="done"/> is said only when the
    /// action was not refused.
    /// </summary>
    protected async Task<IActionResult> ReloadAfterAsync(Func<Task> reload, string? done)
    {
        var problem = Problem;
        await reload();
        Problem = problem ?? Problem;
        Done = problem is null ? done : null;
        return Page();
    }

    /// <summary>Shows the page again, read anew by <paramref name="reload"/>, with <paramref name="problem"/> at its top.</summary>
    protected async Task<IActionResult> ShowRefusedAsync(Func<Task> reload, string? problem)
    {
        await reload();
        Problem = problem;
        return Page();
    }

    /// <summary>
    /// A proposal and its ballot, as the console's pages show them: a proposal not voted yet has none, and the page says
    /// so (<see cref="Problem"/>).
    /// </summary>
    protected async Task<(Consultation.V1.Proposal? Proposal, Consultation.V1.Ballot? Ballot)> ProposalAndBallotAsync(string proposalId, Metadata headers)
    {
        var proposal = (await TryAsync(async () => await backend.Proposals.GetProposalAsync(new Consultation.V1.GetProposalRequest { ProposalId = proposalId }, headers)))?.Proposal;
        if (proposal is null)
        {
            return (null, null);
        }

        if (string.IsNullOrEmpty(proposal.BallotId))
        {
            Problem = texts["NoBallotYet"];
            return (proposal, null);
        }

        return (proposal, (await TryAsync(async () => await backend.Proposals.GetBallotAsync(new Consultation.V1.GetBallotRequest { BallotId = proposal.BallotId }, headers)))?.Ballot);
    }

    /// <summary>
    /// The watersheds the signed-in person's token names, by code, in order; for an admin ("*") every watershed
    /// consultation knows.
    /// </summary>
    protected async Task<IReadOnlyList<string>> WatershedCodesAsync(Metadata headers)
    {
        var own = User.FindAll("watershed").Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        if (own.Contains("*"))
        {
            var all = await TryAsync(async () => await backend.Stakeholders.ListWatershedsAsync(new Consultation.V1.ListWatershedsRequest { Page = new() { PageSize = 100 } }, headers));
            own = [.. (all?.Watersheds ?? []).Select(w => w.Code)];
        }

        return [.. own.Order(StringComparer.Ordinal)];
    }

    public string Describe(Grpc.Core.StatusCode code, string detail) => code switch
    {
        Grpc.Core.StatusCode.PermissionDenied or Grpc.Core.StatusCode.Unauthenticated => texts["ErrorDenied"],
        Grpc.Core.StatusCode.NotFound => texts["ErrorMissing"],
        Grpc.Core.StatusCode.FailedPrecondition or Grpc.Core.StatusCode.AlreadyExists or Grpc.Core.StatusCode.Aborted => string.Format(CultureInfo.CurrentCulture, texts["ErrorState"], detail),
        Grpc.Core.StatusCode.InvalidArgument => string.Format(CultureInfo.CurrentCulture, texts["ErrorInput"], detail),
        _ => texts["ErrorUnavailable"],
    };
}
