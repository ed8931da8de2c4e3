using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Data;
using Watershed.Consultation.Domain;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Assembly = Watershed.Consultation.Domain.Assembly;
using AssemblyCall = Watershed.Consultation.Domain.AssemblyCall;
using BallotState = Watershed.Consultation.Domain.BallotState;
using MemberRole = Watershed.Consultation.Domain.MemberRole;

namespace Watershed.Consultation.Grpc;

public sealed class AssemblyGrpcService(ConsultationDbContext db, TimeProvider clock) : AssemblyService.AssemblyServiceBase
{
    public override async Task<ConveneAssemblyResponse> ConveneAssembly(ConveneAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var title = v.Text(request.Title, "title");
        var place = v.Text(request.Place, "place");
        v.Check(request.ScheduledAt is not null, "scheduled_at", "is required");
        v.Check(request.Agenda.Count <= 50, "agenda", "must have at most 50 items");
        var agenda = request.Agenda.Select((item, i) => v.Text(item, $"agenda[{i}]", 500)).ToList();
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (space, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var assembly = new Assembly
        {
            Id = Guid.CreateVersion7(),
            SpaceId = space.Id,
            Title = title,
            Agenda = agenda,
            Place = place,
            ScheduledAt = request.ScheduledAt!.ToDateTimeOffset(),
        };
        db.Assemblies.Add(assembly);
        await db.SaveChangesAsync(ct);
        return new ConveneAssemblyResponse { Assembly = assembly.ToContract() };
    }

    public override async Task<GetAssemblyResponse> GetAssembly(GetAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().RequireRead(watershed.Code);
        var quorum = await db.QuorumAsync(space, assembly, assembly.Call ?? AssemblyCall.First, ct);
        return new GetAssemblyResponse { Assembly = assembly.ToContract(quorum) };
    }

    public override async Task<ListAssembliesResponse> ListAssemblies(ListAssembliesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var page = Page.From(request.Page, v);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().RequireRead(watershed.Code);
        var items = await db.Assemblies.AsNoTracking().Where(a => a.SpaceId == spaceId)
            .OrderByDescending(a => a.ScheduledAt).ThenBy(a => a.Id).Skip(page.Offset).Take(page.Take).ToListAsync(ct);
        var response = new ListAssembliesResponse { Page = page.Next(items) };
        response.Assemblies.AddRange(items.Select(a => a.ToContract()));
        return response;
    }

    public override async Task<RecordAttendanceResponse> RecordAttendance(RecordAttendanceRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var assemblyId = v.Id(request.AssemblyId, "assembly_id");
        var memberId = v.Id(request.MemberId, "member_id");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(assemblyId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var member = await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId && m.SpaceId == space.Id, ct)
            ?? throw new NotFoundException("member", memberId.ToString());
        if (!member.IsActive)
        {
            throw new PreconditionFailedException("MEMBER_STATE", $"members/{memberId}", "The member is no longer on the roll.");
        }

        assembly.EnsureAcceptsAttendance();
        var now = clock.GetUtcNow();
        var record = await db.Attendance.SingleOrDefaultAsync(a => a.AssemblyId == assemblyId && a.MemberId == memberId, ct);
        if (record is null)
        {
            record = new AttendanceRecord { AssemblyId = assemblyId, MemberId = memberId };
            db.Attendance.Add(record);
        }

        record.Present = request.Present;
        record.RecordedAt = now;
        record.RecordedBy = caller.Subject;
        await db.SaveChangesAsync(ct);

        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Id == member.PersonId, ct);
        var quorum = await db.QuorumAsync(space, assembly, assembly.Call ?? AssemblyCall.First, ct);
        return new RecordAttendanceResponse
        {
            Attendance = new Attendance
            {
                MemberId = member.Id.ToString(),
                PersonId = member.PersonId.ToString(),
                FullName = person.FullName,
                Role = (V1.MemberRole)member.Role,
                HasVote = member.HasVote,
                Present = record.Present,
                RecordedAt = now.ToTimestamp(),
            },
            Quorum = quorum.ToContract(),
        };
    }

