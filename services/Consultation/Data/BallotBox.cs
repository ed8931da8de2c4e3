using Microsoft.EntityFrameworkCore;
using Watershed.ServiceDefaults.Data;
using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Data;

public sealed record CastVote(Guid BallotId, Guid MemberId, VoteChoice Choice, string ClientRequestId, VoteChannel Channel, string RecordedBy);

public sealed record CastVoteResult(string ReceiptCode, long Sequence, string EntryHash, bool Replayed);

/// <summary>
/// Accepts votes. Every append to a ballot runs in one transaction that first takes the ballot's row
/// lock, so concurrent votes on one ballot are serialised: the log stays a chain, the counts stay
/// exact, and a request raced from many clients counts once.
/// </summary>
public sealed class BallotBox(ConsultationDbContext db, TimeProvider clock)
{
    public async Task<CastVoteResult> CastAsync(CastVote vote, CancellationToken ct)
    {
        var fingerprint = BallotParticipation.Fingerprint(vote.MemberId, vote.Choice);

        // Fast path for a replay that needs no lock.
        if (await FindReplayAsync(vote, fingerprint, ct) is { } early)
        {
            return early;
        }

        // The electorate is fixed when the ballot opens, so this needs no lock either.
        if (!await db.BallotElectors.AnyAsync(e => e.BallotId == vote.BallotId && e.MemberId == vote.MemberId, ct))
        {
            throw new PreconditionFailedException("NOT_ELIGIBLE", $"members/{vote.MemberId}",
                "Only voting members present when the ballot opened may vote on it.");
        }

        try
        {
            return await AppendAsync(vote, fingerprint, ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // A vote with this request id, or by this member, committed while we waited for the lock.
            db.ChangeTracker.Clear();
            var earlier = await db.BallotParticipations.AsNoTracking()
                .Where(p => p.BallotId == vote.BallotId && (p.ClientRequestId == vote.ClientRequestId || p.MemberId == vote.MemberId))
                .ToListAsync(ct);
            if (earlier.Find(p => p.ClientRequestId == vote.ClientRequestId) is { } replay)
            {
                return Replay(replay, fingerprint);
            }

            throw new AlreadyExistsException("vote", $"ballots/{vote.BallotId}/members/{vote.MemberId}",
                "This member has voted on this ballot already; one counted vote per member.");
        }
    }

    /// <summary>
    /// Appends under the ballot's row lock. Duplicates are not looked for here: the unique keys on
    /// (ballot, member) and (ballot, request id) refuse them, which keeps the lock held for as few round trips as possible.
    /// </summary>
    private async Task<CastVoteResult> AppendAsync(CastVote vote, string fingerprint, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ballot = await LockedBallotAsync(db, vote.BallotId, ct);
            ballot.EnsureAccepts(vote.Choice);

            var receipt = ReceiptCode.New();
            var entry = ballot.Append(vote.Choice, receipt, vote.MemberId);
            db.BallotLog.Add(entry);
            db.BallotParticipations.Add(new BallotParticipation
            {
                BallotId = vote.BallotId,
                MemberId = vote.MemberId,
                ClientRequestId = vote.ClientRequestId,
                RequestFingerprint = fingerprint,
                ReceiptCode = receipt,
                Sequence = entry.Sequence,
                EntryHash = entry.EntryHash,
                Channel = vote.Channel,
                RecordedBy = vote.RecordedBy,
                CastAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new CastVoteResult(receipt, entry.Sequence, entry.EntryHash, Replayed: false);
        });
    }

    /// <summary>
    /// Loads the ballot fresh and holds its row lock for the rest of the transaction: SELECT … FOR UPDATE on
    /// PostgreSQL (one round trip); on SQLite, which has no row locks, a write to the row takes the database's
    /// write lock first.
    /// </summary>
    public static async Task<Ballot> LockedBallotAsync(ConsultationDbContext db, Guid ballotId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (db.Database.IsNpgsql())
        {
            return await db.Ballots.FromSql($"SELECT * FROM ballots WHERE \"Id\" = {ballotId} FOR UPDATE").SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException("ballot", ballotId.ToString());
        }

        var updated = await db.Ballots.Where(b => b.Id == ballotId).ExecuteUpdateAsync(
            s => s.SetProperty(
                b => EF.Property<long>(b, ConsultationDbContext.BallotLockVersion),
                b => EF.Property<long>(b, ConsultationDbContext.BallotLockVersion) + 1),
            ct);
        return updated == 0
            ? throw new NotFoundException("ballot", ballotId.ToString())
            : await db.Ballots.SingleAsync(b => b.Id == ballotId, ct);
    }

    private async Task<CastVoteResult?> FindReplayAsync(CastVote vote, string fingerprint, CancellationToken ct)
    {
        var earlier = await db.BallotParticipations.AsNoTracking()
            .SingleOrDefaultAsync(p => p.BallotId == vote.BallotId && p.ClientRequestId == vote.ClientRequestId, ct);
        return earlier is null ? null : Replay(earlier, fingerprint);
    }

    private static CastVoteResult Replay(BallotParticipation earlier, string fingerprint)
    {
        if (earlier.RequestFingerprint != fingerprint)
        {
            throw new InvalidArgumentException("client_request_id", "was already used for a different vote on this ballot");
        }

        return new CastVoteResult(earlier.ReceiptCode, earlier.Sequence, earlier.EntryHash, Replayed: true);
    }
}
