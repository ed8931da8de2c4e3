using Google.Protobuf.WellKnownTypes;
using Watershed.Common.V1;
using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Grpc;
using V1 = Watershed.Consultation.V1;
using WatershedEntity = Watershed.Consultation.Domain.Watershed;

namespace Watershed.Consultation.Grpc;

/// <summary>Domain ↔ contract mapping. Enums map by number to their twins through <see cref="EnumMapping"/>.</summary>
internal static class Mapping
{
    /// <summary>
    /// The domain twin of a proto enum value while a request is being validated: null for zero or an undefined
    /// number, whose violation <see cref="ServiceDefaults.Errors.Validation"/> names, so rules can skip it.
    /// </summary>
    public static TDomain? DefinedOrNull<TProto, TDomain>(this TProto value)
        where TProto : struct, System.Enum
        where TDomain : struct, System.Enum =>
        System.Enum.IsDefined(value) ? value.ToDomainOrNull<TProto, TDomain>() : null;

    public static Timestamp? ToTimestamp(this DateTimeOffset? value) =>
        value is null ? null : Timestamp.FromDateTimeOffset(value.Value);

    public static Timestamp ToTimestamp(this DateTimeOffset value) => Timestamp.FromDateTimeOffset(value);

    public static string ToText(this Guid? id) => id?.ToString() ?? string.Empty;

    public static V1.Watershed ToContract(this WatershedEntity w) => new()
    {
        Id = w.Id.ToString(),
        Code = w.Code,
        Name = w.Name,
        Region = w.Region,
        District = w.District,
        CreatedAt = w.CreatedAt.ToTimestamp(),
    };

    public static V1.Organization ToContract(this Organization o) => new()
    {
        Id = o.Id.ToString(),
        WatershedId = o.WatershedId.ToString(),
        Name = o.Name,
        Kind = o.Kind.ToContract<OrganizationKind, V1.OrganizationKind>(),
        CreatedAt = o.CreatedAt.ToTimestamp(),
    };

    /// <param name="withContactDetails">
    /// Whether the phone, e-mail address, consents, DNI and sex go out: only to whoever may read the roll's contacts, or
    /// to the person.
    /// </param>
    public static V1.Person ToContract(this Person p, bool withContactDetails = true)
    {
        var contract = new V1.Person
        {
            Id = p.Id.ToString(),
            WatershedId = p.WatershedId.ToString(),
            FullName = p.FullName,
            OrganizationId = p.OrganizationId.ToText(),
            PreferredLanguage = p.PreferredLanguage,
            CreatedAt = p.CreatedAt.ToTimestamp(),
        };
        if (withContactDetails)
        {
            contract.PhoneNumber = p.PhoneNumber;
            contract.Email = p.Email;
            contract.Consents.AddRange(p.Consents.ToContract());
            contract.NationalId = p.NationalId;
            contract.Sex = p.Sex is { } sex ? sex.ToContract<Sex, V1.Sex>() : V1.Sex.Unspecified;
        }

        return contract;
    }

    /// <summary>By channel, so a reader sees them in one order.</summary>
    public static IEnumerable<V1.ChannelConsent> ToContract(this IEnumerable<PersonConsent> consents) =>
        consents.OrderBy(c => c.Channel).Select(c => new V1.ChannelConsent
        {
            Channel = c.Channel.ToContract<ContactChannel, V1.ContactChannel>(),
            Granted = c.Granted,
            RecordedAt = c.RecordedAt.ToTimestamp(),
        });

    public static V1.ConsultationScope ToScope(this WatershedEntity watershed, Guid spaceId) => new()
    {
        WatershedId = watershed.Id.ToString(),
        WatershedCode = watershed.Code,
        SpaceId = spaceId.ToString(),
    };

