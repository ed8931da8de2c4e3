using Watershed.Consultation.Domain;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Domain objects built through their own factories and methods, as the service builds them.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 19, 30, 0, TimeSpan.Zero);

    public static Actor Facilitator { get; } = new(null, ActsForOthers: true, "facilitator@test");

    public static Actor MemberActing(Member member) => new(member.PersonId, ActsForOthers: false, $"person:{member.PersonId}");

    public static Space Space(bool publicBallots = false, params DecisionRuleOverride[] overrides) =>
        Consultation.Domain.Space.Create(Guid.NewGuid(), "Asamblea General", SpaceKind.CommunityAssembly, null, null, publicBallots, overrides, Now);

    public static Organization Community(Space space) =>
        Organization.Create(space.WatershedId, "Comunidad Campesina de Manzanares", OrganizationKind.Community, Now);

    public static Person Person(Space space, string name = "Rosa Quispe") =>
        Consultation.Domain.Person.Create(space.WatershedId, name, null, "", "qu", Now);

    public static Member Member(Space space, MemberRole role = MemberRole.VotingMember) =>
        Consultation.Domain.Member.Join(space, Person(space), role, role == MemberRole.Delegate ? Community(space) : null, alreadyOnRoll: false, Now);

    /// <summary><paramref name="onRoll"/> voting members of whom the first <paramref name="present"/> are in the room.</summary>
    public static Electorate Electorate(int onRoll, int present) =>
        new(onRoll, [.. Enumerable.Range(0, present).Select(_ => Guid.NewGuid())]);

    public static Assembly ConvenedAssembly(Space space) =>
        Assembly.Convene(space, "Asamblea ordinaria", "Local comunal", Now, ["Plan de uso del suelo"]);

    public static Assembly OpenAssembly(Space space, Electorate electorate, AssemblyCall call = AssemblyCall.First)
    {
        var assembly = ConvenedAssembly(space);
        assembly.Open(space, call, electorate, Now);
        return assembly;
    }

    /// <summary>Closes an assembly whose roll is <paramref name="electorate"/> (three voters all present by default) and whose acta lists nobody.</summary>
    public static (QuorumCount Quorum, IReadOnlyList<AssemblyRollEntry> Roll) Close(Assembly assembly, Space space, bool anyBallotOpen = false, Electorate? electorate = null) =>
        assembly.Close(anyBallotOpen, space, electorate ?? Electorate(3, 3), [], Now);

    public static Proposal Draft(Space space, ProposalType type = ProposalType.General, params (string Kind, string Id)[] references) =>
        Proposal.Create(space, "Reforestar la cabecera de cuenca", "", type, Community(space), null, references, Facilitator, Now);

    /// <summary>A land-use change listed in the call of an assembly convened for it, opened with <paramref name="electorate"/>.</summary>
    public static (Assembly Assembly, Proposal Proposal) LandAct(Space space, Electorate electorate)
    {
        var proposal = Draft(space, ProposalType.LandUseChange);
        proposal.Submit(Facilitator);
        var assembly = Assembly.Convene(space, "Asamblea extraordinaria", "Local comunal", Now, [], [proposal]);
        assembly.Open(space, AssemblyCall.First, electorate, Now);
        return (assembly, proposal);
    }

    public static Proposal OnAgenda(Space space, Assembly assembly, ProposalType type = ProposalType.General)
    {
        var proposal = Draft(space, type, type == ProposalType.PlanApproval ? [(Proposal.PlanVersionKind, "v1")] : []);
        proposal.Submit(Facilitator);
        proposal.PlaceOnAgenda(assembly);
        return proposal;
    }

    /// <summary>An open ballot on a fresh proposal in an open assembly where everyone on the roll is present.</summary>
    /// <remarks>Receipts are linked unless asked otherwise, so an entry can be followed from its receipt.</remarks>
    public static (Ballot Ballot, Proposal Proposal, IReadOnlyList<BallotElector> Electors) OpenBallot(
        int voters, DecisionRule? rule = null, BallotSecrecy? secrecy = BallotSecrecy.Secret, ReceiptMode? receipts = ReceiptMode.Linked, Space? space = null)
    {
        space ??= Space();
        var electorate = Electorate(voters, voters);
        var assembly = OpenAssembly(space, electorate);
        var proposal = OnAgenda(space, assembly);
        var (ballot, electors) = Ballot.Open(proposal, assembly, space, electorate, new BallotOptions(rule, secrecy, receipts), Now);
        return (ballot, proposal, electors);
    }

    public static Vote Vote(Guid memberId, VoteChoice choice, string requestId = "request-0001") =>
        new(memberId, choice, VoteChannel.RecordedByFacilitator, requestId, "facilitator@test");
}
