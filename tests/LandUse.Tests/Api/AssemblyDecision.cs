using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.LandUse.Tests.Api;

/// <summary>Drives the real consultation service to a decided plan-approval proposal, as an assembly would.</summary>
internal sealed class AssemblyDecision(Uri consultation)
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(consultation);

    /// <summary>A PLAN_APPROVAL proposal on <paramref name="planVersionId"/>, voted by three members and closed.</summary>
    public async Task<Proposal> DecideAsync(string watershedCode, string planVersionId, bool approve)
    {
        var admin = new StakeholderService.StakeholderServiceClient(WatershedApp<Program>.Authorized(_channel, TestTokens.Admin()));
        var invoker = WatershedApp<Program>.Authorized(_channel, TestTokens.Facilitator(watershedCode));
        var stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
        var spaces = new SpaceService.SpaceServiceClient(invoker);
        var assemblies = new AssemblyService.AssemblyServiceClient(invoker);
        var proposals = new ProposalService.ProposalServiceClient(invoker);

        var existing = (await admin.ListWatershedsAsync(new ListWatershedsRequest())).Watersheds.SingleOrDefault(w => w.Code == watershedCode);
        var watershed = existing ?? (await admin.CreateWatershedAsync(new CreateWatershedRequest { Code = watershedCode, Name = watershedCode })).Watershed;
        var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = $"Asamblea {Guid.NewGuid():N}", Kind = SpaceKind.CommunityAssembly })).Space;
        var members = new List<Member>();
        for (var i = 0; i < 3; i++)
        {
            var person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershed.Id, FullName = $"Comunero {i}" })).Person;
            members.Add((await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = MemberRole.VotingMember })).Member);
        }

        var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Aprobación del plan", Place = "Local comunal", ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow),
        })).Assembly;
        foreach (var m in members)
        {
            await assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = m.Id, Present = true });
        }

        await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
        var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = space.Id,
            Title = "Aprobar el plan de ordenamiento territorial",
            Type = ProposalType.PlanApproval,
            SubmittedByPersonId = members[0].PersonId,
            References = { new ExternalReference { Kind = "landuse.plan_version", Id = planVersionId } },
        })).Proposal;
        await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
        await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = assembly.Id });
        var ballot = (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id })).Ballot;
        foreach (var m in members)
        {
            await proposals.CastVoteAsync(new CastVoteRequest
            {
                BallotId = ballot.Id, MemberId = m.Id, Choice = approve ? VoteChoice.Yes : VoteChoice.No, ClientRequestId = $"vote-{m.Id}",
            });
        }

        return (await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Proposal;
    }
}
