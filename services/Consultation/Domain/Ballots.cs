using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>How a vote reaches the ballot, and who may record it that way.</summary>
public static class VoteChannels
{
    /// <summary>
    /// A member casts their own vote directly; a facilitator (or an admin) records anyone's vote from a show of
    /// hands or a paper ballot, or a proxy's. Nobody may pass a recorded vote off as the member's own.
    /// </summary>
    /// <param name="actor">Who calls; their role in the watershed (member or facilitator) is already checked.</param>
    /// <param name="member">The member whose vote it is.</param>
    /// <param name="requested">The channel the request names; null when it names none.</param>
    /// <exception cref="PermissionDeniedException">Someone who is not the member and does not act for others.</exception>
    /// <exception cref="InvalidArgumentException">A direct vote recorded by someone else.</exception>
    /// <param name="represented">The member is of the electorate through a proxy: a facilitator enters their vote, as a proxy vote.</param>
    /// <exception cref="PreconditionFailedException">A represented member voting themselves.</exception>
    public static VoteChannel Decide(Actor actor, Member member, VoteChannel? requested, bool represented = false)
    {
        if (represented && actor.Is(member.PersonId) && !actor.ActsForOthers)
        {
            throw new PreconditionFailedException("REPRESENTED_BY_PROXY", $"members/{member.Id}",
                "This member is represented by a proxy on this ballot: the holder's vote for them is entered by a facilitator.");
        }

        if (!represented && actor.Is(member.PersonId) && requested is null or VoteChannel.Direct)
        {
            return VoteChannel.Direct;
        }

        if (!actor.ActsForOthers)
        {
            throw new PermissionDeniedException("Only a facilitator records a vote for a member, from the room, a paper ballot or a proxy.");
        }

        return requested switch
        {
            VoteChannel.Direct => throw new InvalidArgumentException("channel", "a direct vote must be cast by the member themselves"),
            VoteChannel.PaperBallot => throw new InvalidArgumentException("channel", "a paper ballot goes in the box (IssuePaperBallots), not through CastVote"),
            _ when represented => VoteChannel.Proxy,
            VoteChannel.Proxy => VoteChannel.Proxy,
            _ => VoteChannel.RecordedByFacilitator,
        };
    }
}

/// <summary>One vote as it is asked for: whose, what, how it came, the client's request id and who recorded it.</summary>
public sealed record Vote(Guid MemberId, VoteChoice Choice, VoteChannel Channel, string ClientRequestId, string RecordedBy)
{
    /// <summary>SHA-256 of the request's identity-bearing fields, to tell a replay from a conflicting reuse of an id.</summary>
    public string Fingerprint =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{MemberId:D}|{(int)Choice}"))));
}

/// <summary>How a facilitator asks a ballot to be opened; each null takes the space's default.</summary>
/// <param name="Rule">Null for the space's rule for the proposal's type.</param>
/// <param name="Secrecy">Null for the space's default (secret unless the space makes ballots public).</param>
/// <param name="Receipts">Null for receipt-free on a secret ballot, linked on a public one.</param>
public sealed record BallotOptions(DecisionRule? Rule = null, BallotSecrecy? Secrecy = null, ReceiptMode? Receipts = null);

/// <summary>What a voter gets back; a replay gets the first answer again.</summary>
public sealed record CastReceipt(string ReceiptCode, long Sequence, string EntryHash, bool Replayed);

/// <summary>
/// A ballot on one proposal. Its electorate is fixed when it opens (the voting members present then),
/// its counts are maintained as votes arrive, and every vote is appended to a hash-chained log.
/// </summary>
public sealed partial class Ballot
{
    private Ballot()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProposalId { get; private set; }

    public Guid AssemblyId { get; private set; }

    public DecisionRule Rule { get; private set; }

    public bool Secret { get; private set; }

    /// <summary>Whether the log pairs receipt codes with choices; see <see cref="ReceiptMode"/>.</summary>
    public ReceiptMode Receipts { get; private set; }

    /// <summary>Whether a secret ballot shows its counts while open (the space's setting when it opened).</summary>
    public bool ShowsRunningCounts { get; private set; }

    public BallotState State { get; private set; } = BallotState.Open;

    /// <summary>Voting members present when the ballot opened: the electorate.</summary>
    public int Eligible { get; private set; }

    /// <summary>Voting members on the roll when the ballot opened: the base of two-thirds-of-all.</summary>
    public int Roll { get; private set; }

    public int Yes { get; private set; }

    public int No { get; private set; }

