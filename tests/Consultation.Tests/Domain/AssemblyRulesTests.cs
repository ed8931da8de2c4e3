using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>An assembly's life: convening, attendance, opening at a call, closing only with no ballot open.</summary>
public sealed class AssemblyRulesTests
{
    private readonly Space _space = Samples.Space();

    [Fact]
    public void Convening_names_every_missing_detail()
    {
        var refused = Assert.Throws<InvalidArgumentException>(() => Assembly.Convene(_space, "", " ", null, ["Informe", ""]));
        Assert.Equal(["title", "place", "scheduled_at", "agenda[1]"], refused.Violations.Select(v => v.Field));
        var tooLong = Assert.Throws<InvalidArgumentException>(() =>
            Assembly.Convene(_space, "T", "P", Samples.Now, [.. Enumerable.Repeat("Punto", Assembly.MaxAgendaItems + 1)]));
        Assert.Equal(["agenda"], tooLong.Violations.Select(v => v.Field));
    }

    [Fact]
    public void Opening_records_the_quorum_at_the_call()
    {
        var assembly = Samples.ConvenedAssembly(_space);
        var quorum = assembly.Open(_space, AssemblyCall.Second, Samples.Electorate(onRoll: 10, present: 3), Samples.Now);
        Assert.Equal(new QuorumCount(AssemblyCall.Second, 10, 3, 3, true), quorum);
        Assert.Equal((AssemblyState.Open, AssemblyCall.Second, 10, 3, 3), (assembly.State, assembly.Call, assembly.QuorumOnRollAtOpen, assembly.QuorumPresentAtOpen, assembly.QuorumRequiredAtOpen));
        Assert.Equal("ASSEMBLY_STATE", Assert.Throws<PreconditionFailedException>(() => assembly.Open(_space, AssemblyCall.First, Samples.Electorate(10, 3), Samples.Now)).Type);
    }

    [Fact]
    public void Quorum_before_opening_is_measured_at_the_first_call()
    {
        var assembly = Samples.ConvenedAssembly(_space);
        Assert.Equal(new QuorumCount(AssemblyCall.First, 10, 5, 6, false), assembly.QuorumNow(_space, Samples.Electorate(10, 5)));
    }

    [Fact]
    public void An_assembly_with_an_open_ballot_cannot_close()
    {
        var assembly = Samples.OpenAssembly(_space, Samples.Electorate(3, 3));
        var refused = Assert.Throws<PreconditionFailedException>(() => Samples.Close(assembly, _space, anyBallotOpen: true));
        Assert.Equal(("BALLOT_OPEN", $"assemblies/{assembly.Id}"), (refused.Type, refused.Subject));
        Assert.Equal(AssemblyState.Open, assembly.State);
        Samples.Close(assembly, _space);
        Assert.Equal((AssemblyState.Closed, Samples.Now), (assembly.State, assembly.ClosedAt));
    }

    [Fact]
    public void Closing_freezes_the_quorum_then_and_the_attendance_it_is_given()
    {
        var assembly = Samples.OpenAssembly(_space, Samples.Electorate(10, 6));
        Assert.Null(assembly.FrozenQuorum);
        var rosa = new MinutesAttendee(Guid.NewGuid(), Guid.NewGuid(), "Rosa Quispe", MemberRole.VotingMember, true, true, Samples.Now);
        var (quorum, roll) = assembly.Close(false, _space, Samples.Electorate(10, 4), [rosa], Samples.Now);

        // More than half of 10 needs 6: reached at the opening, not at the close.
        Assert.Equal(new QuorumCount(AssemblyCall.First, 10, 4, 6, false), quorum);
        Assert.Equal(quorum, assembly.FrozenQuorum);
        Assert.Equal(quorum, assembly.ClosingQuorum);
        Assert.Equal(new QuorumCount(AssemblyCall.First, 10, 6, 6, true), assembly.OpeningQuorum);
        var entry = Assert.Single(roll);
        Assert.Equal(assembly.Id, entry.AssemblyId);
        Assert.Equal(rosa, entry.ToAttendee());
    }

    [Fact]
    public void Only_an_open_assembly_closes() =>
        Assert.Equal("ASSEMBLY_STATE", Assert.Throws<PreconditionFailedException>(() => Samples.Close(Samples.ConvenedAssembly(_space), _space)).Type);

    [Fact]
    public void Attendance_is_one_record_per_member_updated_on_each_arrival_and_departure()
    {
        var assembly = Samples.ConvenedAssembly(_space);
        var rosa = Samples.Member(_space);
        var arrived = assembly.RecordAttendance(rosa, null, present: true, "facilitator@test", Samples.Now);
        var later = Samples.Now.AddHours(1);
        var left = assembly.RecordAttendance(rosa, arrived, present: false, "other@test", later);
        Assert.Same(arrived, left);
        Assert.Equal((assembly.Id, rosa.Id, false, "other@test", later), (left.AssemblyId, left.MemberId, left.Present, left.RecordedBy, left.RecordedAt));
    }

    [Fact]
    public void Attendance_is_refused_for_a_member_who_left_and_in_a_closed_assembly()
    {
        var assembly = Samples.OpenAssembly(_space, Samples.Electorate(3, 3));
        var gone = Samples.Member(_space);
        gone.Leave(Samples.Now);
        Assert.Equal("MEMBER_STATE", Assert.Throws<PreconditionFailedException>(() => assembly.RecordAttendance(gone, null, true, "f", Samples.Now)).Type);

        Samples.Close(assembly, _space);
        Assert.Equal("ASSEMBLY_STATE", Assert.Throws<PreconditionFailedException>(() => assembly.RecordAttendance(Samples.Member(_space), null, true, "f", Samples.Now)).Type);
    }

    [Fact]
    public void A_member_of_another_space_is_not_found_in_this_assembly()
    {
        var assembly = Samples.ConvenedAssembly(_space);
        var stranger = Samples.Member(Samples.Space());
        Assert.Equal("member", Assert.Throws<NotFoundException>(() => assembly.RecordAttendance(stranger, null, true, "f", Samples.Now)).ResourceType);
    }
}
