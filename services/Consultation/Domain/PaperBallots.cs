using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>
/// The count of a ballot box (ánfora): the paper ballots per choice, plus blank (en blanco) and spoiled (nulos) ones.
/// Blank and spoiled ballots were deposited but count for no side.
/// </summary>
public sealed record PaperCount(int Yes, int No, int Abstain, int Block, int Blank, int Spoiled)
{
    /// <summary>A box holds at most this many ballots of one kind: far above any roll, far below any overflow.</summary>
    public const int MaxPerKind = 100_000;

    /// <summary>Ballots found in the box.</summary>
    public int Total => Yes + No + Abstain + Block + Blank + Spoiled;

    /// <summary>Each count from 0 to <see cref="MaxPerKind"/>, named under <paramref name="field"/> (e.g. <c>count.yes</c>).</summary>
    public static PaperCount From(Validation v, string field, int yes, int no, int abstain, int block, int blank, int spoiled)
    {
        foreach (var (name, value) in new[] { ("yes", yes), ("no", no), ("abstain", abstain), ("block", block), ("blank", blank), ("spoiled", spoiled) })
        {
            v.Check(value is >= 0 and <= MaxPerKind, $"{field}.{name}", $"must be from 0 to {MaxPerKind}");
        }

        return new PaperCount(yes, no, abstain, block, blank, spoiled);
    }
}

/// <summary>A member of the electorate who collected a paper ballot: their vote goes in the box, not through CastVote.</summary>
public sealed class PaperBallotIssue
{
    private PaperBallotIssue()
    {
    }

    internal PaperBallotIssue(Guid ballotId, Guid memberId, string issuedBy, DateTimeOffset issuedAt)
    {
        BallotId = ballotId;
        MemberId = memberId;
        IssuedBy = issuedBy;
        IssuedAt = issuedAt;
    }

    public Guid BallotId { get; private set; }

    public Guid MemberId { get; private set; }

    public string IssuedBy { get; private set; } = string.Empty;

    public DateTimeOffset IssuedAt { get; private set; }
}

/// <summary>
/// A ballot's paper count as the electoral committee gives it: entered by one facilitator, attested by another who
/// counted the same box and enters the same numbers. Only the attested count enters the log.
/// </summary>
public sealed class BallotPaperTally
{
    private BallotPaperTally()
    {
    }

    internal BallotPaperTally(Guid ballotId)
    {
        BallotId = ballotId;
    }

    public Guid BallotId { get; private set; }

    public int Yes { get; private set; }

    public int No { get; private set; }

    public int Abstain { get; private set; }

    public int Block { get; private set; }

    public int Blank { get; private set; }

    public int Spoiled { get; private set; }

    public string EnteredBy { get; private set; } = string.Empty;

    public DateTimeOffset EnteredAt { get; private set; }

    public string? AttestedBy { get; private set; }

    public DateTimeOffset? AttestedAt { get; private set; }

    public PaperCount Count => new(Yes, No, Abstain, Block, Blank, Spoiled);

    internal void Enter(PaperCount count, string enteredBy, DateTimeOffset now)
    {
        (Yes, No, Abstain, Block, Blank, Spoiled) = (count.Yes, count.No, count.Abstain, count.Block, count.Blank, count.Spoiled);
        EnteredBy = enteredBy;
        EnteredAt = now;
    }

    internal void Attest(string attestedBy, DateTimeOffset now)
    {
        AttestedBy = attestedBy;
        AttestedAt = now;
    }
}

/// <summary>
/// Paper ballots on a secret ballot. How the channels mix: until the box is counted, each elector votes once, either
/// through CastVote (in person, recorded or by proxy) or by collecting a paper ballot for the box, never both.
/// Entering the box's count closes entry for everyone: no more votes, paper ballots or voids. The count must not
/// exceed the ballots issued; fewer is allowed (a ballot taken home is simply not in the box). A second facilitator
/// attests the same numbers, and only then the count enters the log and the tally, and the ballot can close.
/// </summary>
public sealed partial class Ballot
{
    /// <summary>Paper ballots handed to electors for the box.</summary>
    public int PaperBallotsIssued { get; private set; }

    public PaperTallyState PaperTally { get; private set; } = PaperTallyState.NotRecorded;

    /// <summary>Blank paper ballots in the attested count (en blanco): cast, for no side.</summary>
    public int Blank { get; private set; }

    /// <summary>Spoiled paper ballots in the attested count (nulos): cast, for no side.</summary>
    public int Spoiled { get; private set; }

    /// <summary>Yes, no, abstain and block ballots of the attested count, which the tally includes.</summary>
    public int PaperCounted { get; private set; }

    /// <summary>
    /// Hands an elector a paper ballot. The caller holds the ballot's row lock and read the member's facts under it.
    /// </summary>
    /// <returns>The issue to add, or null when the member holds one already (issuing is idempotent).</returns>
    /// <exception cref="PreconditionFailedException">A public or closed ballot, a counted box, or not an elector.</exception>
    /// <exception cref="AlreadyExistsException">The member has a vote counted already.</exception>
    public PaperBallotIssue? IssuePaperBallot(Guid memberId, bool isElector, bool hasVoted, bool holdsOne, string issuedBy, DateTimeOffset now)
    {
        if (!Secret)
        {
            throw new PreconditionFailedException("PUBLIC_BALLOT", Subject, "A public ballot records each member's choice by name; it takes no paper ballots.");
        }

        EnsureOpenForEntry();
        if (!isElector)
        {
            throw new PreconditionFailedException("NOT_ELIGIBLE", $"members/{memberId}", "Only voting members present when the ballot opened may vote on it.");
        }

        if (holdsOne)
        {
            return null;
        }

        if (hasVoted)
        {
            throw new AlreadyExistsException("vote", $"{Subject}/members/{memberId}", "This member has voted on this ballot already; they get no paper ballot.");
        }

        PaperBallotsIssued++;
        return new PaperBallotIssue(Id, memberId, issuedBy, now);
    }