    public int Abstain { get; private set; }

    public int Block { get; private set; }

    /// <summary>Votes voided by a facilitator's correction; they are in the log and in none of the counts.</summary>
    public int Voided { get; private set; }

    public long LogLength { get; private set; }

    public string HeadHash { get; private set; } = BallotChain.Genesis;

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public bool? Approved { get; private set; }

    public int? RequiredYes { get; private set; }

    public string Explanation { get; private set; } = string.Empty;

    public Tally Tally => new(Yes, No, Abstain, Block);

    /// <summary>Electors who have not voted yet (each elector votes once).</summary>
    public int NotYetVoted => Eligible - (Tally.Cast - PaperCounted) - PaperBallotsIssued;

    /// <summary>
    /// A secret ballot keeps its counts to itself until it closes (unless its space shows them): no tally, no choices
    /// of the log, no hash from which choices could be tried, only how many have voted.
    /// </summary>
    public bool CountsHidden => Secret && State == BallotState.Open && !ShowsRunningCounts;

    private string Subject => $"ballots/{Id}";

    /// <summary>
    /// Opens voting on a proposal on the agenda of an open assembly with quorum. The caller holds the
    /// assembly's row lock, so the assembly cannot close, nor attendance change, while this decides.
    /// </summary>
    /// <param name="electorate">The assembly's voting members on the roll and present now: present ones become the electorate.</param>
    /// <returns>The ballot and its electors, to be added together.</returns>
    /// <exception cref="InvalidArgumentException">A rule below the legal floor, or a public ballot asked to be receipt-free.</exception>
    public static (Ballot Ballot, IReadOnlyList<BallotElector> Electors) Open(Proposal proposal, Assembly assembly, Space space, Electorate electorate,
        BallotOptions options, DateTimeOffset now)
    {
        var decidedRule = DecisionRules.For(proposal.Type, options.Rule, space);
        var secret = options.Secrecy switch
        {
            BallotSecrecy.Secret => true,
            BallotSecrecy.Public => false,
            _ => space.SecretBallotsByDefault,
        };
        if (!secret && options.Receipts == ReceiptMode.ReceiptFree)
        {
            throw new InvalidArgumentException("receipts", "a public ballot publishes each member's choice, so it cannot be receipt-free");
        }

        if (proposal.AgendaAssemblyId() != assembly.Id || assembly.SpaceId != space.Id)
        {
            throw new ArgumentException("The assembly and space must be the proposal's own.", nameof(assembly));
        }

        assembly.EnsureConvenedFor(proposal);
        assembly.EnsureOpenForVoting(assembly.QuorumNow(space, electorate));
        var ballot = new Ballot
        {
            Id = Guid.CreateVersion7(),
            ProposalId = proposal.Id,
            AssemblyId = assembly.Id,
            Rule = decidedRule,
            Secret = secret,
            Receipts = options.Receipts ?? (secret ? ReceiptMode.ReceiptFree : ReceiptMode.Linked),
            ShowsRunningCounts = space.ShowRunningCounts,
            Eligible = electorate.Present.Count + electorate.Proxies.Count,
            Roll = electorate.OnRoll,
            OpenedAt = now,
        };
        proposal.StartVoting(ballot.Id);
        return (ballot, [
            .. electorate.Present.Select(member => new BallotElector(ballot.Id, member, null)),
            .. electorate.Proxies.Select(proxy => new BallotElector(ballot.Id, proxy.MemberId, proxy.HolderId)),
        ]);
    }

    /// <summary>
    /// What a vote needs before the ballot's lock: a request id used before is a replay, answered with its first
    /// receipt (or refused if it now asks for another vote); anyone else must be of the electorate and not have voted.
    /// Deciding a second vote here, not by a failed INSERT, keeps an expected answer out of the error logs; only two
    /// votes of one member racing each other reach the unique key (<see cref="Resolve"/>).
    /// </summary>
    /// <param name="earlier">The participation recorded on this ballot under the vote's request id, if any.</param>
    /// <param name="isElector">Whether the member was a voting member present when the ballot opened.</param>
    /// <param name="hasVoted">Whether the member has a vote counted on this ballot already.</param>
    /// <returns>The replayed receipt, or null when the vote is to be cast.</returns>
    /// <param name="holdsPaperBallot">Whether the member collected a paper ballot for the box.</param>
    /// <exception cref="AlreadyExistsException">The member has voted already, under another request id.</exception>
    /// <exception cref="PreconditionFailedException">Not an elector, or their vote goes in the paper box.</exception>
    public CastReceipt? Admit(Vote vote, BallotParticipation? earlier, bool isElector, bool hasVoted, bool holdsPaperBallot = false)
    {
        if (earlier is not null)
        {
            return earlier.Replay(vote);
        }

        if (!isElector)
        {
            throw new PreconditionFailedException("NOT_ELIGIBLE", $"members/{vote.MemberId}",
                "Only voting members present when the ballot opened may vote on it.");
        }

        if (holdsPaperBallot)
        {
            throw HoldsPaperBallot(vote.MemberId);
        }

        return hasVoted ? throw AlreadyVoted(vote) : null;
    }

