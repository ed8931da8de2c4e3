using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Domain;

/// <summary>
/// What a space's statute says beyond quorum and rules. Proxies (cartas poder) are off unless
/// <paramref name="MaxProxiesPerHolder"/> is set: no law was found that allows or forbids them, so a space whose statute
/// allows them turns them on.
/// </summary>
/// <param name="ShowRunningCounts">Secret ballots show their counts while open.</param>
/// <param name="MaxProxiesPerHolder">How many absent members one present member may represent; 0: no proxies.</param>
/// <param name="ProxiesCountForQuorum">Represented members count as present for quorum.</param>
public sealed record SpaceSettings(bool ShowRunningCounts = false, int MaxProxiesPerHolder = 0, bool ProxiesCountForQuorum = false)
{
    public const int MaxProxiesLimit = 10;

    public void Check(Validation v) =>
        v.Check(MaxProxiesPerHolder is >= 0 and <= MaxProxiesLimit, "rules.proxies.max_per_holder", $"must be from 0 (no proxies) to {MaxProxiesLimit}");
}

/// <summary>A decision rule a space sets for one type of proposal instead of the default.</summary>
public sealed record DecisionRuleOverride(ProposalType Type, DecisionRule Rule);

/// <summary>A consultation space of a watershed: a community assembly, a budget round, a basin council.</summary>
public sealed class Space
{
    private Space()
    {
    }

    public Guid Id { get; private set; }

    public Guid WatershedId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public SpaceKind Kind { get; private set; }

    public QuorumThreshold FirstCallQuorum { get; private set; } = QuorumThreshold.DefaultFirstCall;

    public QuorumThreshold SecondCallQuorum { get; private set; } = QuorumThreshold.DefaultSecondCall;

    /// <summary>Ballots are public unless opened as secret; by default they are secret.</summary>
    public bool PublicBallots { get; private set; }

    /// <summary>Whether secret ballots show their counts while voting goes on; by default they hide them until they close.</summary>
    public bool ShowRunningCounts { get; private set; }

    /// <summary>How many absent members one present member may represent by proxy; 0 (the default): no proxies.</summary>
    public int MaxProxiesPerHolder { get; private set; }

    /// <summary>Whether members represented by proxy count as present for quorum (they always belong to the electorate).</summary>
    public bool ProxiesCountForQuorum { get; private set; }

    public bool AllowsProxies => MaxProxiesPerHolder > 0;

    // One override column per proposal type keeps the rules queryable and explicit.
    public DecisionRule? GeneralRule { get; private set; }

    public DecisionRule? LandUseChangeRule { get; private set; }

    public DecisionRule? BudgetItemRule { get; private set; }

