using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.LandUse.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Grpc;

/// <summary>
/// Asks the consultation service what an assembly decided. The typed client carries the deadline,
/// retries, circuit breaker and the caller's token (ServiceClients); consultation enforces its own
/// scope, so a caller can only cite decisions they may read. A consultation that cannot be reached reaches
/// here as <see cref="DependencyUnavailableException"/> (from the client's interceptor) with its error inside.
/// </summary>
public sealed class ConsultationDecisions(ProposalService.ProposalServiceClient proposals)
{
    public async Task<ConsultationProposal?> FindProposalAsync(Guid proposalId, CancellationToken ct)
    {
        try
        {
            var proposal = (await proposals.GetProposalAsync(new GetProposalRequest { ProposalId = proposalId.ToString() }, cancellationToken: ct)).Proposal;
            return new ConsultationProposal(
                proposalId,
                proposal.WatershedCode,
                proposal.Type == ProposalType.PlanApproval,
                proposal.State == ProposalState.Approved,
                [.. proposal.References.Select(r => new Domain.ExternalReference(r.Kind, r.Id))]);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            throw new PermissionDeniedException($"The consultation service does not let this caller read proposal {proposalId}.");
        }
        catch (RpcException ex) when (ex.StatusCode is not StatusCode.Cancelled)
        {
            // Any other answer means consultation cannot give the decision now; its error goes to the log with ours.
            throw new DependencyUnavailableException("consultation", $"The consultation service could not answer about proposal {proposalId} ({ex.StatusCode}).", ex);
        }
    }
}
