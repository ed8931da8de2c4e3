using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Common.V1;
using Watershed.Consultation.Data;
using Watershed.Consultation.Domain;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Ballot = Watershed.Consultation.Domain.Ballot;
using BallotElector = Watershed.Consultation.Domain.BallotElector;
using DecisionRule = Watershed.Consultation.Domain.DecisionRule;
using Proposal = Watershed.Consultation.Domain.Proposal;
using ProposalState = Watershed.Consultation.Domain.ProposalState;
using ProposalType = Watershed.Consultation.Domain.ProposalType;
using VoteChannel = Watershed.Consultation.Domain.VoteChannel;
using VoteChoice = Watershed.Consultation.Domain.VoteChoice;

namespace Watershed.Consultation.Grpc;

public sealed class ProposalGrpcService(ConsultationDbContext db, BallotBox ballotBox, TimeProvider clock) : ProposalService.ProposalServiceBase
{
    private const int MaxReferences = 50;

    public override async Task<CreateProposalResponse> CreateProposal(CreateProposalRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var title = v.Text(request.Title, "title");
        var description = v.OptionalText(request.Description, "description", 4000);
        v.Enum(request.Type, "type");
        var byOrganization = v.OptionalId(request.SubmittedByOrganizationId, "submitted_by_organization_id");
        var byPerson = v.OptionalId(request.SubmittedByPersonId, "submitted_by_person_id");
        v.Check(string.IsNullOrEmpty(request.SubmittedByOrganizationId) != string.IsNullOrEmpty(request.SubmittedByPersonId),
            "submitted_by_person_id", "give exactly one submitter: an organisation or a person");
        v.Check(request.References.Count <= MaxReferences, "references", $"must have at most {MaxReferences} items");
        var references = new List<ProposalReference>();
        for (var i = 0; i < request.References.Count; i++)
        {
            var kind = v.Text(request.References[i].Kind, $"references[{i}].kind", 80);
            v.Check(kind.Length == 0 || ProposalReference.IsValidKind(kind), $"references[{i}].kind", "must look like \"landuse.plan_version\"");
            var externalId = v.Text(request.References[i].Id, $"references[{i}].id", 100);
            if (references.Any(r => r.Kind == kind && r.ExternalId == externalId))
            {
                v.Add($"references[{i}]", "is given more than once");
            }

            references.Add(new ProposalReference { Kind = kind, ExternalId = externalId });
        }

        v.Check((ProposalType)request.Type != ProposalType.PlanApproval || references.Any(r => r.Kind == "landuse.plan_version"),
            "references", "a plan approval must reference the plan version it approves (kind \"landuse.plan_version\")");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (space, watershed) = await db.SpaceAsync(spaceId, ct);
        var caller = context.Caller();
        if (byPerson is { } personId && caller.PersonId == personId)
        {
            caller.Require(watershed.Code, Roles.Facilitator, Roles.Member);
        }
        else
        {
            caller.Require(watershed.Code, Roles.Facilitator);
        }

        if (byOrganization is { } orgId && !await db.Organizations.AnyAsync(o => o.Id == orgId && o.WatershedId == space.WatershedId, ct))
        {
            throw new NotFoundException("organization", orgId.ToString());
        }

        if (byPerson is { } pid && !await db.Persons.AnyAsync(p => p.Id == pid && p.WatershedId == space.WatershedId, ct))
        {
            throw new NotFoundException("person", pid.ToString());
        }

        var id = Guid.CreateVersion7();
        var proposal = new Proposal
        {
            Id = id,
            SpaceId = spaceId,
            Title = title,
            Description = description,
            Type = (ProposalType)request.Type,
            SubmittedByOrganizationId = byOrganization,
            SubmittedByPersonId = byPerson,
            References = references.Select(r => new ProposalReference { ProposalId = id, Kind = r.Kind, ExternalId = r.ExternalId }).ToList(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Proposals.Add(proposal);
        await db.SaveChangesAsync(ct);
        return new CreateProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<SubmitProposalResponse> SubmitProposal(SubmitProposalRequest request, ServerCallContext context)
    {
        var (proposal, watershed) = await ChangeAsync(request.ProposalId, context, allowSubmitter: true, p => p.Submit());
        return new SubmitProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<WithdrawProposalResponse> WithdrawProposal(WithdrawProposalRequest request, ServerCallContext context)
    {
        var (proposal, watershed) = await ChangeAsync(request.ProposalId, context, allowSubmitter: true, p => p.Withdraw());
        return new WithdrawProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<PlaceOnAgendaResponse> PlaceOnAgenda(PlaceOnAgendaRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var proposalId = v.Id(request.ProposalId, "proposal_id");
        var assemblyId = v.Id(request.AssemblyId, "assembly_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (proposal, _, watershed) = await db.ProposalAsync(proposalId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var assembly = await db.Assemblies.AsNoTracking().SingleOrDefaultAsync(a => a.Id == assemblyId, ct)
            ?? throw new NotFoundException("assembly", assemblyId.ToString());
        proposal.PlaceOnAgenda(assembly);
        await db.SaveChangesAsync(ct);
        return new PlaceOnAgendaResponse { Proposal = proposal.ToContract(watershed) };
    }

    private async Task<(Proposal Proposal, Domain.Watershed Watershed)> ChangeAsync(string rawId, ServerCallContext context, bool allowSubmitter, Action<Proposal> change)
    {
        var v = new Validation();
        var id = v.Id(rawId, "proposal_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (proposal, _, watershed) = await db.ProposalAsync(id, ct);
        var caller = context.Caller();
        if (allowSubmitter && proposal.SubmittedByPersonId is { } submitter && caller.PersonId == submitter)
        {
            caller.Require(watershed.Code, Roles.Facilitator, Roles.Member);
        }
        else
        {
            caller.Require(watershed.Code, Roles.Facilitator);
        }

        change(proposal);
        await db.SaveChangesAsync(ct);
        return (proposal, watershed);
    }

    public override async Task<GetProposalResponse> GetProposal(GetProposalRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.ProposalId, "proposal_id");
        v.ThrowIfInvalid();
        var (proposal, _, watershed) = await db.ProposalAsync(id, context.CancellationToken);
        context.Caller().RequireRead(watershed.Code);
        return new GetProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<ListProposalsResponse> ListProposals(ListProposalsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.OptionalId(request.SpaceId, "space_id");
        var watershedId = v.OptionalId(request.WatershedId, "watershed_id");
        v.Check(!string.IsNullOrEmpty(request.SpaceId) || !string.IsNullOrEmpty(request.WatershedId), "space_id", "give a space_id or a watershed_id");
        v.OptionalEnum(request.State, "state");
        v.OptionalEnum(request.Type, "type");
        ExternalReference? reference = request.Reference;
        if (reference is not null)
        {
            v.Text(reference.Kind, "reference.kind", 80);
            v.Text(reference.Id, "reference.id", 100);
        }

        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var caller = context.Caller();

        var query = db.Proposals.AsNoTracking().Include(p => p.References).AsQueryable();
        Domain.Watershed watershed;
        if (spaceId is { } sid)
        {
            Domain.Space space;
            (space, watershed) = await db.SpaceAsync(sid, ct);
            caller.RequireRead(watershed.Code);
            v.Check(watershedId is null || watershedId == space.WatershedId, "watershed_id", "the space belongs to another watershed");
            v.ThrowIfInvalid();
            query = query.Where(p => p.SpaceId == sid);
        }
        else
        {
            watershed = await db.WatershedAsync(watershedId!.Value, ct);
            caller.RequireRead(watershed.Code);
            query = query.Where(p => db.Spaces.Any(s => s.Id == p.SpaceId && s.WatershedId == watershed.Id));
        }

        if (request.State != V1.ProposalState.Unspecified)
        {
            var state = (ProposalState)request.State;
            query = query.Where(p => p.State == state);
        }

        if (request.Type != V1.ProposalType.Unspecified)
        {
            var type = (ProposalType)request.Type;
            query = query.Where(p => p.Type == type);
        }

        if (reference is not null)
        {
            var (kind, externalId) = (reference.Kind.Trim(), reference.Id.Trim());
            query = query.Where(p => p.References.Any(r => r.Kind == kind && r.ExternalId == externalId));
        }

        var items = await query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListProposalsResponse { Page = page.Next(items) };
        response.Proposals.AddRange(items.Select(p => p.ToContract(watershed)));
        return response;
    }

    public override async Task<OpenBallotResponse> OpenBallot(OpenBallotRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var proposalId = v.Id(request.ProposalId, "proposal_id");
        v.OptionalEnum(request.Rule, "rule");
        v.OptionalEnum(request.Secrecy, "secrecy");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (proposal, space, watershed) = await db.ProposalAsync(proposalId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var rule = request.Rule == V1.DecisionRule.Unspecified ? space.RuleFor(proposal.Type) : (DecisionRule)request.Rule;
        if (!DecisionRules.IsAllowedFor(proposal.Type, rule))
        {
            throw new InvalidArgumentException("rule", "a land-use change needs two thirds of all members on the roll (Ley 26505 art. 11)");
        }

        if (proposal.AssemblyId is not { } assemblyId)
        {
            throw new PreconditionFailedException("PROPOSAL_STATE", $"proposals/{proposal.Id}", "Put the proposal on an assembly's agenda first.");
        }

        var assembly = await db.Assemblies.AsNoTracking().SingleAsync(a => a.Id == assemblyId, ct);
        var (onRoll, present) = await db.VotersAsync(space.Id, assembly.Id, ct);
        var call = assembly.Call ?? Domain.AssemblyCall.First;
        var quorum = space.QuorumFor(call).Evaluate(call, onRoll, present.Count);
        assembly.EnsureOpenForVoting(quorum);

        var ballot = new Ballot
        {
            Id = Guid.CreateVersion7(),
            ProposalId = proposal.Id,
            AssemblyId = assembly.Id,
            Rule = rule,
            Secret = request.Secrecy switch
            {
                BallotSecrecy.Secret => true,
                BallotSecrecy.Public => false,
                _ => !space.PublicBallots,
            },
            Eligible = present.Count,
            Roll = onRoll,
            OpenedAt = clock.GetUtcNow(),
        };
        proposal.StartVoting(ballot.Id);
        db.Ballots.Add(ballot);
        db.BallotElectors.AddRange(present.Select(m => new BallotElector { BallotId = ballot.Id, MemberId = m }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new AlreadyExistsException("ballot", $"proposals/{proposal.Id}", "A ballot was opened on this proposal already.");
        }

        return new OpenBallotResponse { Ballot = ballot.ToContract(), Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<CastVoteResponse> CastVote(CastVoteRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        var memberId = v.Id(request.MemberId, "member_id");
        v.Enum(request.Choice, "choice");
        var requestId = v.Text(request.ClientRequestId, "client_request_id", 64);
        v.Check(requestId.Length is 0 or >= 8, "client_request_id", "must be 8 to 64 characters");
        v.OptionalEnum(request.Channel, "channel");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (ballot, space, watershed) = await db.BallotAsync(ballotId, ct);
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId && m.SpaceId == space.Id, ct)
            ?? throw new NotFoundException("member", memberId.ToString());

        // A member votes for themselves; a facilitator enters votes from the room, paper ballots or proxies.
        var caller = context.Caller();
        var ownVote = caller.PersonId == member.PersonId;
        VoteChannel channel;
        if (ownVote && request.Channel is V1.VoteChannel.Unspecified or V1.VoteChannel.Direct)
        {
            caller.Require(watershed.Code, Roles.Member, Roles.Facilitator);
            channel = VoteChannel.Direct;
        }
        else
        {
            caller.Require(watershed.Code, Roles.Facilitator);
            if (request.Channel == V1.VoteChannel.Direct)
            {
                throw new InvalidArgumentException("channel", "a direct vote must be cast by the member themselves");
            }

            channel = request.Channel == V1.VoteChannel.Proxy ? VoteChannel.Proxy : VoteChannel.RecordedByFacilitator;
        }

        var choice = (VoteChoice)request.Choice;
        if (!DecisionRules.AllowsChoice(ballot.Rule, choice))
        {
            throw new InvalidArgumentException("choice", "block is only a choice under the consensus rule");
        }

        var result = await ballotBox.CastAsync(new CastVote(ballotId, memberId, choice, requestId, channel, caller.Subject), ct);
        return new CastVoteResponse
        {
            Receipt = new VoteReceipt
            {
                BallotId = ballotId.ToString(),
                ReceiptCode = result.ReceiptCode,
                Sequence = result.Sequence,
                EntryHash = result.EntryHash,
            },
            Replayed = result.Replayed,
        };
    }

    public override async Task<CloseBallotResponse> CloseBallot(CloseBallotRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, _, watershed) = await db.BallotAsync(ballotId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ballot = await BallotBox.LockedBallotAsync(db, ballotId, ct);
            var proposal = await db.Proposals.Include(p => p.References).SingleAsync(p => p.Id == ballot.ProposalId, ct);
            var now = clock.GetUtcNow();
            var outcome = ballot.Close(now);
            proposal.Decide(outcome.Approved, now);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new CloseBallotResponse { Ballot = ballot.ToContract(), Proposal = proposal.ToContract(watershed) };
        });
    }

    public override async Task<GetBallotResponse> GetBallot(GetBallotRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        v.ThrowIfInvalid();
        var (ballot, _, watershed) = await db.BallotAsync(ballotId, context.CancellationToken);
        context.Caller().RequireRead(watershed.Code);
        return new GetBallotResponse { Ballot = ballot.ToContract() };
    }

    public override async Task<GetBallotLogResponse> GetBallotLog(GetBallotLogRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        v.Check(request.AfterSequence >= 0, "after_sequence", "must not be negative");
        v.Check(request.Limit is >= 0 and <= 10_000, "limit", "must be between 0 and 10000");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (ballot, _, watershed) = await db.BallotAsync(ballotId, ct);
        context.Caller().RequireRead(watershed.Code);
        var limit = request.Limit == 0 ? 1000 : request.Limit;
        var entries = await db.BallotLog.AsNoTracking()
            .Where(e => e.BallotId == ballotId && e.Sequence > request.AfterSequence)
            .OrderBy(e => e.Sequence).Take(limit).ToListAsync(ct);
        var response = new GetBallotLogResponse { HeadHash = ballot.HeadHash, Length = ballot.LogLength };
        response.Entries.AddRange(entries.Select(e => e.ToContract()));
        return response;
    }

    public override async Task<VerifyReceiptResponse> VerifyReceipt(VerifyReceiptRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        var code = v.Text(request.ReceiptCode, "receipt_code", 16).ToUpperInvariant();
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, _, watershed) = await db.BallotAsync(ballotId, ct);
        context.Caller().RequireRead(watershed.Code);
        var entry = await db.BallotLog.AsNoTracking().SingleOrDefaultAsync(e => e.BallotId == ballotId && e.ReceiptCode == code, ct)
            ?? throw new NotFoundException("receipt", code);
        return new VerifyReceiptResponse { Entry = entry.ToContract() };
    }

    public override async Task<ListBallotParticipantsResponse> ListBallotParticipants(ListBallotParticipantsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (ballot, _, watershed) = await db.BallotAsync(ballotId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var rows = await db.BallotParticipations.AsNoTracking()
            .Where(p => p.BallotId == ballotId)
            .Join(db.Members, p => p.MemberId, m => m.Id, (p, m) => new { Participation = p, m.PersonId })
            .Join(db.Persons, x => x.PersonId, person => person.Id, (x, person) => new { x.Participation, person.FullName })
            .OrderBy(x => x.FullName).ThenBy(x => x.Participation.MemberId)
            .Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListBallotParticipantsResponse
        {
            Page = page.Next(rows),
            NotYetVoted = ballot.Eligible - (int)ballot.LogLength,
        };
        response.Participants.AddRange(rows.Select(x => new BallotParticipant
        {
            MemberId = x.Participation.MemberId.ToString(),
            FullName = x.FullName,
            Channel = (V1.VoteChannel)x.Participation.Channel,
            RecordedBy = x.Participation.RecordedBy,
        }));
        return response;
    }
}
