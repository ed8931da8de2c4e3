using Watershed.ServiceDefaults.Errors;

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

    /// <summary>A threshold as a request gives it, rounded to two decimals; its violations are added to <paramref name="v"/>.</summary>
    /// <param name="field">The threshold's contract path, e.g. <c>rules.first_call_quorum</c>.</param>
    public static QuorumThreshold? From(double percent, bool moreThan, Validation v, string field)
    {
        // Checked on the double first: NaN and infinities have no decimal.
        if (!double.IsFinite(percent) || percent <= 0 || percent > 100)
        {
            v.Add($"{field}.percent", "must be greater than 0 and at most 100");
            return null;
        }

        var threshold = new QuorumThreshold((decimal)Math.Round(percent, 2), moreThan);
        threshold.Check(v, field);
        return threshold;
    }

    /// <summary>Adds this threshold's violations under <paramref name="field"/>.</summary>
    public void Check(Validation v, string field)
    {
        v.Check(Percent > 0m && Percent <= 100m, $"{field}.percent", "must be greater than 0 and at most 100");
        v.Check(!(MoreThan && Percent >= 100m), $"{field}.more_than", "more than 100 % can never be reached");
    }

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

/// <summary>A member on a space's roll now, as an assembly sees them: their role and whether they are in the room.</summary>
public sealed record RollEntry(Guid MemberId, MemberRole Role, bool Present);

/// <summary>
/// Who counts in an assembly: the voting members on the roll, and those of them present. Quorum is
/// measured on it, and a ballot's electorate is its present voters at the moment the ballot opens.
/// </summary>
public sealed record Electorate(int OnRoll, IReadOnlyList<Guid> Present)
{
    /// <param name="roll">The space's active members (those who have not left).</param>
    public static Electorate Of(IEnumerable<RollEntry> roll)
    {
        var voters = roll.Where(m => Member.HasVoteFor(m.Role)).ToList();
        return new Electorate(voters.Count, [.. voters.Where(m => m.Present).Select(m => m.MemberId)]);
    }

    public QuorumCount Quorum(Space space, AssemblyCall call) =>
        space.QuorumFor(call).Evaluate(call, OnRoll, Present.Count);
}
