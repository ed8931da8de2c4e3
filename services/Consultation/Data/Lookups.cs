using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;
using WatershedEntity = Watershed.Consultation.Domain.Watershed;

namespace Watershed.Consultation.Data;

/// <summary>
/// The queries the handlers load through: an object with the watershed it belongs to (the scope tokens are
/// checked against), or NOT_FOUND; and the facts a domain decision needs. Loading only; nothing here decides.
/// </summary>
/// <summary>A voter as a vote finds them before the ballot's lock.</summary>
/// <param name="IsElector">A voting member present when the ballot opened.</param>
/// <param name="HasVoted">Has a vote counted on the ballot already.</param>
/// <param name="Earlier">The participation recorded under the vote's request id, if any.</param>
/// <param name="HoldsPaperBallot">Collected a paper ballot for the box.</param>
/// <param name="IsRepresented">Of the electorate through a proxy.</param>
internal sealed record Voter(Member Member, bool IsElector, bool IsRepresented, bool HasVoted, bool HoldsPaperBallot, BallotParticipation? Earlier);

/// <summary>What issuing a paper ballot to a member needs to know, read under the ballot's lock.</summary>
internal sealed record PaperBallotFacts(Guid MemberId, bool IsElector, bool HasVoted, bool HoldsOne);

internal static class Lookups
{
    public static async Task<WatershedEntity> WatershedAsync(this ConsultationDbContext db, Guid id, CancellationToken ct) =>
        await db.Watersheds.SingleOrDefaultAsync(w => w.Id == id, ct)
        ?? throw new NotFoundException("watershed", id.ToString());

