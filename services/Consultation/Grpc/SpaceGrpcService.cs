using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Data;
using Watershed.Consultation.Domain;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using DecisionRule = Watershed.Consultation.Domain.DecisionRule;
using Member = Watershed.Consultation.Domain.Member;
using MemberRole = Watershed.Consultation.Domain.MemberRole;
using ProposalType = Watershed.Consultation.Domain.ProposalType;
using QuorumThreshold = Watershed.Consultation.Domain.QuorumThreshold;
using Space = Watershed.Consultation.Domain.Space;
using SpaceKind = Watershed.Consultation.Domain.SpaceKind;

namespace Watershed.Consultation.Grpc;

public sealed class SpaceGrpcService(ConsultationDbContext db, TimeProvider clock) : SpaceService.SpaceServiceBase
{
    public override async Task<CreateSpaceResponse> CreateSpace(CreateSpaceRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var name = v.Text(request.Name, "name");
        v.Enum(request.Kind, "kind");
        var rules = request.Rules ?? new SpaceRules();
        var first = Threshold(v, rules.FirstCallQuorum, "rules.first_call_quorum") ?? QuorumThreshold.DefaultFirstCall;
        var second = Threshold(v, rules.SecondCallQuorum, "rules.second_call_quorum") ?? QuorumThreshold.DefaultSecondCall;
        var overrides = new Dictionary<ProposalType, DecisionRule>();
        for (var i = 0; i < rules.DecisionRules.Count; i++)
        {
            var o = rules.DecisionRules[i];
            var field = $"rules.decision_rules[{i}]";
            v.Enum(o.ProposalType, $"{field}.proposal_type");
            v.Enum(o.Rule, $"{field}.rule");
            var type = (ProposalType)o.ProposalType;
            var rule = (DecisionRule)o.Rule;
            if (!Enum.IsDefined(type) || !Enum.IsDefined(rule))
            {
                continue;
            }

            if (!overrides.TryAdd(type, rule))
            {
                v.Add($"{field}.proposal_type", "is given more than once");
            }
            else if (!DecisionRules.IsAllowedFor(type, rule))
            {
                v.Add($"{field}.rule", "a land-use change needs two thirds of all members on the roll (Ley 26505 art. 11)");
            }
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);

        var space = new Space
        {
            Id = Guid.CreateVersion7(),
            WatershedId = watershedId,
            Name = name,
            Kind = (SpaceKind)request.Kind,
            FirstCallQuorum = first,
            SecondCallQuorum = second,
            PublicBallots = rules.PublicBallots,
            CreatedAt = clock.GetUtcNow(),
        };
        foreach (var (type, rule) in overrides)
        {
            space.SetOverride(type, rule);
        }

        db.Spaces.Add(space);
        await db.SaveChangesAsync(ct);
        return new CreateSpaceResponse { Space = space.ToContract() };
    }

    private static QuorumThreshold? Threshold(Validation v, V1.QuorumThreshold? given, string field)
    {
        if (given is null)
        {
            return null;
        }

        var threshold = new QuorumThreshold((decimal)Math.Round(given.Percent, 2), given.MoreThan);
        v.Check(double.IsFinite(given.Percent) && threshold.IsValid, $"{field}.percent", "must be greater than 0 and at most 100");
        v.Check(!(given.MoreThan && given.Percent >= 100), $"{field}.more_than", "more than 100 % can never be reached");
        return threshold;
    }

    public override async Task<GetSpaceResponse> GetSpace(GetSpaceRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.SpaceId, "space_id");
        v.ThrowIfInvalid();
        var (space, watershed) = await db.SpaceAsync(id, context.CancellationToken);
        context.Caller().RequireRead(watershed.Code);
        return new GetSpaceResponse { Space = space.ToContract() };
    }

    public override async Task<ListSpacesResponse> ListSpaces(ListSpacesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        context.Caller().RequireRead((await db.WatershedAsync(watershedId, ct)).Code);
        var items = await db.Spaces.AsNoTracking().Where(s => s.WatershedId == watershedId)
            .OrderBy(s => s.Name).ThenBy(s => s.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListSpacesResponse { Page = page.Next(items) };
        response.Spaces.AddRange(items.Select(s => s.ToContract()));
        return response;
    }

    public override async Task<AddMemberResponse> AddMember(AddMemberRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var personId = v.Id(request.PersonId, "person_id");
        v.Enum(request.Role, "role");
        var organizationId = v.OptionalId(request.OrganizationId, "organization_id");
        var role = (MemberRole)request.Role;
        v.Check(role != MemberRole.Delegate || !string.IsNullOrEmpty(request.OrganizationId),
            "organization_id", "is required for a delegate: the organisation the delegate votes for");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (space, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var person = await db.Persons.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId && p.WatershedId == space.WatershedId, ct)
            ?? throw new NotFoundException("person", personId.ToString());
        if (organizationId is { } orgId && !await db.Organizations.AnyAsync(o => o.Id == orgId && o.WatershedId == space.WatershedId, ct))
        {
            throw new NotFoundException("organization", orgId.ToString());
        }

        if (await db.Members.AnyAsync(m => m.SpaceId == spaceId && m.PersonId == personId && m.LeftAt == null, ct))
        {
            throw new AlreadyExistsException("member", personId.ToString(), $"{person.FullName} is on this space's roll already.");
        }

        var member = new Member
        {
            Id = Guid.CreateVersion7(),
            SpaceId = spaceId,
            PersonId = personId,
            Role = role,
            OrganizationId = organizationId,
            JoinedAt = clock.GetUtcNow(),
        };
        db.Members.Add(member);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new AlreadyExistsException("member", personId.ToString(), $"{person.FullName} is on this space's roll already.");
        }

        return new AddMemberResponse { Member = member.ToContract(person.FullName) };
    }

    public override async Task<RemoveMemberResponse> RemoveMember(RemoveMemberRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var memberId = v.Id(request.MemberId, "member_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == memberId, ct)
            ?? throw new NotFoundException("member", memberId.ToString());
        var (_, watershed) = await db.SpaceAsync(member.SpaceId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        if (!member.IsActive)
        {
            throw new PreconditionFailedException("MEMBER_STATE", $"members/{memberId}", "The member has left the roll already.");
        }

        member.LeftAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        var name = await db.Persons.Where(p => p.Id == member.PersonId).Select(p => p.FullName).SingleAsync(ct);
        return new RemoveMemberResponse { Member = member.ToContract(name) };
    }

    public override async Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().RequireRead(watershed.Code);
        var active = db.Members.AsNoTracking().Where(m => m.SpaceId == spaceId && m.LeftAt == null);
        var rows = await active
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Member = m, p.FullName })
            .OrderBy(x => x.FullName).ThenBy(x => x.Member.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var votingMembers = await active.CountAsync(m => m.Role == MemberRole.VotingMember || m.Role == MemberRole.Delegate, ct);
        var response = new ListMembersResponse { Page = page.Next(rows), VotingMembers = votingMembers };
        response.Members.AddRange(rows.Select(x => x.Member.ToContract(x.FullName)));
        return response;
    }
}