    /// <summary>
    /// Appends one vote to the chain and the counts. The caller holds the ballot's row lock. Duplicates are not
    /// looked for here: the unique keys on (ballot, member) and (ballot, request id) refuse them on save.
    /// </summary>
    public (BallotLogEntry Entry, BallotParticipation Participation) Cast(Vote vote, string receiptCode, DateTimeOffset now)
    {
        EnsureAccepts(vote.Choice);
        var sequence = LogLength + 1;
        var publishedMember = Secret ? null : vote.MemberId.ToString();
        var publishedReceipt = Receipts == ReceiptMode.Linked ? receiptCode : string.Empty;
        var hash = BallotChain.Hash(HeadHash, sequence, Id, publishedReceipt, vote.Choice, publishedMember);
        var entry = new BallotLogEntry(Id, sequence, publishedReceipt, vote.Choice, publishedMember, HeadHash, hash);
        switch (vote.Choice)
        {
            case VoteChoice.Yes: Yes++; break;
            case VoteChoice.No: No++; break;
            case VoteChoice.Abstain: Abstain++; break;
            case VoteChoice.Block: Block++; break;
        }

        LogLength = sequence;
        HeadHash = hash;
        return (entry, new BallotParticipation(Id, vote, entry, receiptCode, Receipts, now));
    }

    /// <summary>
    /// Voids a mis-keyed vote before the ballot closes: a new entry of the log says which entry no longer counts and
    /// why, so the history stays and the chain holds; the counts lose that vote and the member may vote again. Only a
    /// vote a facilitator entered can be voided: a vote the member cast themselves is theirs alone. The caller holds
    /// the ballot's row lock.
    /// </summary>
    /// <param name="participation">The member's counted vote on this ballot.</param>
    /// <param name="voided">Its log entry.</param>
    /// <param name="reason">Why, as stored (validated by <see cref="CheckVoidReason"/>); it is published in the log.</param>
    /// <exception cref="PreconditionFailedException">The ballot is closed, or the vote was cast by the member.</exception>
    public BallotLogEntry Void(BallotParticipation participation, BallotLogEntry voided, string reason, string voidedBy, DateTimeOffset now)
    {
        if (participation.BallotId != Id || voided.BallotId != Id || voided.Sequence != participation.Sequence || voided.Kind != BallotLogEntryKind.Vote)
        {
            throw new ArgumentException("The vote and its entry must be of this ballot and of each other.", nameof(voided));
        }

        if (State != BallotState.Open)
        {
            throw new PreconditionFailedException("BALLOT_STATE", Subject, "A vote can only be voided while the ballot is open.");
        }

        EnsureEntryOpen();
        if (participation.Channel == VoteChannel.Direct)
        {
            throw new PreconditionFailedException("DIRECT_VOTE", $"{Subject}/members/{participation.MemberId}",
                "The member cast this vote themselves; only a vote a facilitator entered can be voided.");
        }

        var sequence = LogLength + 1;
        var hash = BallotChain.VoidHash(HeadHash, sequence, Id, voided.Sequence, reason);
        var entry = BallotLogEntry.ForVoid(Id, sequence, voided.Sequence, reason, HeadHash, hash);
        SetCounts(Tally.Without(voided.Choice));
        Voided++;
        LogLength = sequence;
        HeadHash = hash;
        participation.MarkVoided(sequence, voidedBy, now);
        return entry;
    }

    /// <summary>The answer to a void of a member who has no counted vote on this ballot (none cast, or voided already).</summary>
    public PreconditionFailedException NoCountedVote(Guid memberId) =>
        new("NO_COUNTED_VOTE", $"{Subject}/members/{memberId}", "This member has no counted vote on this ballot to void.");

    /// <summary>A void's reason: required, one line, at most 500 characters; published in the log.</summary>
    /// <returns>The reason as stored (trimmed).</returns>
    public static string CheckVoidReason(Validation v, string reason) => v.Text(reason, "reason", 500);

