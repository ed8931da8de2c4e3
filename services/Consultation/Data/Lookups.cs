using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;
using WatershedEntity = Watershed.Consultation.Domain.Watershed;

namespace Watershed.Consultation.Data;

/// <summary>Loads an object with the watershed it belongs to (the scope tokens are checked against), or answers NOT_FOUND.</summary>
internal static class Lookups
{
    public static async Task<WatershedEntity> WatershedAsync(this ConsultationDbContext db, Guid id, CancellationToken ct) =>
        await db.Watersheds.SingleOrDefaultAsync(w => w.Id == id, ct)
        ?? throw new NotFoundException("watershed", id.ToString());

    public static async Task<(Space Space, WatershedEntity Watershed)> SpaceAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        var space = await db.Spaces.SingleOrDefaultAsync(s => s.Id == id, ct)
            ?? throw new NotFoundException("space", id.ToString());
        return (space, await db.WatershedAsync(space.WatershedId, ct));
    }

    public static async Task<(Assembly Assembly, Space Space, WatershedEntity Watershed)> AssemblyAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        var assembly = await db.Assemblies.SingleOrDefaultAsync(a => a.Id == id, ct)
            ?? throw new NotFoundException("assembly", id.ToString());
        var (space, watershed) = await db.SpaceAsync(assembly.SpaceId, ct);
        return (assembly, space, watershed);
    }

    public static async Task<(Proposal Proposal, Space Space, WatershedEntity Watershed)> ProposalAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        var proposal = await db.Proposals.Include(p => p.References).SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new NotFoundException("proposal", id.ToString());
        var (space, watershed) = await db.SpaceAsync(proposal.SpaceId, ct);
        return (proposal, space, watershed);
    }

    public static async Task<(Ballot Ballot, Space Space, WatershedEntity Watershed)> BallotAsync(this ConsultationDbContext db, Guid id, CancellationToken ct)
    {
        // One round trip: votes and live reads come through here.
        var row = await (
            from b in db.Ballots
            join a in db.Assemblies on b.AssemblyId equals a.Id
            join s in db.Spaces on a.SpaceId equals s.Id
            join w in db.Watersheds on s.WatershedId equals w.Id
            where b.Id == id
            select new { Ballot = b, Space = s, Watershed = w }).SingleOrDefaultAsync(ct)
            ?? throw new NotFoundException("ballot", id.ToString());
        return (row.Ballot, row.Space, row.Watershed);
    }

    /// <summary>Voting members on the roll now and those of them present in the assembly now.</summary>
    public static async Task<(int OnRoll, List<Guid> PresentVoters)> VotersAsync(this ConsultationDbContext db, Guid spaceId, Guid assemblyId, CancellationToken ct)
    {
        var voting = db.Members.Where(m => m.SpaceId == spaceId && m.LeftAt == null
            && (m.Role == MemberRole.VotingMember || m.Role == MemberRole.Delegate));
        var onRoll = await voting.CountAsync(ct);
        var present = await voting
            .Where(m => db.Attendance.Any(a => a.AssemblyId == assemblyId && a.MemberId == m.Id && a.Present))
            .Select(m => m.Id)
            .ToListAsync(ct);
        return (onRoll, present);
    }

    public static async Task<QuorumCount> QuorumAsync(this ConsultationDbContext db, Space space, Assembly assembly, AssemblyCall call, CancellationToken ct)
    {
        var (onRoll, present) = await db.VotersAsync(space.Id, assembly.Id, ct);
        return space.QuorumFor(call).Evaluate(call, onRoll, present.Count);
    }
}
