using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.LandUse.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.LandUse.Grpc;

/// <summary>
/// Asks the consultation service what an assembly decided. The typed client carries the deadline,
/// retries, circuit breaker and the caller's token (ServiceClients); consultation enforces its own
/// scope, so a caller can only cite decisions they may read.
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
    }
}
