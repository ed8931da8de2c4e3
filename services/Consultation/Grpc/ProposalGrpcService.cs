using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Common.V1;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Events;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Actor = Watershed.Consultation.Domain.Actor;
using Assembly = Watershed.Consultation.Domain.Assembly;
using Ballot = Watershed.Consultation.Domain.Ballot;
using CastReceipt = Watershed.Consultation.Domain.CastReceipt;
using Proposal = Watershed.Consultation.Domain.Proposal;
using ReceiptCode = Watershed.Consultation.Domain.ReceiptCode;
using Vote = Watershed.Consultation.Domain.Vote;
using VoteChannels = Watershed.Consultation.Domain.VoteChannels;

namespace Watershed.Consultation.Grpc;

public sealed partial class ProposalGrpcService(ConsultationDbContext db, TimeProvider clock, ConsultationTelemetry telemetry, VoteCommitter votes, ILogger<ProposalGrpcService> logger)
    : ProposalService.ProposalServiceBase
{
    public override async Task<CreateProposalResponse> CreateProposal(CreateProposalRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var type = v.Enum(request.Type, "type").DefinedOrNull<V1.ProposalType, Domain.ProposalType>();
        var byOrganization = v.OptionalId(request.SubmittedByOrganizationId, "submitted_by_organization_id");
        var byPerson = v.OptionalId(request.SubmittedByPersonId, "submitted_by_person_id");
        List<(string Kind, string Id)> references = [.. request.References.Select(r => (r.Kind, r.Id))];
        Proposal.Check(v, request.Title, request.Description, type, byOrganization is not null, byPerson is not null, references);
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (space, watershed) = await db.SpaceAsync(spaceId, ct);
        var actor = context.Caller().Actor(watershed.Code, Roles.Facilitator, Roles.Member);
        var proposal = Proposal.Create(space, request.Title, request.Description, type!.Value,
            await db.OptionalOrganizationAsync(byOrganization, ct), await db.OptionalPersonAsync(byPerson, ct), references, actor, clock.GetUtcNow());
        db.Proposals.Add(proposal);
        await db.SaveChangesAsync(ct);
        return new CreateProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<SubmitProposalResponse> SubmitProposal(SubmitProposalRequest request, ServerCallContext context)
    {
        var (proposal, watershed) = await ChangeAsync(request.ProposalId, context, (p, actor) => p.Submit(actor));
        return new SubmitProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<WithdrawProposalResponse> WithdrawProposal(WithdrawProposalRequest request, ServerCallContext context)
    {
        var (proposal, watershed) = await ChangeAsync(request.ProposalId, context, (p, actor) => p.Withdraw(actor));
        return new WithdrawProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    /// <summary>A change its submitter may make too: members pass the role check, the proposal decides whether it is theirs.</summary>
    private async Task<(Proposal Proposal, Domain.Watershed Watershed)> ChangeAsync(string rawId, ServerCallContext context, Action<Proposal, Actor> change)
    {
        var v = new Validation();
        var id = v.Id(rawId, "proposal_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (proposal, _, watershed) = await db.ProposalAsync(id, ct);
        change(proposal, context.Caller().Actor(watershed.Code, Roles.Facilitator, Roles.Member));
        await db.SaveChangesAsync(ct);
        return (proposal, watershed);
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
        // Before its lock is taken: an assembly of another watershed is neither locked nor told apart from an unknown one.
        await db.AssemblyInWatershedAsync(assemblyId, watershed.Id, ct);
        await db.InTransactionAsync(async token =>
        {
            // Under the assembly's lock: it cannot close while the item joins its agenda.
            proposal.PlaceOnAgenda(await db.LoadForUpdateAsync<Assembly>(assemblyId, "assembly", token));
            await db.SaveChangesAsync(token);
        }, ct);
        return new PlaceOnAgendaResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<GetProposalResponse> GetProposal(GetProposalRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.ProposalId, "proposal_id");
        v.ThrowIfInvalid();
        var (proposal, _, watershed) = await db.ProposalForReadAsync(id, context.CancellationToken);
        context.Caller().RequireProposalReader(watershed.Code);
        return new GetProposalResponse { Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<ListProposalsResponse> ListProposals(ListProposalsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.OptionalId(request.SpaceId, "space_id");
        var watershedId = v.OptionalId(request.WatershedId, "watershed_id");
        v.Check(spaceId is not null || watershedId is not null, "space_id", "give a space_id or a watershed_id");
        var state = v.OptionalEnum(request.State, "state").DefinedOrNull<V1.ProposalState, Domain.ProposalState>();
        var type = v.OptionalEnum(request.Type, "type").DefinedOrNull<V1.ProposalType, Domain.ProposalType>();
        var reference = request.Reference is { } given
            ? (Kind: v.Text(given.Kind, "reference.kind", 80), Id: v.Text(given.Id, "reference.id", 100))
            : ((string Kind, string Id)?)null;
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

        if (state is { } wantedState)
        {
            query = query.Where(p => p.State == wantedState);
        }

        if (type is { } wantedType)
        {
            query = query.Where(p => p.Type == wantedType);
        }

        if (reference is ({ } kind, { } externalId))
        {
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
        var rule = v.OptionalEnum(request.Rule, "rule").DefinedOrNull<V1.DecisionRule, Domain.DecisionRule>();
        var secrecy = v.OptionalEnum(request.Secrecy, "secrecy").DefinedOrNull<V1.BallotSecrecy, Domain.BallotSecrecy>();
        var receipts = v.OptionalEnum(request.Receipts, "receipts").DefinedOrNull<V1.ReceiptMode, Domain.ReceiptMode>();
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (proposal, space, watershed) = await db.ProposalAsync(proposalId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var assemblyId = proposal.AgendaAssemblyId();
        using var span = telemetry.StartForAssembly("OpenBallot", assemblyId);
        var ballot = await db.InTransactionAsync(async token =>
        {
            // The assembly's lock: it cannot close, nor attendance (the electorate) change, while the ballot opens.
            var assembly = await db.LoadForUpdateAsync<Assembly>(assemblyId, "assembly", token);
            var electorate = await db.ElectorateAsync(space.Id, assemblyId, token);
            var now = clock.GetUtcNow();
            var (ballot, electors) = Ballot.Open(proposal, assembly, space, electorate, new Domain.BallotOptions(rule, secrecy, receipts), now);
            db.Ballots.Add(ballot);
            db.BallotElectors.AddRange(electors);
            db.AddEvent(new BallotOpened
            {
                BallotId = ballot.Id.ToString(),
                Scope = watershed.ToScope(space.Id),
                ProposalId = proposal.Id.ToString(),
                AssemblyId = assembly.Id.ToString(),
                ProposalTitle = proposal.Title,
                ProposalType = proposal.Type.ToContract<Domain.ProposalType, V1.ProposalType>(),
                Rule = ballot.Rule.ToContract<Domain.DecisionRule, V1.DecisionRule>(),
                Secret = ballot.Secret,
                Eligible = ballot.Eligible,
                OccurredAt = now.ToTimestamp(),
            }, BallotSubject(ballot.Id), now);
            try
            {
                await db.SaveChangesAsync(token);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                throw new AlreadyExistsException("ballot", $"proposals/{proposal.Id}", "A ballot was opened on this proposal already.");
            }

            return ballot;
        }, ct);
        span?.SetTag("ballot.id", ballot.Id.ToString());
        telemetry.BallotOpened(ballot.Rule);
        return new OpenBallotResponse { Ballot = ballot.ToContract(), Proposal = proposal.ToContract(watershed) };
    }

    public override async Task<CastVoteResponse> CastVote(CastVoteRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var caller = context.Caller();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        var namedMember = v.OptionalId(request.MemberId, "member_id");
        v.Check(namedMember is not null || caller.PersonId is not null || request.MemberId.Length > 0,
            "member_id", "is required: name the member, or cast your own vote with a token that names your person");
        var choice = v.Enum(request.Choice, "choice").DefinedOrNull<V1.VoteChoice, Domain.VoteChoice>();
        var requestId = v.Text(request.ClientRequestId, "client_request_id", 64);
        v.Check(requestId.Length is 0 or >= 8, "client_request_id", "must be 8 to 64 characters");
        var requestedChannel = v.OptionalEnum(request.Channel, "channel").DefinedOrNull<V1.VoteChannel, Domain.VoteChannel>();
        v.ThrowIfInvalid();

        using var span = telemetry.StartForBallot("CastVote", ballotId);
        var ct = context.CancellationToken;
        Ballot ballot;
        Voter voter;
        Guid memberId;
        Domain.Actor actor;
        if (namedMember is { } named)
        {
            // The common case, in one round trip: the ballot and the named member's facts.
            (ballot, _, var watershed, var found) = await db.BallotAndVoterAsync(ballotId, named, requestId, ct);

            // Authorised on the ballot before its member is looked at: a ballot of another watershed is refused as such, whatever member is named.
            actor = caller.Actor(watershed.Code, Roles.Member, Roles.Facilitator);
            memberId = named;
            voter = found ?? throw new NotFoundException("member", named.ToString());
        }
        else
        {
            (ballot, var space, var watershed) = await db.BallotAsync(ballotId, ct);
            actor = caller.Actor(watershed.Code, Roles.Member, Roles.Facilitator);

            // A member voting with their own token need not know their membership id: the token names the person.
            memberId = await db.MemberOfPersonAsync(ballotId, space.Id, caller.PersonId!.Value, ct);
            voter = await db.VoterAsync(ballotId, space.Id, memberId, requestId, ct);
        }
        var vote = new Vote(memberId, choice!.Value, VoteChannels.Decide(actor, voter.Member, requestedChannel, voter.IsRepresented), requestId, actor.Subject);

        var receipt = ballot.Admit(vote, voter.Earlier, voter.IsElector, voter.HasVoted, voter.HoldsPaperBallot) ?? await votes.AppendAsync(ballot, vote, ct);
        span?.SetTag("vote.replayed", receipt.Replayed);
        if (receipt.Replayed)
        {
            telemetry.VoteReplayed();
        }
        else
        {
            telemetry.VoteCast(vote.Channel);
        }

        return new CastVoteResponse
        {
            Receipt = new VoteReceipt
            {
                BallotId = ballotId.ToString(),
                ReceiptCode = receipt.ReceiptCode,
                Sequence = receipt.Sequence,
                EntryHash = receipt.EntryHash,
            },
            Replayed = receipt.Replayed,
            MemberId = memberId.ToString(),
        };
    }

    public override async Task<CloseBallotResponse> CloseBallot(CloseBallotRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        v.ThrowIfInvalid();
        using var span = telemetry.StartForBallot("CloseBallot", ballotId);
        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.BallotAsync(ballotId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);

        var (ballot, proposal) = await db.InTransactionAsync(async token =>
        {
            var ballot = await db.LoadForUpdateAsync<Ballot>(ballotId, "ballot", token);
            var proposal = await db.Proposals.Include(p => p.References).SingleAsync(p => p.Id == ballot.ProposalId, token);
            var now = clock.GetUtcNow();
            ballot.Close(proposal, now);
            AddDecisionEvents(ballot, proposal, watershed.ToScope(space.Id), now);
            await db.SaveChangesAsync(token);
            return (ballot, proposal);
        }, ct);

        span?.SetTag("assembly.id", ballot.AssemblyId.ToString());
        telemetry.BallotClosed(ballot.Approved == true);
        LogBallotClosed(logger, ballot.Id, ballot.ProposalId, ballot.AssemblyId, ConsultationTelemetry.RuleTag(ballot.Rule),
            ballot.Approved == true ? "approved" : "rejected", ballot.Yes, ballot.No, ballot.Abstain, ballot.Block, ballot.Eligible, ballot.Roll, ballot.RequiredYes ?? 0);
        return new CloseBallotResponse { Ballot = ballot.ToContract(), Proposal = proposal.ToContract(watershed) };
    }

    private static string BallotSubject(Guid ballotId) => $"ballots/{ballotId}";

    /// <summary>The closed ballot's count, and the decision it made on its proposal.</summary>
    private void AddDecisionEvents(Ballot ballot, Proposal proposal, ConsultationScope scope, DateTimeOffset now)
    {
        var closed = ballot.ToContract();
        db.AddEvent(new BallotClosed
        {
            BallotId = closed.Id,
            Scope = scope,
            ProposalId = closed.ProposalId,
            AssemblyId = closed.AssemblyId,
            ProposalTitle = proposal.Title,
            ProposalType = proposal.Type.ToContract<Domain.ProposalType, V1.ProposalType>(),
            Rule = closed.Rule,
            Tally = closed.Tally,
            Eligible = closed.Eligible,
            Roll = closed.Roll,
            Result = closed.Result,
            LogHeadHash = closed.LogHeadHash,
            OccurredAt = now.ToTimestamp(),
        }, BallotSubject(ballot.Id), now);
        db.AddEvent(new ProposalDecided
        {
            ProposalId = proposal.Id.ToString(),
            Scope = scope,
            Title = proposal.Title,
            Type = proposal.Type.ToContract<Domain.ProposalType, V1.ProposalType>(),
            State = proposal.State.ToContract<Domain.ProposalState, V1.ProposalState>(),
            BallotId = closed.Id,
            AssemblyId = closed.AssemblyId,
            References = { proposal.References.ToContract() },
            OccurredAt = now.ToTimestamp(),
        }, $"proposals/{proposal.Id}", now);
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
        if (ballot.CountsHidden)
        {
            return new GetBallotLogResponse { Length = ballot.LogLength, Withheld = true };
        }

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
        var (ballot, _, watershed) = await db.BallotAsync(ballotId, ct);
        context.Caller().RequireRead(watershed.Code);
        var participation = await db.BallotParticipations.AsNoTracking().SingleOrDefaultAsync(p => p.BallotId == ballotId && p.ReceiptCode == code, ct)
            ?? throw new NotFoundException("receipt", code);
        var response = new VerifyReceiptResponse { Counted = participation.IsCounted };
        if (ballot.Receipts == Domain.ReceiptMode.Linked)
        {
            // Only a linked ballot's receipt may point at its entry: on a receipt-free one that would show the choice.
            var entry = await db.BallotLog.AsNoTracking().SingleAsync(e => e.BallotId == ballotId && e.Sequence == participation.Sequence, ct);
            response.Entry = entry.ToContract(ballot.CountsHidden);
            response.VoidedBySequence = participation.VoidedBySequence ?? 0;
        }

        return response;
    }

    public override async Task<VoidVoteResponse> VoidVote(VoidVoteRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        var memberId = v.Id(request.MemberId, "member_id");
        var reason = Ballot.CheckVoidReason(v, request.Reason);
        v.ThrowIfInvalid();

        using var span = telemetry.StartForBallot("VoidVote", ballotId);
        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.BallotAsync(ballotId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        await db.MemberAsync(space.Id, memberId, ct);
        var (ballot, entry) = await db.InTransactionAsync(async token =>
        {
            // The ballot's lock: no vote, void or close interleaves with this one.
            var ballot = await db.LoadForUpdateAsync<Ballot>(ballotId, "ballot", token);
            var counted = await db.BallotParticipations.SingleOrDefaultAsync(p => p.BallotId == ballotId && p.MemberId == memberId && p.VoidedBySequence == null, token)
                ?? throw ballot.NoCountedVote(memberId);
            var voided = await db.BallotLog.SingleAsync(e => e.BallotId == ballotId && e.Sequence == counted.Sequence, token);
            var entry = ballot.Void(counted, voided, reason, caller.Subject, clock.GetUtcNow());
            db.BallotLog.Add(entry);
            await db.SaveChangesAsync(token);
            return (ballot, entry);
        }, ct);
        telemetry.VoteVoided();
        return new VoidVoteResponse { Entry = entry.ToContract(ballot.CountsHidden), Ballot = ballot.ToContract() };
    }

    public override async Task<IssuePaperBallotsResponse> IssuePaperBallots(IssuePaperBallotsRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var ballotId = v.Id(request.BallotId, "ballot_id");
        v.Check(request.MemberIds.Count is >= 1 and <= MaxPaperBallotsPerCall, "member_ids", $"must list 1 to {MaxPaperBallotsPerCall} members");
        var memberIds = new List<Guid>();
        for (var i = 0; i < request.MemberIds.Count && i < MaxPaperBallotsPerCall; i++)
        {
            var id = v.Id(request.MemberIds[i], $"member_ids[{i}]");
            if (id != Guid.Empty && memberIds.Contains(id))
            {
                v.Add($"member_ids[{i}]", "is given more than once");
            }

            memberIds.Add(id);
        }

        v.ThrowIfInvalid();
        using var span = telemetry.StartForBallot("IssuePaperBallots", ballotId);
        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.BallotAsync(ballotId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var (ballot, issued) = await db.InTransactionAsync(async token =>
        {
            // The ballot's lock: votes and paper ballots are given under it, so nobody gets both.
            var ballot = await db.LoadForUpdateAsync<Ballot>(ballotId, "ballot", token);
            var now = clock.GetUtcNow();
            var issued = 0;
            foreach (var member in await db.PaperBallotFactsAsync(ballotId, space.Id, memberIds, token))
            {
                if (ballot.IssuePaperBallot(member.MemberId, member.IsElector, member.HasVoted, member.HoldsOne, caller.Subject, now) is { } issue)
                {
                    db.PaperBallotIssues.Add(issue);
                    issued++;
                }
            }

            await db.SaveChangesAsync(token);
            return (ballot, issued);
        }, ct);
        telemetry.PaperBallotsIssued(issued);
        return new IssuePaperBallotsResponse { Ballot = ballot.ToContract() };
    }

    /// <summary>One call issues the paper ballots of a whole roll, and no more.</summary>
    private const int MaxPaperBallotsPerCall = 1000;

    public override async Task<RecordPaperTallyResponse> RecordPaperTally(RecordPaperTallyRequest request, ServerCallContext context)
    {
        var (ballotId, count) = ValidatePaperTally(request.BallotId, request.Count);
        using var span = telemetry.StartForBallot("RecordPaperTally", ballotId);
        var ct = context.CancellationToken;
        var (_, _, watershed) = await db.BallotAsync(ballotId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var ballot = await db.InTransactionAsync(async token =>
        {
            var ballot = await db.LoadForUpdateAsync<Ballot>(ballotId, "ballot", token);
            var pending = await db.PaperTallies.SingleOrDefaultAsync(t => t.BallotId == ballotId, token);
            var tally = ballot.EnterPaperTally(pending, count, caller.Subject, clock.GetUtcNow());
            if (pending is null)
            {
                db.PaperTallies.Add(tally);
            }

            await db.SaveChangesAsync(token);
            return ballot;
        }, ct);
        telemetry.PaperTally("entered");
        return new RecordPaperTallyResponse { Ballot = ballot.ToContract() };
    }

    public override async Task<AttestPaperTallyResponse> AttestPaperTally(AttestPaperTallyRequest request, ServerCallContext context)
    {
        var (ballotId, count) = ValidatePaperTally(request.BallotId, request.Count);
        using var span = telemetry.StartForBallot("AttestPaperTally", ballotId);
        var ct = context.CancellationToken;
        var (_, _, watershed) = await db.BallotAsync(ballotId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var (ballot, entry) = await db.InTransactionAsync(async token =>
        {
            var ballot = await db.LoadForUpdateAsync<Ballot>(ballotId, "ballot", token);
            var pending = await db.PaperTallies.SingleOrDefaultAsync(t => t.BallotId == ballotId, token);
            var entry = ballot.AttestPaperTally(pending, count, caller.Subject, clock.GetUtcNow());
            db.BallotLog.Add(entry);
            await db.SaveChangesAsync(token);
            return (ballot, entry);
        }, ct);
        telemetry.PaperTally("attested");
        return new AttestPaperTallyResponse { Ballot = ballot.ToContract(), Entry = entry.ToContract(ballot.CountsHidden) };
    }

    private static (Guid BallotId, Domain.PaperCount Count) ValidatePaperTally(string rawBallotId, PaperCount? given)
    {
        var v = new Validation();
        var ballotId = v.Id(rawBallotId, "ballot_id");
        v.Check(given is not null, "count", "is required");
        var c = given ?? new PaperCount();
        var count = Domain.PaperCount.From(v, "count", c.Yes, c.No, c.Abstain, c.Block, c.Blank, c.Spoiled);
        v.ThrowIfInvalid();
        return (ballotId, count);
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
        // Counted votes and paper ballots collected for the box: each elector appears at most once.
        var votes = db.BallotParticipations.AsNoTracking()
            .Where(p => p.BallotId == ballotId && p.VoidedBySequence == null)
            .Select(p => new { p.MemberId, p.Channel, p.RecordedBy });
        var paper = db.PaperBallotIssues.AsNoTracking()
            .Where(p => p.BallotId == ballotId)
            .Select(p => new { p.MemberId, Channel = Domain.VoteChannel.PaperBallot, RecordedBy = p.IssuedBy });
        var rows = await votes.Concat(paper)
            .Join(db.Members, p => p.MemberId, m => m.Id, (p, m) => new { Participation = p, m.PersonId })
            .Join(db.Persons, x => x.PersonId, person => person.Id, (x, person) => new { x.Participation, person.FullName })
            .OrderBy(x => x.FullName).ThenBy(x => x.Participation.MemberId)
            .Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListBallotParticipantsResponse
        {
            Page = page.Next(rows),
            NotYetVoted = ballot.NotYetVoted,
        };
        response.Participants.AddRange(rows.Select(x => new BallotParticipant
        {
            MemberId = x.Participation.MemberId.ToString(),
            FullName = x.FullName,
            Channel = x.Participation.Channel.ToContract<Domain.VoteChannel, V1.VoteChannel>(),
            RecordedBy = x.Participation.RecordedBy,
        }));
        return response;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Ballot {BallotId} on proposal {ProposalId} in assembly {AssemblyId} closed under {Rule}: {Outcome} with {Yes} yes, {No} no, {Abstain} abstain, {Block} block; {Eligible} eligible, {Roll} on the roll, {RequiredYes} yes required")]
    private static partial void LogBallotClosed(ILogger logger, Guid ballotId, Guid proposalId, Guid assemblyId, string rule, string outcome,
        int yes, int no, int abstain, int block, int eligible, int roll, int requiredYes);
}