    public DecisionRule? PlanApprovalRule { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <param name="firstCallQuorum">Null for the default (more than half).</param>
    /// <param name="secondCallQuorum">Null for the default (at least 30 %).</param>
    /// <exception cref="InvalidArgumentException">The name or an override breaks a rule (all of them are named).</exception>
    public static Space Create(Guid watershedId, string name, SpaceKind kind, QuorumThreshold? firstCallQuorum, QuorumThreshold? secondCallQuorum,
        bool publicBallots, IReadOnlyList<DecisionRuleOverride> overrides, DateTimeOffset now, SpaceSettings? settings = null)
    {
        var v = new Validation();
        var cleanName = CheckName(v, name);
        settings ??= new SpaceSettings();
        settings.Check(v);
        CheckOverrides(v, [.. overrides.Select(o => ((ProposalType?)o.Type, (DecisionRule?)o.Rule))]);
        firstCallQuorum?.Check(v, "rules.first_call_quorum");
        secondCallQuorum?.Check(v, "rules.second_call_quorum");
        v.ThrowIfInvalid();
        var space = new Space
        {
            Id = Guid.CreateVersion7(),
            WatershedId = watershedId,
            Name = cleanName,
            Kind = kind,
            FirstCallQuorum = firstCallQuorum ?? QuorumThreshold.DefaultFirstCall,
            SecondCallQuorum = secondCallQuorum ?? QuorumThreshold.DefaultSecondCall,
            PublicBallots = publicBallots,
            ShowRunningCounts = settings.ShowRunningCounts,
            MaxProxiesPerHolder = settings.MaxProxiesPerHolder,
            ProxiesCountForQuorum = settings.ProxiesCountForQuorum,
            CreatedAt = now,
        };
        foreach (var o in overrides)
        {
            space.SetOverride(o.Type, o.Rule);
        }

        return space;
    }

    /// <returns>The name as stored (trimmed).</returns>
    public static string CheckName(Validation v, string name) => v.Text(name, "name");

    /// <summary>
    /// One override per proposal type, and none below the legal floor. A null type or rule is one the request
    /// did not give validly (its own violation is named elsewhere) and is skipped.
    /// </summary>
    public static void CheckOverrides(Validation v, IReadOnlyList<(ProposalType? Type, DecisionRule? Rule)> overrides)
    {
        var seen = new HashSet<ProposalType>();
        for (var i = 0; i < overrides.Count; i++)
        {
            if (overrides[i] is not ({ } type, { } rule))
            {
                continue;
            }

            var field = $"rules.decision_rules[{i}]";
            if (!seen.Add(type))
            {
                v.Add($"{field}.proposal_type", "is given more than once");
            }
            else if (!DecisionRules.IsAllowedFor(type, rule))
            {
                v.Add($"{field}.rule", DecisionRules.LegalFloorViolation);
            }
        }
    }

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

    /// <summary>Whether a ballot opened here is secret when the facilitator does not say.</summary>
    public bool SecretBallotsByDefault => !PublicBallots;

    private void SetOverride(ProposalType type, DecisionRule rule)
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

/// <summary>A person on a space's roll (padrón). Leaving sets <see cref="LeftAt"/>; the row stays for history.</summary>
public sealed class Member
{
    private Member()
    {
    }

    public Guid Id { get; private set; }

    public Guid SpaceId { get; private set; }

    public Guid PersonId { get; private set; }

    public MemberRole Role { get; private set; }

    /// <summary>For delegates: the organisation they vote for.</summary>
    public Guid? OrganizationId { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    public DateTimeOffset? LeftAt { get; private set; }

    public bool HasVote => HasVoteFor(Role);

    public bool IsActive => LeftAt is null;

    /// <summary>Voice and vote: voting members and delegates. Facilitators, technical staff and observers have voice only.</summary>
    public static bool HasVoteFor(MemberRole role) => role is MemberRole.VotingMember or MemberRole.Delegate;

    /// <summary>Puts a person of the space's watershed on its roll.</summary>
    /// <param name="alreadyOnRoll">The person holds an active membership of the space already.</param>
    /// <exception cref="InvalidArgumentException">A delegate without the organisation it votes for.</exception>
    /// <exception cref="NotFoundException">The person or the organisation is of another watershed.</exception>
    /// <exception cref="AlreadyExistsException">The person is on the roll already.</exception>
    public static Member Join(Space space, Person person, MemberRole role, Organization? organization, bool alreadyOnRoll, DateTimeOffset now)
    {
        var v = new Validation();
        CheckRole(v, role, organization is not null);
        v.ThrowIfInvalid();
        if (person.WatershedId != space.WatershedId)
        {
            throw new NotFoundException("person", person.Id.ToString());
        }

        if (organization is not null && organization.WatershedId != space.WatershedId)
        {
            throw new NotFoundException("organization", organization.Id.ToString());
        }

        if (alreadyOnRoll)
        {
            throw AlreadyOnRoll(person.Id);
        }

        return new Member
        {
            Id = Guid.CreateVersion7(),
            SpaceId = space.Id,
            PersonId = person.Id,
            Role = role,
            OrganizationId = organization?.Id,
            JoinedAt = now,
        };
    }

    /// <summary>The answer when a person joins a roll they are on, whether found first or refused by the unique key.</summary>
    public static AlreadyExistsException AlreadyOnRoll(Guid personId) =>
        new("member", personId.ToString(), "This person is on this space's roll already.");

    /// <summary>A delegate votes for an organisation, so it must name one.</summary>
    /// <param name="role">Null when the request gave no valid role (named elsewhere).</param>
    public static void CheckRole(Validation v, MemberRole? role, bool hasOrganization) =>
        v.Check(role != MemberRole.Delegate || hasOrganization,
            "organization_id", "is required for a delegate: the organisation the delegate votes for");

    /// <exception cref="PreconditionFailedException">The member has left already.</exception>
    public void Leave(DateTimeOffset now)
    {
        EnsureActive("The member has left the roll already.");
        LeftAt = now;
    }

    /// <exception cref="PreconditionFailedException">The member has left the roll.</exception>
    public void EnsureActive(string description = "The member is no longer on the roll.")
    {
        if (!IsActive)
        {
            throw new PreconditionFailedException("MEMBER_STATE", $"members/{Id}", description);
        }
    }
}
