using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using DecisionRuleOverride = Watershed.Consultation.Domain.DecisionRuleOverride;
using Member = Watershed.Consultation.Domain.Member;
using QuorumThreshold = Watershed.Consultation.Domain.QuorumThreshold;
using Person = Watershed.Consultation.Domain.Person;
using RollImport = Watershed.Consultation.Domain.RollImport;
using Space = Watershed.Consultation.Domain.Space;

namespace Watershed.Consultation.Grpc;

public sealed class SpaceGrpcService(ConsultationDbContext db, TimeProvider clock) : SpaceService.SpaceServiceBase
{
    public override async Task<CreateSpaceResponse> CreateSpace(CreateSpaceRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var watershedId = v.Id(request.WatershedId, "watershed_id");
        Space.CheckName(v, request.Name);
        v.Enum(request.Kind, "kind");
        var rules = request.Rules ?? new SpaceRules();
        var first = Threshold(v, rules.FirstCallQuorum, "rules.first_call_quorum");
        var second = Threshold(v, rules.SecondCallQuorum, "rules.second_call_quorum");
        var overrides = rules.DecisionRules.Select((o, i) => (
            Type: v.Enum(o.ProposalType, $"rules.decision_rules[{i}].proposal_type").DefinedOrNull<V1.ProposalType, Domain.ProposalType>(),
            Rule: v.Enum(o.Rule, $"rules.decision_rules[{i}].rule").DefinedOrNull<V1.DecisionRule, Domain.DecisionRule>())).ToList();
        Space.CheckOverrides(v, overrides);
        var settings = new Domain.SpaceSettings(rules.ShowRunningCounts, rules.Proxies?.MaxPerHolder ?? 0, rules.Proxies?.CountInQuorum ?? false);
        settings.Check(v);
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var watershed = await db.WatershedAsync(watershedId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var space = Space.Create(watershedId, request.Name, request.Kind.ToDomain<V1.SpaceKind, Domain.SpaceKind>(), first, second, rules.PublicBallots,
            [.. overrides.Select(o => new DecisionRuleOverride(o.Type!.Value, o.Rule!.Value))], clock.GetUtcNow(), settings);
        db.Spaces.Add(space);
        await db.SaveChangesAsync(ct);
        return new CreateSpaceResponse { Space = space.ToContract() };
    }

    private static QuorumThreshold? Threshold(Validation v, V1.QuorumThreshold? given, string field) =>
        given is null ? null : QuorumThreshold.From(given.Percent, given.MoreThan, v, field);

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
        var role = v.Enum(request.Role, "role").DefinedOrNull<V1.MemberRole, Domain.MemberRole>();
        var organizationId = v.OptionalId(request.OrganizationId, "organization_id");
        Member.CheckRole(v, role, organizationId is not null);
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (space, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var person = await db.PersonAsync(personId, ct);
        var organization = await db.OptionalOrganizationAsync(organizationId, ct);
        var member = Member.Join(space, person, role!.Value, organization, await db.IsOnRollAsync(spaceId, personId, ct), clock.GetUtcNow());
        db.Members.Add(member);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The person joined concurrently: the filtered unique key allows one active membership.
            throw Member.AlreadyOnRoll(personId);
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
        member.Leave(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        var person = await db.PersonAsync(member.PersonId, ct);
        return new RemoveMemberResponse { Member = member.ToContract(person.FullName) };
    }

    public override async Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().RequireRollReader(watershed.Code);
        var active = db.Members.AsNoTracking().Where(m => m.SpaceId == spaceId && m.LeftAt == null);
        var rows = await active
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Member = m, p.FullName })
            .OrderBy(x => x.FullName).ThenBy(x => x.Member.Id)
            .Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var roles = await active.Select(m => m.Role).ToListAsync(ct);
        var response = new ListMembersResponse { Page = page.Next(rows), VotingMembers = roles.Count(Member.HasVoteFor) };
        response.Members.AddRange(rows.Select(x => x.Member.ToContract(x.FullName)));
        return response;
    }

    public override async Task<ImportRollResponse> ImportRoll(ImportRollRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var rows = RollImport.Parse(v, request.Csv);
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (space, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var dnis = rows.Select(r => r.NationalId).ToList();
        var known = await db.Persons.Where(p => p.WatershedId == watershed.Id && dnis.Contains(p.NationalId)).ToDictionaryAsync(p => p.NationalId, ct);
        var organizations = (await db.Organizations.AsNoTracking().Where(o => o.WatershedId == watershed.Id).ToListAsync(ct))
            .ToLookup(o => o.Name.ToUpperInvariant());
        var onRoll = (await db.Members.Where(m => m.SpaceId == spaceId && m.LeftAt == null).ToListAsync(ct)).ToDictionary(m => m.PersonId);

        // Names of organisations are content of the file: an unknown one is a fault of its line, like a bad DNI.
        var faults = new Validation();
        foreach (var row in rows.Where(r => r.OrganizationName.Length > 0 && !organizations[r.OrganizationName.ToUpperInvariant()].Any()))
        {
            faults.Add("csv", $"line {row.Line}, organization: no organisation of this watershed is named {Echo.Of(row.OrganizationName)}");
        }

        faults.ThrowIfInvalid();
        var now = clock.GetUtcNow();
        var response = new ImportRollResponse();
        foreach (var row in rows)
        {
            var organization = row.OrganizationName.Length > 0 ? organizations[row.OrganizationName.ToUpperInvariant()].First() : null;
            if (known.TryGetValue(row.NationalId, out var person))
            {
                response.PersonsFound++;
            }
            else
            {
                person = Person.Create(watershed.Id, row.FullName, null, row.PhoneNumber, row.PreferredLanguage, now, nationalId: row.NationalId, sex: row.Sex);
                db.Persons.Add(person);
                response.PersonsCreated++;
            }

            if (!onRoll.TryGetValue(person.Id, out var member))
            {
                member = Member.Join(space, person, row.Role, row.Role == Domain.MemberRole.Delegate ? organization : null, alreadyOnRoll: false, now);
                db.Members.Add(member);
                onRoll[person.Id] = member;
                response.MembersAdded++;
            }
            else
            {
                response.AlreadyOnRoll++;
            }

            response.Members.Add(member.ToContract(person.FullName));
        }

        // One save, one transaction: a file imports whole or not at all. A concurrent import of the same people loses
        // on the unique keys (DNI per watershed, one active membership) and answers ALREADY_EXISTS.
        await db.SaveChangesAsync(ct);
        return response;
    }
}
