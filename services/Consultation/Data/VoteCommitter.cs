using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Data;

/// <summary>
/// Group commit of votes: the votes on one ballot that arrive while its previous group is being written are appended
/// together, in one transaction under one lock of the ballot's row, and each caller is answered only once the commit
/// that holds its vote has returned. A ballot's log is a chain, so its appends are serialised whatever happens; this
/// makes each lock, round trip and commit carry many votes instead of one.
/// <para>
/// Each vote is decided on its own inside the group, from what is committed (read under the lock) and from the
/// votes before it in the same group: a replay under the same request id answers the same receipt, a second vote of
/// a member is refused, a vote the ballot no longer accepts is refused; none of these fails the others. A failure of
/// the transaction itself (the database gone) fails every vote of the group, and nothing of it is stored.
/// </para>
/// </summary>
/// <remarks>
/// Groups are per process: replicas still serialise on the ballot's row lock, and what another replica committed is
/// read under that lock, so the unique keys on (ballot, member) and (ballot, request id) stay a last safeguard only.
/// Should one be hit all the same, the group is written again one vote at a time.
/// </remarks>
public sealed partial class VoteCommitter(IServiceScopeFactory scopes, TimeProvider clock, ConsultationTelemetry telemetry, ILogger<VoteCommitter> logger)
{
    /// <summary>The most votes one transaction carries; more wait for the next.</summary>
    public const int MaxGroup = 256;

    private readonly ConcurrentDictionary<Guid, Queue> _queues = new();