    private void SetCounts(Tally tally)
    {
        (Yes, No, Abstain, Block) = (tally.Yes, tally.No, tally.Abstain, tally.Block);
    }

    /// <summary>
    /// The answer to a vote refused by a unique key: a vote under the same request id committed while this
    /// one waited for the lock (a replay), or the member has voted already under another id.
    /// </summary>
    /// <param name="committed">This ballot's participations under the vote's request id or by its member.</param>
    public CastReceipt Resolve(Vote vote, IReadOnlyList<BallotParticipation> committed) =>
        committed.FirstOrDefault(p => p.ClientRequestId == vote.ClientRequestId)?.Replay(vote) ?? throw AlreadyVoted(vote);

    private AlreadyExistsException AlreadyVoted(Vote vote) =>
        new("vote", $"{Subject}/members/{vote.MemberId}", "This member has voted on this ballot already; one counted vote per member.");

    /// <summary>Counts the votes with the ballot's rule and decides the proposal. The caller holds the ballot's row lock.</summary>
    public DecisionOutcome Close(Proposal proposal, DateTimeOffset now)
    {
        if (proposal.Id != ProposalId)
        {
            throw new ArgumentException("The proposal must be the ballot's own.", nameof(proposal));
        }

        if (State != BallotState.Open)
        {
            throw new PreconditionFailedException("BALLOT_STATE", Subject, "The ballot is already closed.");
        }

        EnsurePaperCounted();
        var outcome = DecisionRules.Evaluate(Rule, Tally, Eligible, Roll);
        State = BallotState.Closed;
        ClosedAt = now;
        Approved = outcome.Approved;
        RequiredYes = outcome.RequiredYes;
        Explanation = outcome.Explanation;
        proposal.Decide(outcome.Approved, now);
        return outcome;
    }

    private void EnsureAccepts(VoteChoice choice)
    {
        if (State != BallotState.Open)
        {
            throw new PreconditionFailedException("BALLOT_STATE", Subject, "The ballot is closed.");
        }

        EnsureEntryOpen();

        if (!DecisionRules.AllowsChoice(Rule, choice))
        {
            throw new InvalidArgumentException("choice", "block is only a choice under the consensus rule");
        }
    }
}

/// <summary>A member of a ballot's electorate: a voting member present when it opened, or absent and represented by a proxy.</summary>
public sealed class BallotElector
{
    private BallotElector()
    {
    }

    internal BallotElector(Guid ballotId, Guid memberId, Guid? holderMemberId)
    {
        BallotId = ballotId;
        MemberId = memberId;
        HolderMemberId = holderMemberId;
    }

    public Guid BallotId { get; private set; }

    public Guid MemberId { get; private set; }

    /// <summary>For a member absent and represented by a proxy when the ballot opened: the member carrying it.</summary>
    public Guid? HolderMemberId { get; private set; }
}

/// <summary>
/// Who voted, kept apart from what they voted: one row per member and ballot enforces one counted vote
/// and makes CastVote idempotent under the client's request id. The published log never names the
/// member of a secret ballot; this table is not published.
/// </summary>
public sealed class BallotParticipation
{
    private BallotParticipation()
    {
    }

    internal BallotParticipation(Guid ballotId, Vote vote, BallotLogEntry entry, string receiptCode, ReceiptMode receipts, DateTimeOffset castAt)
    {
        BallotId = ballotId;
        MemberId = vote.MemberId;
        ClientRequestId = vote.ClientRequestId;
        RequestFingerprint = vote.Fingerprint;
        ReceiptCode = receiptCode;
        Receipts = receipts;
        Sequence = entry.Sequence;
        EntryHash = entry.EntryHash;
        Channel = vote.Channel;
        RecordedBy = vote.RecordedBy;
        CastAt = castAt;
    }

    public Guid BallotId { get; private set; }

    public Guid MemberId { get; private set; }

    public string ClientRequestId { get; private set; } = string.Empty;

    /// <summary>See <see cref="Vote.Fingerprint"/>.</summary>
    public string RequestFingerprint { get; private set; } = string.Empty;

    /// <summary>The voter's receipt code; on a receipt-free ballot it is kept here only, never in the log.</summary>
    public string ReceiptCode { get; private set; } = string.Empty;

    /// <summary>The ballot's receipt mode, which decides what the receipt may say.</summary>
    public ReceiptMode Receipts { get; private set; }

    public long Sequence { get; private set; }