    public static async Task<Organization> OrganizationAsync(this ConsultationDbContext db, Guid id, CancellationToken ct) =>
        await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct)
        ?? throw new NotFoundException("organization", id.ToString());

    public static async Task<Person> PersonAsync(this ConsultationDbContext db, Guid id, CancellationToken ct) =>
        await db.Persons.AsNoTracking().Include(p => p.Consents).SingleOrDefaultAsync(p => p.Id == id, ct)
        ?? throw new NotFoundException("person", id.ToString());

    public static async Task<Organization?> OptionalOrganizationAsync(this ConsultationDbContext db, Guid? id, CancellationToken ct) =>
        id is { } organizationId ? await db.OrganizationAsync(organizationId, ct) : null;

    public static async Task<Person?> OptionalPersonAsync(this ConsultationDbContext db, Guid? id, CancellationToken ct) =>
        id is { } personId ? await db.PersonAsync(personId, ct) : null;

    public static async Task<(Space Space, WatershedEntity Watershed)> SpaceAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        var space = await db.Spaces.SingleOrDefaultAsync(s => s.Id == id, ct)
            ?? throw new NotFoundException("space", id.ToString());
        return (space, await db.WatershedAsync(space.WatershedId, ct));
    }

    /// <summary>A member of the given space (another space's member is not found there).</summary>
    public static async Task<Member> MemberAsync(this ConsultationDbContext db, Guid spaceId, Guid memberId, CancellationToken ct) =>
        await db.Members.SingleOrDefaultAsync(m => m.Id == memberId && m.SpaceId == spaceId, ct)
        ?? throw new NotFoundException("member", memberId.ToString());

    public static Task<bool> IsOnRollAsync(this ConsultationDbContext db, Guid spaceId, Guid personId, CancellationToken ct) =>
        db.Members.AnyAsync(m => m.SpaceId == spaceId && m.PersonId == personId && m.LeftAt == null, ct);

    public static async Task<(Assembly Assembly, Space Space, WatershedEntity Watershed)> AssemblyAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        var assembly = await db.Assemblies.SingleOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new NotFoundException("assembly", id.ToString());
        var (space, watershed) = await db.SpaceAsync(assembly.SpaceId, ct);
        return (assembly, space, watershed);
    }

    /// <summary>That an assembly exists in the watershed; one of another watershed is not found from here, as a person or organisation of another watershed is not.</summary>
    public static async Task AssemblyInWatershedAsync(this ConsultationDbContext db, Guid assemblyId, Guid watershedId, CancellationToken ct)
    {
        var found = await (
            from a in db.Assemblies
            join s in db.Spaces on a.SpaceId equals s.Id
            where a.Id == assemblyId && s.WatershedId == watershedId
            select a.Id).AnyAsync(ct);
        if (!found)
        {
            throw new NotFoundException("assembly", assemblyId.ToString());
        }
    }

    public static async Task<(Proposal Proposal, Space Space, WatershedEntity Watershed)> ProposalAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        var proposal = await db.Proposals.Include(p => p.References).SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException("proposal", id.ToString());
        var (space, watershed) = await db.SpaceAsync(proposal.SpaceId, ct);
        return (proposal, space, watershed);
    }

    // The vote and live-read path runs compiled queries: no expression tree to walk, evaluate and look up per call.
    // Profiling GetBallot showed that work (and the delegates it compiled) as a large part of a call's CPU.
    private static readonly PerModel<Func<ConsultationDbContext, Guid, Task<BallotWithScope?>>> BallotQuery = new(() => EF.CompileAsyncQuery(
        (ConsultationDbContext db, Guid id) => (
            from b in db.Ballots.AsNoTracking()
            join a in db.Assemblies on b.AssemblyId equals a.Id
            join s in db.Spaces on a.SpaceId equals s.Id
            join w in db.Watersheds on s.WatershedId equals w.Id
            where b.Id == id
            select new BallotWithScope(b, s, w)).SingleOrDefault()));

    private sealed record BallotWithScope(Ballot Ballot, Space Space, WatershedEntity Watershed);

    /// <summary>A proposal with its references, space and watershed, for reading only (not tracked), in one round trip.</summary>
    public static async Task<(Proposal Proposal, Space Space, WatershedEntity Watershed)> ProposalForReadAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var row = await ProposalQuery.For(db)(db, id) ?? throw new NotFoundException("proposal", id.ToString());
        return (row.Proposal, row.Space, row.Watershed);
    }

    private sealed record ProposalWithScope(Proposal Proposal, Space Space, WatershedEntity Watershed);

    private static readonly PerModel<Func<ConsultationDbContext, Guid, Task<ProposalWithScope?>>> ProposalQuery = new(() => EF.CompileAsyncQuery(
        (ConsultationDbContext db, Guid id) => (
            from p in db.Proposals.AsNoTracking().Include(p => p.References)
            join s in db.Spaces on p.SpaceId equals s.Id
            join w in db.Watersheds on s.WatershedId equals w.Id
            where p.Id == id
            select new ProposalWithScope(p, s, w)).SingleOrDefault()));

    public static async Task<(Ballot Ballot, Space Space, WatershedEntity Watershed)> BallotAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        // One round trip: votes and live reads come through here.
        ct.ThrowIfCancellationRequested();
        var row = await BallotQuery.For(db)(db, id) ?? throw new NotFoundException("ballot", id.ToString());
        return (row.Ballot, row.Space, row.Watershed);
    }

    /// <summary>
    /// In one round trip, what a vote needs before the ballot's lock: the member (of the ballot's space), whether
    /// they are of the ballot's electorate, the participation already recorded under the request id, if any, and
    /// whether the member has a vote counted on the ballot already.
    /// </summary>
    /// <summary>
    /// A vote's whole lookup in one round trip, for a vote that names its member: the ballot with its space and watershed
    /// (to authorise on), and the voter as <see cref="VoterAsync"/> finds them (null when the member is not of the
    /// ballot's space). The caller authorises before it answers NOT_FOUND for the member.
    /// </summary>
    public static async Task<(Ballot Ballot, Space Space, WatershedEntity Watershed, Voter? Voter)> BallotAndVoterAsync(
        this ConsultationDbContext db, Guid ballotId, Guid memberId, string clientRequestId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var row = await BallotAndVoterQuery.For(db)(db, ballotId, memberId, clientRequestId) ?? throw new NotFoundException("ballot", ballotId.ToString());
        var voter = row.Member is null ? null : new Voter(row.Member, row.IsElector, row.IsRepresented, row.HasVoted, row.HoldsPaperBallot, row.Earlier);
        return (row.Ballot, row.Space, row.Watershed, voter);
    }

    private sealed record BallotAndVoterRow(
        Ballot Ballot, Space Space, WatershedEntity Watershed, Member? Member, bool IsElector, bool IsRepresented, bool HasVoted, bool HoldsPaperBallot, BallotParticipation? Earlier);

    // Both left joins are on parameters and the space's id only, and the facts ask by the member's id as given, so no
    // subquery is correlated with a joined row: SQLite (no APPLY) runs it as PostgreSQL does.
    private static readonly PerModel<Func<ConsultationDbContext, Guid, Guid, string, Task<BallotAndVoterRow?>>> BallotAndVoterQuery = new(() => EF.CompileAsyncQuery(
        (ConsultationDbContext db, Guid ballotId, Guid memberId, string clientRequestId) => (
            from b in db.Ballots.AsNoTracking()
            join a in db.Assemblies on b.AssemblyId equals a.Id
            join s in db.Spaces on a.SpaceId equals s.Id
            join w in db.Watersheds on s.WatershedId equals w.Id
            where b.Id == ballotId
            from m in db.Members.AsNoTracking().Where(m => m.Id == memberId && m.SpaceId == s.Id).DefaultIfEmpty()
            from p in db.BallotParticipations.AsNoTracking().Where(p => p.BallotId == ballotId && p.ClientRequestId == clientRequestId).DefaultIfEmpty()
            select new BallotAndVoterRow(
                b, s, w, m,
                db.BallotElectors.Any(e => e.BallotId == ballotId && e.MemberId == memberId),
                db.BallotElectors.Any(e => e.BallotId == ballotId && e.MemberId == memberId && e.HolderMemberId != null),
                db.BallotParticipations.Any(x => x.BallotId == ballotId && x.MemberId == memberId && x.VoidedBySequence == null),
                db.PaperBallotIssues.Any(x => x.BallotId == ballotId && x.MemberId == memberId),
                p)).SingleOrDefault()));

    public static async Task<Voter> VoterAsync(
        this ConsultationDbContext db, Guid ballotId, Guid spaceId, Guid memberId, string clientRequestId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return await VoterQuery.For(db)(db, ballotId, spaceId, memberId, clientRequestId)
            ?? throw new NotFoundException("member", memberId.ToString());
    }

    // The unique key on (ballot, request id) makes the left join yield at most one row; it is not
    // correlated with the member, so SQLite (which has no APPLY) can run it too.
    private static readonly PerModel<Func<ConsultationDbContext, Guid, Guid, Guid, string, Task<Voter?>>> VoterQuery = new(() => EF.CompileAsyncQuery(
        (ConsultationDbContext db, Guid ballotId, Guid spaceId, Guid memberId, string clientRequestId) => (
            from m in db.Members.AsNoTracking()
            where m.Id == memberId && m.SpaceId == spaceId
            from p in db.BallotParticipations.AsNoTracking().Where(p => p.BallotId == ballotId && p.ClientRequestId == clientRequestId).DefaultIfEmpty()
            select new Voter(
                m,
                db.BallotElectors.Any(e => e.BallotId == ballotId && e.MemberId == m.Id),
                db.BallotElectors.Any(e => e.BallotId == ballotId && e.MemberId == m.Id && e.HolderMemberId != null),
                db.BallotParticipations.Any(x => x.BallotId == ballotId && x.MemberId == m.Id && x.VoidedBySequence == null),
                db.PaperBallotIssues.Any(x => x.BallotId == ballotId && x.MemberId == m.Id),
                p)).SingleOrDefault()));

    /// <summary>
    /// The membership a person votes with on a ballot: their membership in the ballot's space that belongs to its
    /// electorate, else their active one (which the ballot then refuses with its own answer).
    /// </summary>
    /// <exception cref="NotFoundException">The person is not on the space's roll.</exception>
    public static async Task<Guid> MemberOfPersonAsync(this ConsultationDbContext db, Guid ballotId, Guid spaceId, Guid personId, CancellationToken ct)
    {
        var ids = await db.Members.AsNoTracking()
            .Where(m => m.SpaceId == spaceId && m.PersonId == personId)
            .OrderByDescending(m => db.BallotElectors.Any(e => e.BallotId == ballotId && e.MemberId == m.Id))
            .ThenByDescending(m => m.LeftAt == null)
            .ThenByDescending(m => m.JoinedAt)
            .Select(m => m.Id)
            .Take(1)
            .ToListAsync(ct);
        return ids.Count == 1 ? ids[0] : throw new NotFoundException("member", $"persons/{personId}");
    }

    public static Task<bool> HoldsPaperBallotAsync(this ConsultationDbContext db, Guid ballotId, Guid memberId, CancellationToken ct) =>
        db.PaperBallotIssues.AnyAsync(x => x.BallotId == ballotId && x.MemberId == memberId, ct);

    /// <summary>For each member (of the ballot's space, or NOT_FOUND): elector, voted, holding a paper ballot; in one round trip.</summary>
    public static async Task<IReadOnlyList<PaperBallotFacts>> PaperBallotFactsAsync(
        this ConsultationDbContext db, Guid ballotId, Guid spaceId, IReadOnlyList<Guid> memberIds, CancellationToken ct)
    {
        var rows = await db.Members.AsNoTracking()
            .Where(m => memberIds.Contains(m.Id) && m.SpaceId == spaceId)
            .Select(m => new PaperBallotFacts(
                m.Id,
                db.BallotElectors.Any(e => e.BallotId == ballotId && e.MemberId == m.Id),
                db.BallotParticipations.Any(x => x.BallotId == ballotId && x.MemberId == m.Id && x.VoidedBySequence == null),
                db.PaperBallotIssues.Any(x => x.BallotId == ballotId && x.MemberId == m.Id)))
            .ToListAsync(ct);
        var found = rows.ToDictionary(r => r.MemberId);
        return [.. memberIds.Select(id => found.GetValueOrDefault(id) ?? throw new NotFoundException("member", id.ToString()))];
    }

    /// <summary>A ballot's participations under a request id or by a member: what a vote refused by a unique key collided with.</summary>
    public static Task<List<BallotParticipation>> ParticipationsAsync(this ConsultationDbContext db, Guid ballotId, string clientRequestId, Guid memberId, CancellationToken ct) =>
        db.BallotParticipations.AsNoTracking()
            .Where(p => p.BallotId == ballotId && (p.ClientRequestId == clientRequestId || (p.MemberId == memberId && p.VoidedBySequence == null)))
            .ToListAsync(ct);

    public static Task<bool> AnyBallotOpenAsync(this ConsultationDbContext db, Guid assemblyId, CancellationToken ct) =>
        db.Ballots.AnyAsync(b => b.AssemblyId == assemblyId && b.State == BallotState.Open, ct);

    /// <summary>The ballots closed in an assembly: the decisions its acta records.</summary>
    public static Task<int> ClosedBallotCountAsync(this ConsultationDbContext db, Guid assemblyId, CancellationToken ct) =>
        db.Ballots.CountAsync(b => b.AssemblyId == assemblyId && b.State == BallotState.Closed, ct);

    public static Task<AttendanceRecord?> AttendanceAsync(this ConsultationDbContext db, Guid assemblyId, Guid memberId, CancellationToken ct) =>
        db.Attendance.SingleOrDefaultAsync(a => a.AssemblyId == assemblyId && a.MemberId == memberId, ct);

    /// <summary>
    /// The space's roll now (members who have not left), each with whether they are present in the assembly and who
    /// holds their proxy there, if anyone.
    /// </summary>
    public static async Task<Electorate> ElectorateAsync(this ConsultationDbContext db, Guid spaceId, Guid assemblyId, CancellationToken ct)
    {
        var roll = await db.Members.AsNoTracking()
            .Where(m => m.SpaceId == spaceId && m.LeftAt == null)
            .Select(m => new RollEntry(m.Id, m.Role,
                db.Attendance.Any(a => a.AssemblyId == assemblyId && a.MemberId == m.Id && a.Present),
                db.Proxies.Where(p => p.AssemblyId == assemblyId && p.MemberId == m.Id && p.RevokedAt == null).Select(p => (Guid?)p.HolderMemberId).FirstOrDefault()))
            .ToListAsync(ct);
        return Electorate.Of(roll);
    }

    /// <summary>What registering a proxy for <paramref name="memberId"/> carried by <paramref name="holderId"/> must know, in one round trip.</summary>
    public static async Task<ProxyFacts> ProxyFactsAsync(this ConsultationDbContext db, Guid assemblyId, Guid memberId, Guid holderId, CancellationToken ct)
    {
        var active = db.Proxies.Where(p => p.AssemblyId == assemblyId && p.RevokedAt == null);
        var facts = await db.Assemblies.AsNoTracking().Where(a => a.Id == assemblyId)
            .Select(a => new ProxyFacts(
                db.Attendance.Any(x => x.AssemblyId == assemblyId && x.MemberId == memberId && x.Present),
                active.Any(p => p.MemberId == memberId),
                active.Any(p => p.HolderMemberId == memberId),
                active.Any(p => p.MemberId == holderId),
                active.Count(p => p.HolderMemberId == holderId)))
            .SingleAsync(ct);
        return facts;
    }

    /// <summary>
    /// Who the acta of an assembly that is not closed yet lists: everyone on the roll now (members who have not
    /// left) plus anyone recorded in this assembly, each with whether they are present.
    /// </summary>
    public static async Task<IReadOnlyList<MinutesAttendee>> LiveAttendanceAsync(this ConsultationDbContext db, Assembly assembly, CancellationToken ct)
    {
        var rows = await db.Members.AsNoTracking()
            .Where(m => m.SpaceId == assembly.SpaceId
                && (m.LeftAt == null || db.Attendance.Any(a => a.AssemblyId == assembly.Id && a.MemberId == m.Id)))
            .Join(db.Persons, m => m.PersonId, p => p.Id, (m, p) => new { Member = m, p.FullName, p.Sex })
            .Select(x => new
            {
                x.Member,
                x.FullName,
                x.Sex,
                Record = db.Attendance.FirstOrDefault(a => a.AssemblyId == assembly.Id && a.MemberId == x.Member.Id),
            })
            .ToListAsync(ct);
        // A proxy shows in the acta as it counts: for an absent member, carried by a member present.
        var present = rows.Where(x => x.Record?.Present == true).Select(x => x.Member.Id).ToHashSet();
        var proxies = await db.Proxies.AsNoTracking()
            .Where(p => p.AssemblyId == assembly.Id && p.RevokedAt == null)
            .ToDictionaryAsync(p => p.MemberId, p => p.HolderMemberId, ct);
        return [.. rows.Select(x => new MinutesAttendee(
            x.Member.Id, x.Member.PersonId, x.FullName, x.Member.Role, x.Member.HasVote, x.Record?.Present ?? false, x.Record?.RecordedAt,
            !present.Contains(x.Member.Id) && proxies.TryGetValue(x.Member.Id, out var holder) && present.Contains(holder) ? holder : null,
            x.Sex))];
    }

    /// <summary>
    /// What the acta of an assembly records. A closed assembly's attendance is the one frozen when it closed; an
    /// assembly still convened or open shows the roll and attendance as they are now.
    /// </summary>
    public static async Task<MinutesData> MinutesAsync(this ConsultationDbContext db, Assembly assembly, Space space, WatershedEntity watershed, CancellationToken ct)
    {
        var attendance = assembly.State == AssemblyState.Closed
            ? [.. (await db.AssemblyRoll.AsNoTracking().Where(r => r.AssemblyId == assembly.Id).ToListAsync(ct)).Select(r => r.ToAttendee())]
            : await db.LiveAttendanceAsync(assembly, ct);

        var decisions = await db.Ballots.AsNoTracking()
            .Where(b => b.AssemblyId == assembly.Id && b.State == BallotState.Closed)
            .Join(db.Proposals, b => b.ProposalId, p => p.Id, (b, p) => new { Ballot = b, p.Title, p.Type })
            .ToListAsync(ct);
        var voids = (await db.BallotLog.AsNoTracking()
            .Where(e => e.Kind == BallotLogEntryKind.Void && db.Ballots.Any(b => b.Id == e.BallotId && b.AssemblyId == assembly.Id && b.State == BallotState.Closed))
            .ToListAsync(ct))
            .ToLookup(e => e.BallotId, e => new VoidRecord(e.Sequence, e.VoidedSequence ?? 0, e.Reason ?? string.Empty));

        var convenedTitles = await db.Proposals.AsNoTracking().Where(p => assembly.ConvenedProposalIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Title, ct);
        var corrections = await db.MinutesCorrections.AsNoTracking().Where(c => c.AssemblyId == assembly.Id).OrderBy(c => c.Number).ToListAsync(ct);
        return new MinutesData(
            assembly,
            space.Name,
            watershed.Name,
            [.. attendance.OrderBy(a => a.FullName, StringComparer.Ordinal).ThenBy(a => a.MemberId)],
            [.. decisions.OrderBy(d => d.Ballot.ClosedAt).ThenBy(d => d.Ballot.Id).Select(d => new MinutesDecision(
                d.Ballot.ProposalId, d.Title, d.Type, d.Ballot.Rule, d.Ballot.Secret, d.Ballot.Tally,
                d.Ballot.Eligible, d.Ballot.Roll, d.Ballot.RequiredYes ?? 0, d.Ballot.Approved ?? false, d.Ballot.HeadHash,
                [.. voids[d.Ballot.Id].OrderBy(x => x.Sequence)],
                new MinutesPaper(d.Ballot.PaperBallotsIssued, d.Ballot.Blank, d.Ballot.Spoiled)))],
            [.. assembly.ConvenedProposalIds.Select(id => convenedTitles[id])],
            corrections,
            watershed.Region,
            watershed.District);
    }

    /// <summary>
    /// A compiled query per model: a compiled query may only run against the model it was compiled for, and a process
    /// holds one model per provider (the tests run PostgreSQL and SQLite hosts side by side).
    /// </summary>
    private sealed class PerModel<TQuery>(Func<TQuery> compile)
        where TQuery : class
    {
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, TQuery> _compiled = [];

        public TQuery For(DbContext db) => _compiled.GetValue(db.Model, _ => compile());
    }
}
