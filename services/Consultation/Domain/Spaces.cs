namespace Watershed.Consultation.Domain;

/// <summary>A consultation space of a watershed: a community assembly, a budget round, a basin council.</summary>
public sealed class Space
{
    public Guid Id { get; init; }

    public Guid WatershedId { get; init; }

    public required string Name { get; set; }

    public SpaceKind Kind { get; set; }

    public required QuorumThreshold FirstCallQuorum { get; set; }

    public required QuorumThreshold SecondCallQuorum { get; set; }

    public bool PublicBallots { get; set; }

    // One override column per proposal type keeps the rules queryable and explicit.
    public DecisionRule? GeneralRule { get; set; }

    public DecisionRule? LandUseChangeRule { get; set; }

    public DecisionRule? BudgetItemRule { get; set; }

    public DecisionRule? PlanApprovalRule { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public QuorumThreshold QuorumFor(AssemblyCall call) =>
        call == AssemblyCall.Second ? SecondCallQuorum : FirstCallQuorum;

    public DecisionRule RuleFor(ProposalType type) =>
        OverrideFor(type) ?? DecisionRules.DefaultFor(type);

    public DecisionRule? OverrideFor(ProposalType type) => type switch
    {
        ProposalType.General => GeneralRule,
        ProposalType.LandUseChange => LandUseChangeRule,
        ProposalType.BudgetItem => BudgetItemRule,
        ProposalType.PlanApproval => PlanApprovalRule,
        _ => null,
    };

    public void SetOverride(ProposalType type, DecisionRule rule)
    {
        switch (type)
        {
            case ProposalType.General: GeneralRule = rule; break;
            case ProposalType.LandUseChange: LandUseChangeRule = rule; break;
            case ProposalType.BudgetItem: BudgetItemRule = rule; break;
            case ProposalType.PlanApproval: PlanApprovalRule = rule; break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown proposal type.");
        }
    }
}

/// <summary>A person on a space's roll. Leaving sets <see cref="LeftAt"/>; the row stays for history.</summary>
public sealed class Member
{
    public Guid Id { get; init; }

    public Guid SpaceId { get; init; }

    public Guid PersonId { get; init; }

    public MemberRole Role { get; init; }

    /// <summary>For delegates: the organisation they vote for.</summary>
    public Guid? OrganizationId { get; init; }

    public DateTimeOffset JoinedAt { get; init; }

    public DateTimeOffset? LeftAt { get; set; }

    public bool HasVote => HasVoteFor(Role);

    public bool IsActive => LeftAt is null;

    /// <summary>Voice and vote: voting members and delegates. Facilitators, technical staff and observers have voice only.</summary>
    public static bool HasVoteFor(MemberRole role) => role is MemberRole.VotingMember or MemberRole.Delegate;
}
