using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>What a new proposal must carry and who may submit, submit for the vote or withdraw it.</summary>
public sealed class ProposalRulesTests
{
    private readonly Space _space = Samples.Space();

    private static string[] Fields(Action create) =>
        [.. Assert.Throws<InvalidArgumentException>(create).Violations.Select(v => v.Field).Order(StringComparer.Ordinal)];

    [Fact]
    public void A_proposal_has_exactly_one_submitter()
    {
        var person = Samples.Person(_space);
        Assert.Equal(["submitted_by_person_id"], Fields(() =>
            Proposal.Create(_space, "Título", "", ProposalType.General, null, null, [], Samples.Facilitator, Samples.Now)));
        Assert.Equal(["submitted_by_person_id"], Fields(() =>
            Proposal.Create(_space, "Título", "", ProposalType.General, Samples.Community(_space), person, [], Samples.Facilitator, Samples.Now)));
    }

    [Fact]
    public void A_plan_approval_references_the_plan_version_it_approves()
    {
        Assert.Equal(["references"], Fields(() => Samples.Draft(_space, ProposalType.PlanApproval, ("landuse.zone", "z1"))));
        var approval = Samples.Draft(_space, ProposalType.PlanApproval, (Proposal.PlanVersionKind, "0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8c9"));
        Assert.Equal([(Proposal.PlanVersionKind, "0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8c9")], approval.References.Select(r => (r.Kind, r.ExternalId)));
        Assert.All(approval.References, r => Assert.Equal(approval.Id, r.ProposalId));
    }

    [Fact]
    public void References_name_a_kind_and_an_id_once_each()
    {
        Assert.Equal(["references[0].id", "references[0].kind", "references[2]"], Fields(() =>
            Samples.Draft(_space, ProposalType.General, ("Plan Version", ""), ("landuse.zone", "z1"), (" landuse.zone ", "z1"))));
    }

    [Fact]
    public void At_most_fifty_references()
    {
        var many = Enumerable.Range(0, Proposal.MaxReferences + 1).Select(i => ("landuse.zone", $"z{i}")).ToArray();
        Assert.Equal(["references"], Fields(() => Samples.Draft(_space, ProposalType.General, many)));
    }

    [Fact]
    public void Title_and_description_are_trimmed_and_bounded()
    {
        Assert.Equal(["description", "title"], Fields(() =>
            Proposal.Create(_space, "  ", new string('x', 4001), ProposalType.General, Samples.Community(_space), null, [], Samples.Facilitator, Samples.Now)));
        var draft = Proposal.Create(_space, "  Faena comunal ", " En mayo. ", ProposalType.General, Samples.Community(_space), null, [], Samples.Facilitator, Samples.Now);
        Assert.Equal(("Faena comunal", "En mayo.", ProposalState.Draft), (draft.Title, draft.Description, draft.State));
    }

    [Fact]
    public void A_member_submits_in_their_own_name_only()
    {
        var rosa = Samples.Member(_space);
        var rosaPerson = Samples.Person(_space);
        var rosaActing = new Actor(rosaPerson.Id, ActsForOthers: false, "person:rosa");
        var own = Proposal.Create(_space, "Cerco del manantial", "", ProposalType.General, null, rosaPerson, [], rosaActing, Samples.Now);
        Assert.Equal(rosaPerson.Id, own.SubmittedByPersonId);

        Assert.Throws<PermissionDeniedException>(() =>
            Proposal.Create(_space, "Otro", "", ProposalType.General, null, Samples.Person(_space, "Juan Mamani"), [], rosaActing, Samples.Now));
        Assert.Throws<PermissionDeniedException>(() =>
            Proposal.Create(_space, "Otro", "", ProposalType.General, Samples.Community(_space), null, [], Samples.MemberActing(rosa), Samples.Now));
    }

    [Fact]
    public void A_submitter_of_another_watershed_is_not_found()
    {
        var elsewhere = Samples.Person(Samples.Space());
        var refused = Assert.Throws<NotFoundException>(() =>
            Proposal.Create(_space, "Título", "", ProposalType.General, null, elsewhere, [], Samples.Facilitator, Samples.Now));
        Assert.Equal(("person", elsewhere.Id.ToString()), (refused.ResourceType, refused.ResourceName));
    }

    [Fact]
    public void The_submitter_or_a_facilitator_moves_a_proposal_and_nobody_else()
    {
        var rosaPerson = Samples.Person(_space);
        var rosa = new Actor(rosaPerson.Id, ActsForOthers: false, "person:rosa");
        var juan = new Actor(Guid.NewGuid(), ActsForOthers: false, "person:juan");
        var proposal = Proposal.Create(_space, "Cerco del manantial", "", ProposalType.General, null, rosaPerson, [], rosa, Samples.Now);

        Assert.Throws<PermissionDeniedException>(() => proposal.Submit(juan));
        proposal.Submit(rosa);
        Assert.Throws<PermissionDeniedException>(() => proposal.Withdraw(juan));
        proposal.Withdraw(Samples.Facilitator);
        Assert.Equal((ProposalState.Withdrawn, 2), (proposal.State, proposal.Revision));
    }

    [Fact]
    public void Only_a_convened_or_open_assembly_of_the_same_space_takes_agenda_items()
    {
        var electorate = Samples.Electorate(3, 3);
        var closed = Samples.OpenAssembly(_space, electorate);
        Samples.Close(closed, _space);
        var proposal = Samples.Draft(_space);
        proposal.Submit(Samples.Facilitator);
        Assert.Equal("ASSEMBLY_STATE", Assert.Throws<PreconditionFailedException>(() => proposal.PlaceOnAgenda(closed)).Type);
        var otherSpaces = Samples.ConvenedAssembly(Samples.Space());
        Assert.Equal("SPACE_MISMATCH", Assert.Throws<PreconditionFailedException>(() => proposal.PlaceOnAgenda(otherSpaces)).Type);
        Assert.Equal(ProposalState.Submitted, proposal.State);
    }

    [Fact]
    public void A_land_use_change_joins_an_agenda_only_through_the_call_of_an_assembly_convened_for_it()
    {
        var assembly = Samples.OpenAssembly(_space, Samples.Electorate(3, 3));
        var landAct = Samples.Draft(_space, ProposalType.LandUseChange);
        landAct.Submit(Samples.Facilitator);
        Assert.Equal("LAND_ACT_NOT_CONVENED", Assert.Throws<PreconditionFailedException>(() => landAct.PlaceOnAgenda(assembly)).Type);
        Assert.Equal("LAND_ACT_NOT_CONVENED", Assert.Throws<PreconditionFailedException>(() => assembly.EnsureConvenedFor(landAct)).Type);
        Assert.Equal(ProposalState.Submitted, landAct.State);

        var convened = Assembly.Convene(_space, "Asamblea extraordinaria", "Local comunal", Samples.Now, [], [landAct]);
        Assert.Equal((ProposalState.OnAgenda, convened.Id), (landAct.State, landAct.AssemblyId));
        Assert.Equal([landAct.Id], convened.ConvenedProposalIds);
        convened.EnsureConvenedFor(landAct);

        // Other types need no call: any open agenda takes them.
        assembly.EnsureConvenedFor(Samples.OnAgenda(_space, assembly));
    }
}