    public string EntryHash { get; private set; } = string.Empty;

    public VoteChannel Channel { get; private set; }

    public string RecordedBy { get; private set; } = string.Empty;

    public DateTimeOffset CastAt { get; private set; }

    /// <summary>The log entry that voided this vote, if a facilitator voided it; a voided vote counts for nothing.</summary>
    public long? VoidedBySequence { get; private set; }

    public string? VoidedBy { get; private set; }

    public DateTimeOffset? VoidedAt { get; private set; }

    public bool IsCounted => VoidedBySequence is null;

    /// <summary>
    /// What the voter is given. On a receipt-free ballot only the code: the entry's sequence or hash would point at
    /// its choice in the published log, which is exactly what the voter must not be able to show.
    /// </summary>
    public CastReceipt Receipt(bool replayed) => Receipts == ReceiptMode.Linked
        ? new(ReceiptCode, Sequence, EntryHash, replayed)
        : new(ReceiptCode, 0, string.Empty, replayed);

    /// <summary>The first receipt again, for a request with this participation's id.</summary>
    /// <exception cref="InvalidArgumentException">The id was used for a different vote.</exception>
    /// <exception cref="PreconditionFailedException">The vote under this id was voided since: it counts no more.</exception>
    internal CastReceipt Replay(Vote vote)
    {
        if (vote.Fingerprint != RequestFingerprint)
        {
            throw new InvalidArgumentException("client_request_id", "was already used for a different vote on this ballot");
        }

        return IsCounted
            ? Receipt(replayed: true)
            : throw new PreconditionFailedException("VOTE_VOIDED", $"ballots/{BallotId}/members/{MemberId}",
                $"The vote cast under this request id was voided by entry {VoidedBySequence} of the ballot log; cast it again with a new request id.");
    }

    internal void MarkVoided(long voidSequence, string voidedBy, DateTimeOffset now)
    {
        VoidedBySequence = voidSequence;
        VoidedBy = voidedBy;
        VoidedAt = now;
    }
}

/// <summary>One entry of the append-only ballot log.</summary>
public sealed class BallotLogEntry
{
    private BallotLogEntry()
    {
    }

    internal BallotLogEntry(Guid ballotId, long sequence, string receiptCode, VoteChoice choice, string? memberId, string previousHash, string entryHash)
    {
        BallotId = ballotId;
        Sequence = sequence;
        Kind = BallotLogEntryKind.Vote;
        ReceiptCode = receiptCode;
        Choice = choice;
        MemberId = memberId;
        PreviousHash = previousHash;
        EntryHash = entryHash;
    }

    public BallotLogEntryKind Kind { get; private set; }

    /// <summary>Voids: the sequence of the vote entry that no longer counts.</summary>
    public long? VoidedSequence { get; private set; }

    /// <summary>Voids: why, as the facilitator gave it.</summary>
    public string? Reason { get; private set; }

    /// <summary>Paper tallies: the count of the box, with the ballots issued it was reconciled against.</summary>
    public PaperCount? Paper => Kind == BallotLogEntryKind.PaperTally
        ? new PaperCount(PaperYes ?? 0, PaperNo ?? 0, PaperAbstain ?? 0, PaperBlock ?? 0, PaperBlank ?? 0, PaperSpoiled ?? 0)
        : null;

    public int? PaperBallotsIssued { get; private set; }

    // One column per count keeps the log a plain table an auditor can query.
    private int? PaperYes { get; set; }

    private int? PaperNo { get; set; }

    private int? PaperAbstain { get; set; }

    private int? PaperBlock { get; set; }

    private int? PaperBlank { get; set; }

    private int? PaperSpoiled { get; set; }

    internal static BallotLogEntry ForPaperTally(Guid ballotId, long sequence, PaperCount count, int ballotsIssued, string previousHash, string entryHash) => new()
    {
        BallotId = ballotId,
        Sequence = sequence,
        Kind = BallotLogEntryKind.PaperTally,
        PaperYes = count.Yes,
        PaperNo = count.No,
        PaperAbstain = count.Abstain,
        PaperBlock = count.Block,
        PaperBlank = count.Blank,
        PaperSpoiled = count.Spoiled,
        PaperBallotsIssued = ballotsIssued,
        PreviousHash = previousHash,
        EntryHash = entryHash,
    };

    internal static BallotLogEntry ForVoid(Guid ballotId, long sequence, long voidedSequence, string reason, string previousHash, string entryHash) => new()
    {
        BallotId = ballotId,
        Sequence = sequence,
        Kind = BallotLogEntryKind.Void,
        VoidedSequence = voidedSequence,
        Reason = reason,
        PreviousHash = previousHash,
        EntryHash = entryHash,
    };