    /// <summary>Appends <paramref name="vote"/>, admitted on <paramref name="ballot"/> as read before any lock.</summary>
    /// <returns>The receipt, once the vote is committed (or the earlier receipt it replays).</returns>
    public Task<CastReceipt> AppendAsync(Ballot ballot, Vote vote, CancellationToken ct)
    {
        var pending = new Pending(ballot, vote, Activity.Current?.Context ?? default);
        while (true)
        {
            var queue = _queues.GetOrAdd(ballot.Id, id => new Queue(id));
            bool lead;
            lock (queue)
            {
                if (queue.Retired)
                {
                    continue;
                }

                queue.Items.Add(pending);
                lead = !queue.Running;
                queue.Running = true;
            }

            if (lead)
            {
                // The group is written on its own, not in the first caller's context: its span links every caller's.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(() => DrainAsync(queue), CancellationToken.None);
                }
            }

            return pending.Done.Task.WaitAsync(ct);
        }
    }

    /// <summary>How many votes on the ballot wait for the group being written now (for tests and diagnostics).</summary>
    internal int Waiting(Guid ballotId)
    {
        if (!_queues.TryGetValue(ballotId, out var queue))
        {
            return 0;
        }

        lock (queue)
        {
            return queue.Items.Count;
        }
    }

    private async Task DrainAsync(Queue queue)
    {
        while (true)
        {
            List<Pending> group;
            lock (queue)
            {
                if (queue.Items.Count == 0)
                {
                    queue.Running = false;
                    queue.Retired = true;
                    _queues.TryRemove(new KeyValuePair<Guid, Queue>(queue.BallotId, queue));
                    return;
                }

                group = queue.Items.Count <= MaxGroup ? [.. queue.Items] : queue.Items.GetRange(0, MaxGroup);
                queue.Items.RemoveRange(0, group.Count);
            }

            await CommitGroupAsync(queue.BallotId, group);
        }
    }

    private async Task CommitGroupAsync(Guid ballotId, List<Pending> group)
    {
        using var span = telemetry.Source.StartActivity(
            "CastVote group", ActivityKind.Internal, default(ActivityContext),
            links: [.. group.Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller))]);
        span?.SetTag("ballot.id", ballotId.ToString());
        span?.SetTag("votes.group_size", group.Count);
        telemetry.VoteGroup(group.Count);
        try
        {
            var outcomes = await WriteAsync(ballotId, group);
            for (var i = 0; i < group.Count; i++)
            {
                outcomes[i].Complete(group[i].Done);
            }
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation() && group.Count == 1)
        {
            // A lone vote whose duplicate committed after it was admitted: an expected race, answered as that duplicate says.
            await ResolveAloneAsync(ballotId, group[0]);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // A group reads its duplicates under the lock, so only a write that bypassed the lock gets here: one vote at
            // a time, each gets its own answer.
            LogGroupSplit(logger, ballotId, group.Count);
            foreach (var pending in group)
            {
                await CommitGroupAsync(ballotId, [pending]);
            }
        }
        catch (Exception ex)
        {
            // Nothing of the group was committed: every caller gets the failure (mapped to its status as usual).
            foreach (var pending in group)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>A lone vote refused by a unique key: answered as the vote it collided with says (a replay, or voted already).</summary>
    private async Task ResolveAloneAsync(Guid ballotId, Pending pending)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsultationDbContext>();
            var committed = await db.ParticipationsAsync(ballotId, pending.Vote.ClientRequestId, pending.Vote.MemberId, CancellationToken.None);
            pending.Done.TrySetResult(pending.Ballot.Resolve(pending.Vote, committed));
        }
        catch (Exception ex)
        {
            pending.Done.TrySetException(ex);
        }
    }

    private async Task<Outcome[]> WriteAsync(Guid ballotId, List<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsultationDbContext>();
        try
        {
            return await db.InTransactionAsync(async token =>
            {
                var locked = await db.LoadForUpdateAsync<Ballot>(ballotId, "ballot", token);
                var requestIds = group.Select(p => p.Vote.ClientRequestId).Distinct().ToList();
                var memberIds = group.Select(p => p.Vote.MemberId).Distinct().ToList();

                // What is committed under the group's request ids or by its members, read under the lock: with the
                // votes earlier in the group, all a vote's duplicates. A lone vote skips the read: its admission saw all
                // but a racing duplicate, which the unique keys refuse (see ResolveAloneAsync).
                var known = group.Count == 1
                    ? []
                    : await db.BallotParticipations.AsNoTracking()
                        .Where(p => p.BallotId == ballotId && (requestIds.Contains(p.ClientRequestId) || (memberIds.Contains(p.MemberId) && p.VoidedBySequence == null)))
                        .ToListAsync(token);

                // Paper ballots are issued under this lock; only if one was issued since a vote was admitted can it
                // have been its member's, so the common group pays no extra round trip.
                var maybePaper = group.Where(p => p.Ballot.PaperBallotsIssued != locked.PaperBallotsIssued).Select(p => p.Vote.MemberId).Distinct().ToList();
                var paperHolders = maybePaper.Count == 0
                    ? []
                    : (await db.PaperBallotIssues.AsNoTracking().Where(x => x.BallotId == ballotId && maybePaper.Contains(x.MemberId)).Select(x => x.MemberId).ToListAsync(token)).ToHashSet();

                var now = clock.GetUtcNow();
                var outcomes = new Outcome[group.Count];
                var appended = false;
                for (var i = 0; i < group.Count; i++)
                {
                    var vote = group[i].Vote;
                    try
                    {
                        var duplicates = known.Where(p => p.ClientRequestId == vote.ClientRequestId || (p.MemberId == vote.MemberId && p.VoidedBySequence == null)).ToList();
                        if (duplicates.Count > 0)
                        {
                            outcomes[i] = new Outcome(locked.Resolve(vote, duplicates), null);
                        }
                        else if (paperHolders.Contains(vote.MemberId))
                        {
                            outcomes[i] = new Outcome(null, locked.HoldsPaperBallot(vote.MemberId));
                        }
                        else
                        {
                            var (entry, participation) = locked.Cast(vote, ReceiptCode.New(), now);
                            db.BallotLog.Add(entry);
                            db.BallotParticipations.Add(participation);
                            known.Add(participation);
                            appended = true;
                            outcomes[i] = new Outcome(participation.Receipt(replayed: false), null);
                        }
                    }
                    catch (ServiceException refused)
                    {
                        // This vote's answer; the ballot is unchanged by it (a refused vote changes nothing).
                        outcomes[i] = new Outcome(null, refused);
                    }
                }

                if (appended)
                {
                    await db.SaveChangesAsync(token);
                }

                return outcomes;
            }, CancellationToken.None);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "A group of {Count} votes on ballot {BallotId} met a unique key; written again one vote at a time")]
    private static partial void LogGroupSplit(ILogger logger, Guid ballotId, int count);

    private sealed class Queue(Guid ballotId)
    {
        public Guid BallotId { get; } = ballotId;

        public List<Pending> Items { get; } = [];

        public bool Running { get; set; }

        /// <summary>Emptied and removed from the map: a late arrival must take the map's new queue.</summary>
        public bool Retired { get; set; }
    }

    private sealed record Pending(Ballot Ballot, Vote Vote, ActivityContext Caller)
    {
        public TaskCompletionSource<CastReceipt> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly record struct Outcome(CastReceipt? Receipt, Exception? Refusal)
    {
        public void Complete(TaskCompletionSource<CastReceipt> done)
        {
            if (Refusal is not null)
            {
                done.TrySetException(Refusal);
            }
            else
            {
                done.TrySetResult(Receipt!);
            }
        }
    }
}