    public static IEnumerable<ExternalReference> ToContract(this IEnumerable<ProposalReference> references) =>
        references.OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.ExternalId, StringComparer.Ordinal)
            .Select(r => new ExternalReference { Kind = r.Kind, Id = r.ExternalId });

    public static V1.QuorumThreshold ToContract(this QuorumThreshold q) => new()
    {
        Percent = (double)q.Percent,
        MoreThan = q.MoreThan,
    };

    public static V1.Space ToContract(this Space s)
    {
        var rules = new V1.SpaceRules
        {
            FirstCallQuorum = s.FirstCallQuorum.ToContract(),
            SecondCallQuorum = s.SecondCallQuorum.ToContract(),
            PublicBallots = s.PublicBallots,
            ShowRunningCounts = s.ShowRunningCounts,
            Proxies = new V1.ProxyRules { MaxPerHolder = s.MaxProxiesPerHolder, CountInQuorum = s.ProxiesCountForQuorum },
        };
        foreach (var type in System.Enum.GetValues<ProposalType>())
        {
            if (s.OverrideFor(type) is { } rule)
            {
                rules.DecisionRules.Add(new V1.DecisionRuleOverride { ProposalType = type.ToContract<ProposalType, V1.ProposalType>(), Rule = rule.ToContract<DecisionRule, V1.DecisionRule>() });
            }
        }

        return new V1.Space
        {
            Id = s.Id.ToString(),
            WatershedId = s.WatershedId.ToString(),
            Name = s.Name,
            Kind = s.Kind.ToContract<SpaceKind, V1.SpaceKind>(),
            Rules = rules,
            CreatedAt = s.CreatedAt.ToTimestamp(),
        };
    }

    public static V1.Member ToContract(this Member m, string fullName) => new()
    {
        Id = m.Id.ToString(),
        SpaceId = m.SpaceId.ToString(),
        PersonId = m.PersonId.ToString(),
        FullName = fullName,
        Role = m.Role.ToContract<MemberRole, V1.MemberRole>(),
        OrganizationId = m.OrganizationId.ToText(),
        HasVote = m.HasVote,
        JoinedAt = m.JoinedAt.ToTimestamp(),
    };

    public static V1.Quorum ToContract(this QuorumCount q) => new()
    {
        Call = q.Call.ToContract<AssemblyCall, V1.AssemblyCall>(),
        VotingMembersOnRoll = q.OnRoll,
        VotingMembersPresent = q.Present,
        Required = q.Required,
        Reached = q.Reached,
        RepresentedByProxy = q.Represented,
    };

    /// <param name="live">The quorum now, for an assembly that is not closed (a closed one reports the quorum frozen at its close).</param>
    public static V1.Assembly ToContract(this Assembly a, QuorumCount? live = null)
    {
        var contract = new V1.Assembly
        {
            Id = a.Id.ToString(),
            SpaceId = a.SpaceId.ToString(),
            Title = a.Title,
            Place = a.Place,
            ScheduledAt = a.ScheduledAt.ToTimestamp(),
            State = a.State.ToContract<AssemblyState, V1.AssemblyState>(),
            Call = a.Call is { } call ? call.ToContract<AssemblyCall, V1.AssemblyCall>() : V1.AssemblyCall.Unspecified,
            OpenedAt = a.OpenedAt.ToTimestamp(),
            ClosedAt = a.ClosedAt.ToTimestamp(),
            Quorum = (a.FrozenQuorum ?? live)?.ToContract(),
            OpeningQuorum = a.OpeningQuorum?.ToContract(),
        };
        contract.Agenda.AddRange(a.Agenda);
        contract.ProposalIds.AddRange(a.ConvenedProposalIds.Select(id => id.ToString()));
        return contract;
    }

    public static V1.Proposal ToContract(this Proposal p, WatershedEntity watershed)
    {
        var contract = new V1.Proposal
        {
            WatershedId = watershed.Id.ToString(),
            WatershedCode = watershed.Code,
            Id = p.Id.ToString(),
            SpaceId = p.SpaceId.ToString(),
            Title = p.Title,
            Description = p.Description,
            Type = p.Type.ToContract<ProposalType, V1.ProposalType>(),
            State = p.State.ToContract<ProposalState, V1.ProposalState>(),
            SubmittedByOrganizationId = p.SubmittedByOrganizationId.ToText(),
            SubmittedByPersonId = p.SubmittedByPersonId.ToText(),
            AssemblyId = p.AssemblyId.ToText(),
            BallotId = p.BallotId.ToText(),
            CreatedAt = p.CreatedAt.ToTimestamp(),
            DecidedAt = p.DecidedAt.ToTimestamp(),
        };
        contract.References.AddRange(p.References.ToContract());
        return contract;
    }

    /// <summary>A ballot as callers may see it: while it hides its counts, no tally and no log hash (see <see cref="Ballot.CountsHidden"/>).</summary>
    public static V1.Ballot ToContract(this Ballot b) => new()
    {
        Id = b.Id.ToString(),
        ProposalId = b.ProposalId.ToString(),
        AssemblyId = b.AssemblyId.ToString(),
        Rule = b.Rule.ToContract<DecisionRule, V1.DecisionRule>(),
        Secret = b.Secret,
        State = b.State.ToContract<BallotState, V1.BallotState>(),
        Eligible = b.Eligible,
        Roll = b.Roll,
        Tally = b.CountsHidden ? null : new V1.Tally { Yes = b.Yes, No = b.No, Abstain = b.Abstain, Block = b.Block, Cast = b.Tally.Cast },
        Result = b.Approved is { } approved
            ? new V1.BallotResult { Approved = approved, RequiredYes = b.RequiredYes ?? 0, Explanation = b.Explanation }
            : null,
        LogHeadHash = b.CountsHidden ? string.Empty : b.HeadHash,
        OpenedAt = b.OpenedAt.ToTimestamp(),
        ClosedAt = b.ClosedAt.ToTimestamp(),
        Voided = b.Voided,
        TallyHidden = b.CountsHidden,
        VotesCast = b.Tally.Cast,
        Receipts = b.Receipts.ToContract<ReceiptMode, V1.ReceiptMode>(),
        Paper = b.PaperBallotsIssued == 0 ? null : new V1.PaperBallots
        {
            BallotsIssued = b.PaperBallotsIssued,
            TallyState = b.PaperTally.ToContract<PaperTallyState, V1.PaperTallyState>(),
            Blank = b.CountsHidden ? 0 : b.Blank,
            Spoiled = b.CountsHidden ? 0 : b.Spoiled,
        },
    };

    /// <param name="countsHidden">The ballot hides its counts: the entry goes without its choice and its hashes.</param>
    public static V1.BallotLogEntry ToContract(this BallotLogEntry e, bool countsHidden = false) => new()
    {
        Sequence = e.Sequence,
        ReceiptCode = e.ReceiptCode,
        Choice = countsHidden ? V1.VoteChoice.Unspecified : e.Choice.ToContract<VoteChoice, V1.VoteChoice>(),
        MemberId = e.MemberId ?? string.Empty,
        PreviousHash = countsHidden ? string.Empty : e.PreviousHash,
        EntryHash = countsHidden ? string.Empty : e.EntryHash,
        Kind = e.Kind.ToContract<BallotLogEntryKind, V1.BallotLogEntryKind>(),
        VoidedSequence = e.VoidedSequence ?? 0,
        Reason = e.Reason ?? string.Empty,
        PaperCount = countsHidden || e.Paper is not { } paper ? null : new V1.PaperCount
        {
            Yes = paper.Yes, No = paper.No, Abstain = paper.Abstain, Block = paper.Block, Blank = paper.Blank, Spoiled = paper.Spoiled,
        },
        BallotsIssued = e.PaperBallotsIssued ?? 0,
    };

    public static V1.Attendance ToContract(this MinutesAttendee a) => new()
    {
        MemberId = a.MemberId.ToString(),
        PersonId = a.PersonId.ToString(),
        FullName = a.FullName,
        Role = a.Role.ToContract<MemberRole, V1.MemberRole>(),
        HasVote = a.HasVote,
        Present = a.Present,
        RecordedAt = a.RecordedAt.ToTimestamp(),
        RepresentedByMemberId = a.RepresentedBy.ToText(),
    };

    public static V1.MinutesCorrection ToContract(this MinutesCorrection c) => new()
    {
        Number = c.Number,
        Text = c.Text,
        RecordedAt = c.RecordedAt.ToTimestamp(),
    };

    public static V1.Proxy ToContract(this Proxy p) => new()
    {
        AssemblyId = p.AssemblyId.ToString(),
        MemberId = p.MemberId.ToString(),
        HolderMemberId = p.HolderMemberId.ToString(),
        DocumentReference = p.DocumentReference,
        RegisteredAt = p.RegisteredAt.ToTimestamp(),
        RevokedAt = p.RevokedAt.ToTimestamp(),
    };

    public static V1.Decision ToContract(this MinutesDecision d)
    {
        var decision = new V1.Decision
        {
            ProposalId = d.ProposalId.ToString(),
            ProposalTitle = d.Title,
            ProposalType = d.Type.ToContract<ProposalType, V1.ProposalType>(),
            Rule = d.Rule.ToContract<DecisionRule, V1.DecisionRule>(),
            Secret = d.Secret,
            Yes = d.Tally.Yes,
            No = d.Tally.No,
            Abstain = d.Tally.Abstain,
            Block = d.Tally.Block,
            Eligible = d.Eligible,
            Roll = d.Roll,
            RequiredYes = d.RequiredYes,
            Approved = d.Approved,
            LogHeadHash = d.LogHeadHash,
            PaperBallotsIssued = d.Paper.Issued,
            Blank = d.Paper.Blank,
            Spoiled = d.Paper.Spoiled,
        };
        decision.Voids.AddRange(d.Voids.Select(x => new V1.VoidedVote { Sequence = x.Sequence, VoidedSequence = x.VoidedSequence, Reason = x.Reason }));
        return decision;
    }

    /// <param name="quorum">The assembly's quorum: frozen at its close, or now while it is convened or open.</param>
    public static V1.Minutes ToContract(this MinutesData m, QuorumCount quorum)
    {
        var minutes = new V1.Minutes
        {
            Assembly = m.Assembly.ToContract(quorum),
            Quorum = m.Assembly.OpeningQuorum?.ToContract(),
            BySex = m.BySex is { } b ? new V1.AttendanceBySex
            {
                Women = b.Women, WomenPresent = b.WomenPresent, Men = b.Men, MenPresent = b.MenPresent,
                Unregistered = b.Unregistered, UnregisteredPresent = b.UnregisteredPresent,
            } : null,
            Region = m.Region,
            District = m.District,
            SpaceName = m.SpaceName,
            WatershedName = m.WatershedName,
        };
        minutes.Attendance.AddRange(m.Attendance.Select(a => a.ToContract()));
        minutes.Decisions.AddRange(m.Decisions.Select(d => d.ToContract()));
        minutes.Corrections.AddRange((m.Corrections ?? []).Select(c => c.ToContract()));
        return minutes;
    }
}