    public Guid BallotId { get; private set; }

    public long Sequence { get; private set; }

    public string ReceiptCode { get; private set; } = string.Empty;

    public VoteChoice Choice { get; private set; }

    /// <summary>Only on public ballots.</summary>
    public string? MemberId { get; private set; }

    public string PreviousHash { get; private set; } = string.Empty;

    public string EntryHash { get; private set; } = string.Empty;
}

/// <summary>The hash chain that lets anyone recompute a tally and check that no entry was changed, dropped or inserted.</summary>
public static class BallotChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>A vote entry's hash; the exact bytes are documented on BallotLogEntry in proposals.proto.</summary>
    public static string Hash(string previousHash, long sequence, Guid ballotId, string receiptCode, VoteChoice choice, string? memberId) =>
        Sha256(string.Create(CultureInfo.InvariantCulture,
            $"watershed.ballot.v1|{previousHash}|{sequence}|{ballotId:D}|{receiptCode}|{(int)choice}|{memberId ?? string.Empty}"));

    /// <summary>A void entry's hash; the reason comes last, so a '|' in it cannot shift another field.</summary>
    public static string VoidHash(string previousHash, long sequence, Guid ballotId, long voidedSequence, string reason) =>
        Sha256(string.Create(CultureInfo.InvariantCulture,
            $"watershed.ballot.void.v1|{previousHash}|{sequence}|{ballotId:D}|{voidedSequence}|{reason}"));

    /// <summary>A paper tally entry's hash: the six counts of the box and the ballots issued, in that order.</summary>
    public static string PaperTallyHash(string previousHash, long sequence, Guid ballotId, PaperCount count, int ballotsIssued) =>
        Sha256(string.Create(CultureInfo.InvariantCulture,
            $"watershed.ballot.paper-tally.v1|{previousHash}|{sequence}|{ballotId:D}|{count.Yes}|{count.No}|{count.Abstain}|{count.Block}|{count.Blank}|{count.Spoiled}|{ballotsIssued}"));

    /// <summary>The hash an entry must carry, from its own published fields and the hash before it.</summary>
    public static string HashOf(BallotLogEntry entry, string previousHash, Guid ballotId) => entry.Kind switch
    {
        BallotLogEntryKind.Void => VoidHash(previousHash, entry.Sequence, ballotId, entry.VoidedSequence ?? 0, entry.Reason ?? string.Empty),
        BallotLogEntryKind.PaperTally => PaperTallyHash(previousHash, entry.Sequence, ballotId, entry.Paper!, entry.PaperBallotsIssued ?? 0),
        _ => Hash(previousHash, entry.Sequence, ballotId, entry.ReceiptCode, entry.Choice, entry.MemberId),
    };

    /// <summary>
    /// Recomputes the chain and the tally; null when any link does not hold, or a void names anything but an earlier
    /// vote that still counted.
    /// </summary>
    public static Tally? Verify(Guid ballotId, IEnumerable<BallotLogEntry> entries, string expectedHead)
    {
        var previous = Genesis;
        var tally = Tally.Empty;
        var counted = new Dictionary<long, VoteChoice>();
        long sequence = 0;
        foreach (var entry in entries)
        {
            sequence++;
            if (entry.Sequence != sequence || entry.PreviousHash != previous || HashOf(entry, previous, ballotId) != entry.EntryHash)
            {
                return null;
            }

            switch (entry.Kind)
            {
                case BallotLogEntryKind.Vote:
                    tally = tally.With(entry.Choice);
                    counted[entry.Sequence] = entry.Choice;
                    break;
                case BallotLogEntryKind.Void when entry.VoidedSequence is { } voided && counted.Remove(voided, out var choice):
                    tally = tally.Without(choice);
                    break;
                case BallotLogEntryKind.PaperTally when entry.Paper is { } paper:
                    tally = tally.Plus(paper);
                    break;
                default:
                    return null;
            }

            previous = entry.EntryHash;
        }

        return previous == expectedHead ? tally : null;
    }

    private static string Sha256(string canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}

/// <summary>Receipt codes voters can read out or write down: Crockford base32 without I, L, O, U.</summary>
public static class ReceiptCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<char> code = stackalloc char[11];
        for (var i = 0; i < code.Length; i++)
        {
            code[i] = i == 5 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(code);
    }
}