    /// <summary>The answer to a CastVote for a member who collected a paper ballot: their vote is in the box.</summary>
    public PreconditionFailedException HoldsPaperBallot(Guid memberId) =>
        new("PAPER_BALLOT_HOLDER", $"{Subject}/members/{memberId}", "This member collected a paper ballot; their vote goes in the box.");

    /// <summary>
    /// Enters the count of the box (replacing an earlier entry not yet attested: a recount). From now on the ballot
    /// takes no vote, paper ballot or void. The caller holds the ballot's row lock.
    /// </summary>
    /// <param name="pending">The count entered before and not attested, if any.</param>
    /// <returns>The count to store (<paramref name="pending"/> updated, or a new one to add).</returns>
    /// <exception cref="InvalidArgumentException">The counts exceed the ballots issued, or hold blocks outside the consensus rule.</exception>
    /// <exception cref="PreconditionFailedException">No paper ballot was issued, the count is attested already, or the ballot is closed.</exception>
    public BallotPaperTally EnterPaperTally(BallotPaperTally? pending, PaperCount count, string enteredBy, DateTimeOffset now)
    {
        EnsureOpen("A paper count is entered while the ballot is open.");
        if (PaperTally == PaperTallyState.Attested)
        {
            throw new PreconditionFailedException("PAPER_TALLY_ATTESTED", Subject, "The paper count was attested already; it cannot be entered again.");
        }

        if (PaperBallotsIssued == 0)
        {
            throw new PreconditionFailedException("NO_PAPER_BALLOTS", Subject, "No paper ballot was issued on this ballot; there is no box to count.");
        }

        var v = new Validation();
        v.Check(count.Block == 0 || Rule == DecisionRule.Consensus, "count.block", "block is only a choice under the consensus rule");
        v.Check(count.Total <= PaperBallotsIssued, "count",
            $"adds up to {count.Total} ballots, more than the {PaperBallotsIssued} paper ballots issued");
        v.ThrowIfInvalid();

        var tally = pending ?? new BallotPaperTally(Id);
        tally.Enter(count, enteredBy, now);
        PaperTally = PaperTallyState.Entered;
        return tally;
    }

    /// <summary>
    /// A second facilitator attests the entered count by entering the same numbers; the count then enters the log as
    /// one entry and the tally. The caller holds the ballot's row lock.
    /// </summary>
    /// <returns>The paper tally's log entry.</returns>
    /// <exception cref="PreconditionFailedException">Nothing to attest, the same facilitator, other numbers, or a closed ballot.</exception>
    public BallotLogEntry AttestPaperTally(BallotPaperTally? pending, PaperCount count, string attestedBy, DateTimeOffset now)
    {
        EnsureOpen("A paper count is attested while the ballot is open.");
        if (PaperTally != PaperTallyState.Entered || pending is null || pending.BallotId != Id)
        {
            throw new PreconditionFailedException("PAPER_TALLY_STATE", Subject,
                PaperTally == PaperTallyState.Attested ? "The paper count was attested already." : "No paper count was entered to attest.");
        }

        if (pending.EnteredBy == attestedBy)
        {
            throw new PreconditionFailedException("SAME_FACILITATOR", Subject, "The count must be attested by a facilitator other than the one who entered it.");
        }

        if (pending.Count != count)
        {
            throw new PreconditionFailedException("TALLY_MISMATCH", Subject,
                "These numbers differ from the count entered; count the box again, and enter the agreed count again before attesting it.");
        }

        var sequence = LogLength + 1;
        var hash = BallotChain.PaperTallyHash(HeadHash, sequence, Id, count, PaperBallotsIssued);
        var entry = BallotLogEntry.ForPaperTally(Id, sequence, count, PaperBallotsIssued, HeadHash, hash);
        SetCounts(Tally.Plus(count));
        PaperCounted = count.Yes + count.No + count.Abstain + count.Block;
        (Blank, Spoiled) = (count.Blank, count.Spoiled);
        LogLength = sequence;
        HeadHash = hash;
        PaperTally = PaperTallyState.Attested;
        pending.Attest(attestedBy, now);
        return entry;
    }

    private void EnsureOpen(string description)
    {
        if (State != BallotState.Open)
        {
            throw new PreconditionFailedException("BALLOT_STATE", Subject, description);
        }
    }

    private void EnsureOpenForEntry()
    {
        EnsureOpen("The ballot is closed.");
        EnsureEntryOpen();
    }

    private void EnsureEntryOpen()
    {
        if (PaperTally != PaperTallyState.NotRecorded)
        {
            throw new PreconditionFailedException("ENTRY_CLOSED", Subject,
                "The paper ballots are being counted: the ballot takes no more votes, paper ballots or corrections.");
        }
    }

    /// <summary>A ballot with paper ballots closes only once its box is counted and attested.</summary>
    private void EnsurePaperCounted()
    {
        if (PaperTally == PaperTallyState.Entered)
        {
            throw new PreconditionFailedException("PAPER_TALLY_NOT_ATTESTED", Subject, "The paper count must be attested by a second facilitator before the ballot closes.");
        }

        if (PaperBallotsIssued > 0 && PaperTally != PaperTallyState.Attested)
        {
            throw new PreconditionFailedException("PAPER_BALLOTS_NOT_COUNTED", Subject,
                $"{PaperBallotsIssued} paper ballots were issued: enter and attest the count of the box before closing.");
        }
    }
}
