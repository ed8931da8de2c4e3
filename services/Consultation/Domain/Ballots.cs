using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>
/// A ballot on one proposal. Its electorate is fixed when it opens (the voting members present then),
/// its counts are maintained as votes arrive, and every vote is appended to a hash-chained log.
/// </summary>
public sealed class Ballot
{
    public Guid Id { get; init; }

    public Guid ProposalId { get; init; }

    public Guid AssemblyId { get; init; }

    public DecisionRule Rule { get; init; }

    public bool Secret { get; init; }

    public BallotState State { get; private set; } = BallotState.Open;

    /// <summary>Voting members present when the ballot opened: the electorate.</summary>
    public int Eligible { get; init; }

    /// <summary>Voting members on the roll when the ballot opened: the base of two-thirds-of-all.</summary>
    public int Roll { get; init; }

    public int Yes { get; private set; }

    public int No { get; private set; }

    public int Abstain { get; private set; }

    public int Block { get; private set; }

    public long LogLength { get; private set; }

    public string HeadHash { get; private set; } = BallotChain.Genesis;

    public DateTimeOffset OpenedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public bool? Approved { get; private set; }

    public int? RequiredYes { get; private set; }

    public string Explanation { get; private set; } = string.Empty;

    public Tally Tally => new(Yes, No, Abstain, Block);

    public void EnsureAccepts(VoteChoice choice)
    {
        if (State != BallotState.Open)
        {
            throw new PreconditionFailedException("BALLOT_STATE", $"ballots/{Id}", "The ballot is closed.");
        }

        if (!DecisionRules.AllowsChoice(Rule, choice))
        {
            throw new InvalidArgumentException("choice", "block is only a choice under the consensus rule");
        }
    }

    /// <summary>Appends one vote to the chain and the counts. The caller holds the ballot's row lock.</summary>
    public BallotLogEntry Append(VoteChoice choice, string receiptCode, Guid memberId)
    {
        EnsureAccepts(choice);
        var sequence = LogLength + 1;
        var publishedMember = Secret ? null : memberId.ToString();
        var hash = BallotChain.Hash(HeadHash, sequence, Id, receiptCode, choice, publishedMember);
        var entry = new BallotLogEntry
        {
            BallotId = Id,
            Sequence = sequence,
            ReceiptCode = receiptCode,
            Choice = choice,
            MemberId = publishedMember,
            PreviousHash = HeadHash,
            EntryHash = hash,
        };
        switch (choice)
        {
            case VoteChoice.Yes: Yes++; break;
            case VoteChoice.No: No++; break;
            case VoteChoice.Abstain: Abstain++; break;
            case VoteChoice.Block: Block++; break;
        }

        LogLength = sequence;
        HeadHash = hash;
        return entry;
    }

    public DecisionOutcome Close(DateTimeOffset now)
    {
        if (State != BallotState.Open)
        {
            throw new PreconditionFailedException("BALLOT_STATE", $"ballots/{Id}", "The ballot is already closed.");
        }

        var outcome = DecisionRules.Evaluate(Rule, Tally, Eligible, Roll);
        State = BallotState.Closed;
        ClosedAt = now;
        Approved = outcome.Approved;
        RequiredYes = outcome.RequiredYes;
        Explanation = outcome.Explanation;
        return outcome;
    }
}

/// <summary>A member of a ballot's electorate (present and with a vote when it opened).</summary>
public sealed class BallotElector
{
    public Guid BallotId { get; init; }

    public Guid MemberId { get; init; }
}

/// <summary>
/// Who voted, kept apart from what they voted: one row per member and ballot enforces one counted vote
/// and makes CastVote idempotent under the client's request id. The published log never names the
/// member of a secret ballot; this table is not published.
/// </summary>
public sealed class BallotParticipation
{
    public Guid BallotId { get; init; }

    public Guid MemberId { get; init; }

    public required string ClientRequestId { get; init; }

    /// <summary>SHA-256 of the request's identity-bearing fields, to tell a replay from a conflicting reuse of an id.</summary>
    public required string RequestFingerprint { get; init; }

    public required string ReceiptCode { get; init; }

    public long Sequence { get; init; }

    public required string EntryHash { get; init; }

    public VoteChannel Channel { get; init; }

    public string RecordedBy { get; init; } = string.Empty;

    public DateTimeOffset CastAt { get; init; }

    public static string Fingerprint(Guid memberId, VoteChoice choice) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{memberId:D}|{(int)choice}"))));
}

/// <summary>One entry of the append-only ballot log.</summary>
public sealed class BallotLogEntry
{
    public Guid BallotId { get; init; }

    public long Sequence { get; init; }

    public required string ReceiptCode { get; init; }

    public VoteChoice Choice { get; init; }

    /// <summary>Only on public ballots.</summary>
    public string? MemberId { get; init; }

    public required string PreviousHash { get; init; }

    public required string EntryHash { get; init; }
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