    public override async Task<OpenAssemblyResponse> OpenAssembly(OpenAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.Enum(request.Call, "call");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var quorum = await db.QuorumAsync(space, assembly, (AssemblyCall)request.Call, ct);
        assembly.Open(quorum, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new OpenAssemblyResponse { Assembly = assembly.ToContract(quorum) };
    }

    public override async Task<CloseAssemblyResponse> CloseAssembly(CloseAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, _, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var anyOpen = await db.Ballots.AnyAsync(b => b.AssemblyId == id && b.State == BallotState.Open, ct);
        assembly.Close(anyOpen, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return new CloseAssemblyResponse { Assembly = assembly.ToContract() };
    }

    public override async Task<GetQuorumResponse> GetQuorum(GetQuorumRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().RequireRead(watershed.Code);
        var quorum = await db.QuorumAsync(space, assembly, assembly.Call ?? AssemblyCall.First, ct);
        return new GetQuorumResponse { Quorum = quorum.ToContract() };
    }

    public override async Task<GetMinutesResponse> GetMinutes(GetMinutesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        var language = string.IsNullOrEmpty(request.Language) ? "es" : request.Language.Trim().ToLowerInvariant();
        v.Check(MinutesRenderer.Supports(language), "language", "must be es or en");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().RequireRead(watershed.Code);

        var data = await LoadMinutesAsync(assembly, space.Name, watershed.Name, ct);
        var minutes = new Minutes
        {
            Assembly = assembly.ToContract(),
            SpaceName = space.Name,
            WatershedName = watershed.Name,
        };
        minutes.Attendance.AddRange(data.Attendance.Select(a => new Attendance
        {
            MemberId = a.MemberId.ToString(),
            PersonId = a.PersonId.ToString(),
            FullName = a.FullName,
            Role = (V1.MemberRole)a.Role,
            HasVote = a.HasVote,
            Present = a.Present,
            RecordedAt = a.RecordedAt.ToTimestamp(),
        }));
        minutes.Decisions.AddRange(data.Decisions.Select(d => new Decision
        {
            ProposalId = d.ProposalId.ToString(),
            ProposalTitle = d.Title,
            ProposalType = (V1.ProposalType)d.Type,
            Rule = (V1.DecisionRule)d.Rule,
            Secret = d.Secret,
            Yes = d.Tally.Yes,
            No = d.Tally.No,
            Abstain = d.Tally.Abstain,
            Block = d.Tally.Block,
            Eligible = d.Eligible,
            Roll = d.Roll,
            RequiredYes = d.RequiredYes,
            Approved = d.Approved,
            LogHeadHash = d.LogHeadHash,
        }));
        return new GetMinutesResponse { Minutes = minutes, Text = MinutesRenderer.Render(data, language) };
    }

    private async Task<MinutesData> LoadMinutesAsync(Assembly assembly, string spaceName, string watershedName, CancellationToken ct)
    {
        // Everyone on the roll at the assembly (still active, or who left after it was convened) plus anyone recorded.
        var attendance = await db.Members.AsNoTracking()
            .Where(m => m.SpaceId == assembly.SpaceId
                && (m.LeftAt == null || db.Attendance.Any(a => a.AssemblyId == assembly.Id && a.MemberId == m.Id)))
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Member = m, p.FullName })
            .Select(x => new
            {
                x.Member,
                x.FullName,
                Record = db.Attendance.FirstOrDefault(a => a.AssemblyId == assembly.Id && a.MemberId == x.Member.Id),
            })
            .ToListAsync(ct);

        var decisions = await db.Ballots.AsNoTracking()
            .Where(b => b.AssemblyId == assembly.Id && b.State == BallotState.Closed)
            .Join(db.Proposals, b => b.ProposalId, p => p.Id, (b, p) => new { Ballot = b, p.Title, p.Type })
            .ToListAsync(ct);

        return new MinutesData(
            assembly,
            spaceName,
            watershedName,
            attendance.Select(x => new MinutesAttendee(
                x.Member.Id, x.Member.PersonId, x.FullName, x.Member.Role, x.Member.HasVote,
                x.Record?.Present ?? false, x.Record?.RecordedAt)).ToList(),
            decisions.OrderBy(d => d.Ballot.ClosedAt).Select(d => new MinutesDecision(
                d.Ballot.ProposalId, d.Title, d.Type, d.Ballot.Rule, d.Ballot.Secret, d.Ballot.Tally,
                d.Ballot.Eligible, d.Ballot.Roll, d.Ballot.RequiredYes ?? 0, d.Ballot.Approved ?? false, d.Ballot.HeadHash)).ToList());
    }
}
