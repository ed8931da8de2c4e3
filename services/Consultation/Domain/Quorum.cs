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

    /// <param name="represented">Absent voting members represented by a proxy, when the space counts them for quorum.</param>
    public QuorumCount Evaluate(AssemblyCall call, int votingMembersOnRoll, int votingMembersPresent, int represented = 0)
    {
        var required = RequiredPresent(votingMembersOnRoll);
        return new QuorumCount(call, votingMembersOnRoll, votingMembersPresent, required, votingMembersPresent + represented >= required, represented);
    }
}

/// <param name="Represented">Absent voting members counted through a proxy (carta poder); 0 unless the space counts them.</param>
public sealed record QuorumCount(AssemblyCall Call, int OnRoll, int Present, int Required, bool Reached, int Represented = 0);

/// <summary>
/// A member on a space's roll now, as an assembly sees them: their role, whether they are in the room, and who holds
/// their proxy in this assembly, if anyone.
/// </summary>
public sealed record RollEntry(Guid MemberId, MemberRole Role, bool Present, Guid? ProxyHolderId = null);

/// <summary>An absent voting member represented by a present one carrying their proxy (carta poder).</summary>
public sealed record Representation(Guid MemberId, Guid HolderId);

/// <summary>
/// Who counts in an assembly: the voting members on the roll, those of them present, and the absent ones represented
/// by a proxy whose holder is present. Quorum is measured on it, and a ballot's electorate is its present voters and
/// represented members at the moment the ballot opens.
/// </summary>
public sealed record Electorate(int OnRoll, IReadOnlyList<Guid> Present, IReadOnlyList<Representation>? Represented = null)
{
    /// <summary>Represented members (none when not given).</summary>
    public IReadOnlyList<Representation> Proxies => Represented ?? [];

    /// <param name="roll">The space's active members (those who have not left).</param>
    public static Electorate Of(IEnumerable<RollEntry> roll)
    {
        var voters = roll.Where(m => Member.HasVoteFor(m.Role)).ToList();
        var present = voters.Where(m => m.Present).Select(m => m.MemberId).ToList();
        var holders = present.ToHashSet();

        // A proxy counts while its member is absent and its holder, a voting member on the roll, is in the room.
        var represented = voters
            .Where(m => !m.Present && m.ProxyHolderId is { } holder && holders.Contains(holder))
            .Select(m => new Representation(m.MemberId, m.ProxyHolderId!.Value))
            .ToList();
        return new Electorate(voters.Count, present, represented);
    }

    public QuorumCount Quorum(Space space, AssemblyCall call) =>
        space.QuorumFor(call).Evaluate(call, OnRoll, Present.Count, space.ProxiesCountForQuorum ? Proxies.Count : 0);
}
