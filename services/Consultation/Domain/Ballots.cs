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
    public static VoteChannel Decide(Actor actor, Member member, VoteChannel? requested)
    {
        if (actor.Is(member.PersonId) && requested is null or VoteChannel.Direct)
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

/// <summary>What a voter gets back; a replay gets the first answer again.</summary>
public sealed record CastReceipt(string ReceiptCode, long Sequence, string EntryHash, bool Replayed);

/// <summary>
/// A ballot on one proposal. Its electorate is fixed when it opens (the voting members present then),
/// its counts are maintained as votes arrive, and every vote is appended to a hash-chained log.
/// </summary>
public sealed class Ballot
{
    private Ballot()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProposalId { get; private set; }

    public Guid AssemblyId { get; private set; }

    public DecisionRule Rule { get; private set; }

    public bool Secret { get; private set; }

    public BallotState State { get; private set; } = BallotState.Open;

    /// <summary>Voting members present when the ballot opened: the electorate.</summary>
    public int Eligible { get; private set; }

    /// <summary>Voting members on the roll when the ballot opened: the base of two-thirds-of-all.</summary>
    public int Roll { get; private set; }

    public int Yes { get; private set; }

    public int No { get; private set; }

    public int Abstain { get; private set; }

    public int Block { get; private set; }

    public long LogLength { get; private set; }

    public string HeadHash { get; private set; } = BallotChain.Genesis;

    public DateTimeOffset OpenedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public bool? Approved { get; private set; }

    public int? RequiredYes { get; private set; }

    public string Explanation { get; private set; } = string.Empty;

    public Tally Tally => new(Yes, No, Abstain, Block);

    /// <summary>Electors who have not voted yet (each elector votes once).</summary>
    public int NotYetVoted => Eligible - Tally.Cast;

    private string Subject => $"ballots/{Id}";

    /// <summary>
    /// Opens voting on a proposal on the agenda of an open assembly with quorum. The caller holds the
    /// assembly's row lock, so the assembly cannot close, nor attendance change, while this decides.
    /// </summary>
    /// <param name="electorate">The assembly's voting members on the roll and present now: present ones become the electorate.</param>
    /// <param name="rule">The rule the facilitator asks for; null for the space's rule for the proposal's type.</param>
    /// <param name="secrecy">Null for the space's default (secret unless the space makes ballots public).</param>
    /// <returns>The ballot and its electors, to be added together.</returns>
    public static (Ballot Ballot, IReadOnlyList<BallotElector> Electors) Open(Proposal proposal, Assembly assembly, Space space, Electorate electorate,
        DecisionRule? rule, BallotSecrecy? secrecy, DateTimeOffset now)
    {
        var decidedRule = DecisionRules.For(proposal.Type, rule, space);
        if (proposal.AgendaAssemblyId() != assembly.Id || assembly.SpaceId != space.Id)
        {
            throw new ArgumentException("The assembly and space must be the proposal's own.", nameof(assembly));
        }

        assembly.EnsureOpenForVoting(assembly.QuorumNow(space, electorate));
        var ballot = new Ballot
        {
            Id = Guid.CreateVersion7(),
            ProposalId = proposal.Id,
            AssemblyId = assembly.Id,
            Rule = decidedRule,
            Secret = secrecy switch
            {
                BallotSecrecy.Secret => true,
                BallotSecrecy.Public => false,
                _ => space.SecretBallotsByDefault,
            },
            Eligible = electorate.Present.Count,
            Roll = electorate.OnRoll,
            OpenedAt = now,
        };
        proposal.StartVoting(ballot.Id);
        return (ballot, [.. electorate.Present.Select(member => new BallotElector(ballot.Id, member))]);
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
    /// <exception cref="AlreadyExistsException">The member has voted already, under another request id.</exception>
    public CastReceipt? Admit(Vote vote, BallotParticipation? earlier, bool isElector, bool hasVoted)
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
        var hash = BallotChain.Hash(HeadHash, sequence, Id, receiptCode, vote.Choice, publishedMember);
        var entry = new BallotLogEntry(Id, sequence, receiptCode, vote.Choice, publishedMember, HeadHash, hash);
        switch (vote.Choice)
        {
            case VoteChoice.Yes: Yes++; break;
            case VoteChoice.No: No++; break;
            case VoteChoice.Abstain: Abstain++; break;
            case VoteChoice.Block: Block++; break;
        }

        LogLength = sequence;
        HeadHash = hash;
        return (entry, new BallotParticipation(Id, vote, entry, now));
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

        if (!DecisionRules.AllowsChoice(Rule, choice))
        {
            throw new InvalidArgumentException("choice", "block is only a choice under the consensus rule");
        }
    }
}

/// <summary>A member of a ballot's electorate (present and with a vote when it opened).</summary>
public sealed class BallotElector
{
    private BallotElector()
    {
    }

    internal BallotElector(Guid ballotId, Guid memberId)
    {
        BallotId = ballotId;
        MemberId = memberId;
    }

    public Guid BallotId { get; private set; }

    public Guid MemberId { get; private set; }
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

    internal BallotParticipation(Guid ballotId, Vote vote, BallotLogEntry entry, DateTimeOffset castAt)
    {
        BallotId = ballotId;
        MemberId = vote.MemberId;
        ClientRequestId = vote.ClientRequestId;
        RequestFingerprint = vote.Fingerprint;
        ReceiptCode = entry.ReceiptCode;
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

    public string ReceiptCode { get; private set; } = string.Empty;

    public long Sequence { get; private set; }

    public string EntryHash { get; private set; } = string.Empty;

    public VoteChannel Channel { get; private set; }

    public string RecordedBy { get; private set; } = string.Empty;

    public DateTimeOffset CastAt { get; private set; }

    public CastReceipt Receipt(bool replayed) => new(ReceiptCode, Sequence, EntryHash, replayed);

    /// <summary>The first receipt again, for a request with this participation's id.</summary>
    /// <exception cref="InvalidArgumentException">The id was used for a different vote.</exception>
    internal CastReceipt Replay(Vote vote) =>
        vote.Fingerprint == RequestFingerprint
            ? Receipt(replayed: true)
            : throw new InvalidArgumentException("client_request_id", "was already used for a different vote on this ballot");
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
        ReceiptCode = receiptCode;
        Choice = choice;
        MemberId = memberId;
        PreviousHash = previousHash;
        EntryHash = entryHash;
    }

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

    public static string Hash(string previousHash, long sequence, Guid ballotId, string receiptCode, VoteChoice choice, string? memberId)
    {
        var canonical = string.Create(CultureInfo.InvariantCulture,
            $"watershed.ballot.v1|{previousHash}|{sequence}|{ballotId:D}|{receiptCode}|{(int)choice}|{memberId ?? string.Empty}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Recomputes the chain and the tally; null when any link does not hold.</summary>
    public static Tally? Verify(Guid ballotId, IEnumerable<BallotLogEntry> entries, string expectedHead)
    {
        var previous = Genesis;
        var tally = Tally.Empty;
        long sequence = 0;
        foreach (var entry in entries)
        {
            sequence++;
            if (entry.Sequence != sequence || entry.PreviousHash != previous
                || Hash(previous, entry.Sequence, ballotId, entry.ReceiptCode, entry.Choice, entry.MemberId) != entry.EntryHash)
            {
                return null;
            }

            tally = tally.With(entry.Choice);
            previous = entry.EntryHash;
        }

        return previous == expectedHead ? tally : null;
    }
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
