using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Data;
using Watershed.Consultation.Domain;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Events;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using Assembly = Watershed.Consultation.Domain.Assembly;

namespace Watershed.Consultation.Grpc;

/// <summary>
/// Every command that changes an assembly, or the attendance its quorum and ballots' electorates are counted
/// from, holds the assembly's row lock; so does opening a ballot in it. Closing it therefore cannot
/// interleave with a ballot opening, and no ballot stays open in a closed assembly.
/// </summary>
public sealed class AssemblyGrpcService(ConsultationDbContext db, TimeProvider clock, ConsultationTelemetry telemetry) : AssemblyService.AssemblyServiceBase
{
    public override async Task<ConveneAssemblyResponse> ConveneAssembly(ConveneAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var spaceId = v.Id(request.SpaceId, "space_id");
        var scheduledAt = v.Instant(request.ScheduledAt, "scheduled_at");
        Assembly.Check(v, request.Title, request.Place, scheduledAt, request.Agenda, request.ProposalIds.Count, scheduledGiven: request.ScheduledAt is not null);
        var proposalIds = new List<Guid>();
        for (var i = 0; i < request.ProposalIds.Count && i < Assembly.MaxAgendaItems; i++)
        {
            var id = v.Id(request.ProposalIds[i], $"proposal_ids[{i}]");
            if (id != Guid.Empty && proposalIds.Contains(id))
            {
                v.Add($"proposal_ids[{i}]", "is given more than once");
            }

            proposalIds.Add(id);
        }

        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (space, watershed) = await db.SpaceAsync(spaceId, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        // A proposal of another watershed is not found here, as any object of another watershed named beside the space.
        var found = await db.Proposals
            .Where(p => proposalIds.Contains(p.Id) && db.Spaces.Any(s => s.Id == p.SpaceId && s.WatershedId == watershed.Id))
            .ToDictionaryAsync(p => p.Id, ct);
        var listed = proposalIds.Select(id => found.GetValueOrDefault(id) ?? throw new NotFoundException("proposal", id.ToString())).ToList();
        var assembly = Assembly.Convene(space, request.Title, request.Place, scheduledAt, request.Agenda, listed);
        db.Assemblies.Add(assembly);
        var now = clock.GetUtcNow();
        db.AddEvent(new AssemblyConvened
        {
            AssemblyId = assembly.Id.ToString(),
            Scope = watershed.ToScope(space.Id),
            Title = assembly.Title,
            Place = assembly.Place,
            ScheduledAt = assembly.ScheduledAt.ToTimestamp(),
            Agenda = { assembly.Agenda },
            ProposalIds = { assembly.ConvenedProposalIds.Select(id => id.ToString()) },
            OccurredAt = now.ToTimestamp(),
        }, Subject(assembly.Id), now);
        await db.SaveChangesAsync(ct);
        return new ConveneAssemblyResponse { Assembly = assembly.ToContract() };
    }

    private static string Subject(Guid assemblyId) => $"assemblies/{assemblyId}";

    public override async Task<GetAssemblyResponse> GetAssembly(GetAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().RequireRead(watershed.Code);
        return new GetAssemblyResponse { Assembly = assembly.ToContract(await QuorumAsync(assembly, space, ct)) };
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
        var (_, space, watershed) = await db.AssemblyAsync(assemblyId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var member = await db.MemberAsync(space.Id, memberId, ct);
        var now = clock.GetUtcNow();
        var (record, quorum) = await db.InTransactionAsync(async token =>
        {
            var assembly = await db.LoadForUpdateAsync<Assembly>(assemblyId, "assembly", token);
            var current = await db.AttendanceAsync(assemblyId, memberId, token);
            var record = assembly.RecordAttendance(member, current, request.Present, caller.Subject, now);
            if (current is null)
            {
                db.Attendance.Add(record);
            }

            await db.SaveChangesAsync(token);
            return (record, assembly.QuorumNow(space, await db.ElectorateAsync(space.Id, assemblyId, token)));
        }, ct);

        var person = await db.PersonAsync(member.PersonId, ct);
        return new RecordAttendanceResponse
        {
            Attendance = new Attendance
            {
                MemberId = member.Id.ToString(),
                PersonId = member.PersonId.ToString(),
                FullName = person.FullName,
                Role = member.Role.ToContract<Domain.MemberRole, V1.MemberRole>(),
                HasVote = member.HasVote,
                Present = record.Present,
                RecordedAt = record.RecordedAt.ToTimestamp(),
            },
            Quorum = quorum.ToContract(),
        };
    }

    /// <summary>One call takes a whole roll's attendance, and no more.</summary>
    private const int MaxBulkAttendance = 1000;

    public override async Task<RecordBulkAttendanceResponse> RecordBulkAttendance(RecordBulkAttendanceRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var assemblyId = v.Id(request.AssemblyId, "assembly_id");
        v.Check(request.MemberIds.Count is >= 1 and <= MaxBulkAttendance, "member_ids", $"must list 1 to {MaxBulkAttendance} members");
        var memberIds = new List<Guid>();
        for (var i = 0; i < request.MemberIds.Count && i < MaxBulkAttendance; i++)
        {
            var id = v.Id(request.MemberIds[i], $"member_ids[{i}]");
            if (id != Guid.Empty && memberIds.Contains(id))
            {
                v.Add($"member_ids[{i}]", "is given more than once");
            }

            memberIds.Add(id);
        }

        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.AssemblyAsync(assemblyId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var members = await db.Members.AsNoTracking().Where(m => m.SpaceId == space.Id && memberIds.Contains(m.Id))
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Member = m, p.FullName })
            .ToDictionaryAsync(x => x.Member.Id, ct);
        var listed = memberIds.Select(id => members.GetValueOrDefault(id) ?? throw new NotFoundException("member", id.ToString())).ToList();
        var now = clock.GetUtcNow();
        var (records, quorum) = await db.InTransactionAsync(async token =>
        {
            var assembly = await db.LoadForUpdateAsync<Assembly>(assemblyId, "assembly", token);
            var current = await db.Attendance.Where(a => a.AssemblyId == assemblyId && memberIds.Contains(a.MemberId)).ToDictionaryAsync(a => a.MemberId, token);
            var records = new List<AttendanceRecord>();
            foreach (var x in listed)
            {
                var existing = current.GetValueOrDefault(x.Member.Id);
                var record = assembly.RecordAttendance(x.Member, existing, request.Present, caller.Subject, now);
                if (existing is null)
                {
                    db.Attendance.Add(record);
                }

                records.Add(record);
            }

            await db.SaveChangesAsync(token);
            return (records, assembly.QuorumNow(space, await db.ElectorateAsync(space.Id, assemblyId, token)));
        }, ct);

        var response = new RecordBulkAttendanceResponse { Quorum = quorum.ToContract() };
        response.Attendance.AddRange(listed.Zip(records, (x, record) => new Attendance
        {
            MemberId = x.Member.Id.ToString(),
            PersonId = x.Member.PersonId.ToString(),
            FullName = x.FullName,
            Role = x.Member.Role.ToContract<Domain.MemberRole, V1.MemberRole>(),
            HasVote = x.Member.HasVote,
            Present = record.Present,
            RecordedAt = record.RecordedAt.ToTimestamp(),
        }));
        return response;
    }

    public override async Task<OpenAssemblyResponse> OpenAssembly(OpenAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.Enum(request.Call, "call");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var call = request.Call.ToDomain<V1.AssemblyCall, Domain.AssemblyCall>();
        var (assembly, quorum) = await db.InTransactionAsync(async token =>
        {
            var assembly = await db.LoadForUpdateAsync<Assembly>(id, "assembly", token);
            var now = clock.GetUtcNow();
            var quorum = assembly.Open(space, call, await db.ElectorateAsync(space.Id, id, token), now);
            db.AddEvent(new AssemblyOpened
            {
                AssemblyId = assembly.Id.ToString(),
                Scope = watershed.ToScope(space.Id),
                Title = assembly.Title,
                Quorum = quorum.ToContract(),
                OccurredAt = now.ToTimestamp(),
            }, Subject(assembly.Id), now);
            await db.SaveChangesAsync(token);
            return (assembly, quorum);
        }, ct);
        telemetry.AssemblyOpened(quorum);
        return new OpenAssemblyResponse { Assembly = assembly.ToContract(quorum) };
    }

    public override async Task<CloseAssemblyResponse> CloseAssembly(CloseAssemblyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.ThrowIfInvalid();
        using var span = telemetry.StartForAssembly("CloseAssembly", id);
        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().Require(watershed.Code, Roles.Facilitator);
        var assembly = await db.InTransactionAsync(async token =>
        {
            // Ballots open only under this lock, so none can open between this look and the close.
            var assembly = await db.LoadForUpdateAsync<Assembly>(id, "assembly", token);
            var now = clock.GetUtcNow();
            var (_, roll) = assembly.Close(await db.AnyBallotOpenAsync(id, token), space,
                await db.ElectorateAsync(space.Id, id, token), await db.LiveAttendanceAsync(assembly, token), now);
            db.AssemblyRoll.AddRange(roll);
            db.AddEvent(new AssemblyClosed
            {
                AssemblyId = assembly.Id.ToString(),
                Scope = watershed.ToScope(space.Id),
                Title = assembly.Title,
                Decisions = await db.ClosedBallotCountAsync(id, token),
                OccurredAt = now.ToTimestamp(),
            }, Subject(assembly.Id), now);
            await db.SaveChangesAsync(token);
            return assembly;
        }, ct);
        telemetry.AssemblyClosed();
        return new CloseAssemblyResponse { Assembly = assembly.ToContract() };
    }

    public override async Task<RegisterProxyResponse> RegisterProxy(RegisterProxyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var assemblyId = v.Id(request.AssemblyId, "assembly_id");
        var memberId = v.Id(request.MemberId, "member_id");
        var holderId = v.Id(request.HolderMemberId, "holder_member_id");
        Domain.Proxy.CheckMembers(v, memberId, holderId);
        var document = Domain.Proxy.CheckDocumentReference(v, request.DocumentReference);
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.AssemblyAsync(assemblyId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var represented = await db.MemberAsync(space.Id, memberId, ct);
        var holder = await db.MemberAsync(space.Id, holderId, ct);
        var (proxy, quorum) = await db.InTransactionAsync(async token =>
        {
            // The assembly's lock: proxies, like attendance, change what a ballot opening or a close counts.
            var assembly = await db.LoadForUpdateAsync<Assembly>(assemblyId, "assembly", token);
            var facts = await db.ProxyFactsAsync(assemblyId, memberId, holderId, token);
            var proxy = Domain.Proxy.Register(space, assembly, represented, holder, facts, document, caller.Subject, clock.GetUtcNow());
            db.Proxies.Add(proxy);
            await db.SaveChangesAsync(token);
            return (proxy, assembly.QuorumNow(space, await db.ElectorateAsync(space.Id, assemblyId, token)));
        }, ct);
        return new RegisterProxyResponse { Proxy = proxy.ToContract(), Quorum = quorum.ToContract() };
    }

    public override async Task<RevokeProxyResponse> RevokeProxy(RevokeProxyRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var assemblyId = v.Id(request.AssemblyId, "assembly_id");
        var memberId = v.Id(request.MemberId, "member_id");
        v.ThrowIfInvalid();

        var ct = context.CancellationToken;
        var (_, space, watershed) = await db.AssemblyAsync(assemblyId, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var (proxy, quorum) = await db.InTransactionAsync(async token =>
        {
            var assembly = await db.LoadForUpdateAsync<Assembly>(assemblyId, "assembly", token);
            // The member's latest proxy in the assembly: none is unknown; one revoked already is a state, answered as such.
            var proxy = await db.Proxies.Where(p => p.AssemblyId == assemblyId && p.MemberId == memberId)
                .OrderByDescending(p => p.RevokedAt == null).ThenByDescending(p => p.RegisteredAt).FirstOrDefaultAsync(token)
                ?? throw Domain.Proxy.NotFound(assemblyId, memberId);
            proxy.Revoke(assembly, caller.Subject, clock.GetUtcNow());
            await db.SaveChangesAsync(token);
            return (proxy, assembly.QuorumNow(space, await db.ElectorateAsync(space.Id, assemblyId, token)));
        }, ct);
        return new RevokeProxyResponse { Proxy = proxy.ToContract(), Quorum = quorum.ToContract() };
    }

    public override async Task<GetQuorumResponse> GetQuorum(GetQuorumRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().RequireRead(watershed.Code);
        return new GetQuorumResponse { Quorum = (await QuorumAsync(assembly, space, ct)).ToContract() };
    }

    /// <summary>A closed assembly's quorum as frozen when it closed; otherwise counted from the roll and attendance now.</summary>
    private async Task<QuorumCount> QuorumAsync(Assembly assembly, Domain.Space space, CancellationToken ct) =>
        assembly.FrozenQuorum ?? assembly.QuorumNow(space, await db.ElectorateAsync(space.Id, assembly.Id, ct));

    public override async Task<GetMinutesResponse> GetMinutes(GetMinutesRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        var language = string.IsNullOrEmpty(request.Language) ? "es" : request.Language.Trim().ToLowerInvariant();
        v.Check(MinutesRenderer.Supports(language), "language", "must be es, qu or en");
        v.OptionalEnum(request.Format, "format");
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (assembly, space, watershed) = await db.AssemblyAsync(id, ct);
        context.Caller().RequireRead(watershed.Code);

        var data = await db.MinutesAsync(assembly, space, watershed, ct);
        return new GetMinutesResponse
        {
            Minutes = data.ToContract(await QuorumAsync(assembly, space, ct)),
            Text = MinutesRenderer.Render(data, language),
            Html = request.Format == MinutesFormat.Html ? MinutesDocument.Render(data, language) : string.Empty,
        };
    }

    public override async Task<AppendMinutesCorrectionResponse> AppendMinutesCorrection(AppendMinutesCorrectionRequest request, ServerCallContext context)
    {
        var v = new Validation();
        var id = v.Id(request.AssemblyId, "assembly_id");
        var text = Domain.MinutesCorrection.CheckText(v, request.Text);
        v.ThrowIfInvalid();
        var ct = context.CancellationToken;
        var (_, _, watershed) = await db.AssemblyAsync(id, ct);
        var caller = context.Caller();
        caller.Require(watershed.Code, Roles.Facilitator);
        var correction = await db.InTransactionAsync(async token =>
        {
            // The assembly's lock numbers corrections one after the other.
            var assembly = await db.LoadForUpdateAsync<Assembly>(id, "assembly", token);
            var count = await db.MinutesCorrections.CountAsync(c => c.AssemblyId == id, token);
            var correction = Domain.MinutesCorrection.Append(assembly, count, text, caller.Subject, clock.GetUtcNow());
            db.MinutesCorrections.Add(correction);
            await db.SaveChangesAsync(token);
            return correction;
        }, ct);
        return new AppendMinutesCorrectionResponse { Correction = correction.ToContract() };
    }
}
