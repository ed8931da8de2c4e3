namespace Watershed.Consultation.Domain;

/// <summary>
/// A quorum threshold as a share of the voting members on the roll (padrón): "more than half"
/// is 50 % with <see cref="MoreThan"/>; "at least 30 %" is 30 % without it. Statutes fix one per call.
/// </summary>
public sealed record QuorumThreshold(decimal Percent, bool MoreThan)
{
    /// <summary>Usual first call of a comunidad campesina: more than half of the qualified members.</summary>
    public static QuorumThreshold DefaultFirstCall { get; } = new(50m, MoreThan: true);

    /// <summary>A common second-call floor; each statute sets its own, so spaces override it.</summary>
    public static QuorumThreshold DefaultSecondCall { get; } = new(30m, MoreThan: false);

    public bool IsValid => Percent > 0m && Percent <= 100m;

    /// <summary>
    /// Voting members who must be present. Never less than one: an empty roll can hold no assembly.
    /// </summary>
    public int RequiredPresent(int votingMembersOnRoll)
    {
        var share = votingMembersOnRoll * Percent / 100m;
        var required = MoreThan ? (int)decimal.Floor(share) + 1 : (int)decimal.Ceiling(share);
        return Math.Max(1, required);
    }

    public QuorumCount Evaluate(AssemblyCall call, int votingMembersOnRoll, int votingMembersPresent)
    {
        var required = RequiredPresent(votingMembersOnRoll);
        return new QuorumCount(call, votingMembersOnRoll, votingMembersPresent, required, votingMembersPresent >= required);
    }
}

public sealed record QuorumCount(AssemblyCall Call, int OnRoll, int Present, int Required, bool Reached);
