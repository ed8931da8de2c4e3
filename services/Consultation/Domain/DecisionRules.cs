using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>Counts of one ballot; maintained as votes arrive and recomputable from the ballot log.</summary>
public sealed record Tally(int Yes, int No, int Abstain, int Block)
{
    public static Tally Empty { get; } = new(0, 0, 0, 0);

    public int Cast => Yes + No + Abstain + Block;

    public Tally With(VoteChoice choice) => choice switch
    {
        VoteChoice.Yes => this with { Yes = Yes + 1 },
        VoteChoice.No => this with { No = No + 1 },
        VoteChoice.Abstain => this with { Abstain = Abstain + 1 },
        VoteChoice.Block => this with { Block = Block + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Unknown vote choice."),
    };

    /// <summary>The counts with a paper box's yes, no, abstain and block ballots (blank and spoiled ones count for no side).</summary>
    public Tally Plus(PaperCount paper) =>
        new(Yes + paper.Yes, No + paper.No, Abstain + paper.Abstain, Block + paper.Block);

    /// <summary>The counts without one vote of <paramref name="choice"/>: a voided vote.</summary>
    public Tally Without(VoteChoice choice) => choice switch
    {
        VoteChoice.Yes => this with { Yes = Yes - 1 },
        VoteChoice.No => this with { No = No - 1 },
        VoteChoice.Abstain => this with { Abstain = Abstain - 1 },
        VoteChoice.Block => this with { Block = Block - 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Unknown vote choice."),
    };
}

public sealed record DecisionOutcome(bool Approved, int RequiredYes, string Explanation);

/// <summary>The decision rules, each in one place, and which rule a proposal type gets.</summary>
public static class DecisionRules
{
    /// <summary>
    /// Default rule per proposal type. Land-use changes dispose of communal land, which in the
    /// highlands needs two thirds of ALL members on the roll (Ley 26505 art. 11).
    /// </summary>
    public static DecisionRule DefaultFor(ProposalType type) => type switch
    {
        ProposalType.LandUseChange => DecisionRule.TwoThirdsOfRoll,
        ProposalType.BudgetItem => DecisionRule.AbsoluteMajorityOfPresent,
        ProposalType.PlanApproval => DecisionRule.AbsoluteMajorityOfPresent,
        _ => DecisionRule.SimpleMajority,
    };

    /// <summary>The legal floor: a land-use change can never be decided by a weaker rule.</summary>
    public static bool IsAllowedFor(ProposalType type, DecisionRule rule) =>
        type != ProposalType.LandUseChange || rule == DecisionRule.TwoThirdsOfRoll;

    public const string LegalFloorViolation = "a land-use change needs two thirds of all members on the roll (Ley 26505 art. 11)";

    /// <summary>
    /// The rule a ballot on a proposal of <paramref name="type"/> is decided by: the one the facilitator asks for,
    /// else the space's override, else the default; whichever it is, never below the legal floor.
    /// </summary>
    /// <exception cref="InvalidArgumentException">The rule (asked for or set by the space) is below the legal floor.</exception>
    public static DecisionRule For(ProposalType type, DecisionRule? requested, Space space)
    {
        var rule = requested ?? space.RuleFor(type);
        return IsAllowedFor(type, rule) ? rule : throw new InvalidArgumentException("rule", LegalFloorViolation);
    }

    public static bool AllowsChoice(DecisionRule rule, VoteChoice choice) =>
        choice != VoteChoice.Block || rule == DecisionRule.Consensus;

    /// <param name="eligible">Voting members present when the ballot opened.</param>
    /// <param name="roll">Voting members on the roll when the ballot opened.</param>
    public static DecisionOutcome Evaluate(DecisionRule rule, Tally tally, int eligible, int roll)
    {
        switch (rule)
        {
            case DecisionRule.SimpleMajority:
                {
                    // Abstentions are not votes for either side; a tie is not a majority.
                    var approved = tally.Yes > tally.No;
                    return new DecisionOutcome(approved, tally.No + 1,
                        $"{tally.Yes} yes against {tally.No} no ({tally.Abstain} abstentions not counted); a simple majority needs more yes than no.");
                }

            case DecisionRule.AbsoluteMajorityOfPresent:
                {
                    var required = (eligible / 2) + 1;
                    return new DecisionOutcome(tally.Yes >= required, required,
                        $"{tally.Yes} yes of {eligible} voting members present; an absolute majority needs {required}.");
                }

            case DecisionRule.TwoThirdsOfRoll:
                {
                    // Absentees count against: the base is the whole roll, not those present.
                    var required = Math.Max(1, (int)Math.Ceiling(roll * 2m / 3m));
                    return new DecisionOutcome(tally.Yes >= required, required,
                        $"{tally.Yes} yes of {roll} voting members on the roll; two thirds of the roll needs {required}.");
                }

            case DecisionRule.Consensus:
                {
                    var approved = tally.Block == 0 && tally.Yes >= 1;
                    var why = tally.Block > 0
                        ? $"{tally.Block} block(s); consensus fails on any block."
                        : tally.Yes == 0
                            ? "No yes vote; consensus needs at least one yes and no block."
                            : $"{tally.Yes} yes, {tally.No} no, no block; consensus reached.";
                    return new DecisionOutcome(approved, 1, why);
                }

            default:
                throw new InvalidArgumentException("rule", $"has no value {(int)rule}");
        }
    }
}
