using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Closed means closed: a closed assembly's quorum, attendance and decisions are frozen at the close, and a ballot's
/// electorate when it opens; nothing done to the roll afterwards changes what GetAssembly, GetQuorum or GetMinutes answer.
/// </summary>
public sealed class ClosedAssemblyTests : PostgresApiTest
{
    /// <summary>Everything a reader can ask about one assembly, to compare whole answers before and after.</summary>
    private sealed record Record(GetAssemblyResponse Assembly, GetQuorumResponse Quorum, GetMinutesResponse Spanish, GetMinutesResponse English, ListAssembliesResponse List);

    private static async Task<Record> ReadAsync(Scenario s, string assemblyId) => new(
        await s.Facilitator.Assemblies.GetAssemblyAsync(new GetAssemblyRequest { AssemblyId = assemblyId }),
        await s.Facilitator.Assemblies.GetQuorumAsync(new GetQuorumRequest { AssemblyId = assemblyId }),
        await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assemblyId, Language = "es" }),
        await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assemblyId, Language = "en" }),
        await s.Facilitator.Assemblies.ListAssembliesAsync(new ListAssembliesRequest { SpaceId = s.Space.Id }));

    /// <summary>Nine voters, seven present, one decision taken and the assembly closed.</summary>
    private async Task<(Scenario S, Assembly Assembly, CloseAssemblyResponse Closed)> ClosedAssemblyAsync()
    {
        var s = await Scenario.CreateAsync(App, voters: 9);
        var assembly = await s.OpenAssemblyAsync(present: 7);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        for (var i = 0; i < 5; i++)
        {
            await s.RecordVoteAsync(ballot, s.Voters[i], i < 4 ? VoteChoice.Yes : VoteChoice.No);
        }

        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        var closed = await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id });
        return (s, assembly, closed);
    }

    [Fact]
    public async Task Roll_changes_after_the_close_change_nothing_the_closed_assembly_answers()
    {
        var (s, assembly, _) = await ClosedAssemblyAsync();
        var before = await ReadAsync(s, assembly.Id);

        // A newcomer joins, a member who attended leaves, an absent one leaves, and the one who left comes back.
        await s.AddPersonAsync("Comunera nueva", MemberRole.VotingMember);
        await s.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = s.Voters[0].Id });
        await s.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = s.Voters[8].Id });
        await s.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = s.Space.Id, PersonId = s.Voters[0].PersonId, Role = MemberRole.Observer });
        await s.AddPersonAsync("Delegado nuevo", MemberRole.Delegate);

        var after = await ReadAsync(s, assembly.Id);
        Assert.Equal(before.Assembly, after.Assembly);
        Assert.Equal(before.Quorum, after.Quorum);
        Assert.Equal(before.Spanish, after.Spanish);
        Assert.Equal(before.English, after.English);
        Assert.Equal(before.List, after.List);

        // The roll itself did change: the live count proves the reads above had something to ignore.
        var roll = await s.Facilitator.Spaces.ListMembersAsync(new ListMembersRequest { SpaceId = s.Space.Id });
        Assert.Equal(9 - 2 + 2, roll.VotingMembers);
    }

    [Fact]
    public async Task Closing_answers_and_the_acta_carry_the_quorum_as_data()
    {
        var (s, assembly, closed) = await ClosedAssemblyAsync();

        // More than half of 9 is 5; 7 voting members were present at the opening and at the close.
        var expected = new Quorum { Call = AssemblyCall.First, VotingMembersOnRoll = 9, VotingMembersPresent = 7, Required = 5, Reached = true };
        Assert.Equal(expected, closed.Assembly.Quorum);
        Assert.Equal(expected, closed.Assembly.OpeningQuorum);
        var minutes = (await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assembly.Id })).Minutes;
        Assert.Equal(expected, minutes.Quorum);
        Assert.Equal(expected, minutes.Assembly.Quorum);
        Assert.Equal(closed.Assembly, minutes.Assembly);
        Assert.Equal(expected, (await s.Facilitator.Assemblies.GetQuorumAsync(new GetQuorumRequest { AssemblyId = assembly.Id })).Quorum);
        var listed = Assert.Single((await s.Facilitator.Assemblies.ListAssembliesAsync(new ListAssembliesRequest { SpaceId = s.Space.Id })).Assemblies);
        Assert.Equal(closed.Assembly, listed);
    }

    [Fact]
    public async Task The_quorum_at_the_close_is_counted_then_and_can_differ_from_the_opening()
    {
        var s = await Scenario.CreateAsync(App, voters: 10);
        var assembly = await s.OpenAssemblyAsync(present: 6);

        // Two leave the room before the close: 4 of 10 are there when it closes, less than the 6 the first call needs.
        foreach (var member in s.Voters.Take(2))
        {
            await s.Facilitator.Assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = member.Id, Present = false });
        }

        var closed = (await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id })).Assembly;
        Assert.Equal(new Quorum { Call = AssemblyCall.First, VotingMembersOnRoll = 10, VotingMembersPresent = 6, Required = 6, Reached = true }, closed.OpeningQuorum);
        Assert.Equal(new Quorum { Call = AssemblyCall.First, VotingMembersOnRoll = 10, VotingMembersPresent = 4, Required = 6, Reached = false }, closed.Quorum);
        var text = (await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assembly.Id })).Text;
        Assert.Contains("Quórum en primera convocatoria: 6 presentes de 10 habilitados en el padrón; se requerían 6. Hubo quórum.", text, StringComparison.Ordinal);
        Assert.Contains("Al cierre: 4 presentes de 10 habilitados en el padrón.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assembly_still_open_counts_its_quorum_from_the_roll_now()
    {
        var s = await Scenario.CreateAsync(App, voters: 9);
        var assembly = await s.OpenAssemblyAsync(present: 7);
        await s.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = s.Voters[0].Id });
        var quorum = (await s.Facilitator.Assemblies.GetQuorumAsync(new GetQuorumRequest { AssemblyId = assembly.Id })).Quorum;
        Assert.Equal((8, 6, 5), (quorum.VotingMembersOnRoll, quorum.VotingMembersPresent, quorum.Required));

        // The opening quorum stays what it was.
        var now = (await s.Facilitator.Assemblies.GetAssemblyAsync(new GetAssemblyRequest { AssemblyId = assembly.Id })).Assembly;
        Assert.Equal((9, 7), (now.OpeningQuorum.VotingMembersOnRoll, now.OpeningQuorum.VotingMembersPresent));
    }

    [Fact]
    public async Task The_acta_of_a_closed_assembly_lists_the_roll_as_it_stood_at_the_close()
    {
        var (s, assembly, _) = await ClosedAssemblyAsync();
        var attendance = (await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assembly.Id })).Minutes.Attendance;
        await s.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = s.Voters[8].Id });
        var newcomer = await s.AddPersonAsync("Comunera nueva", MemberRole.VotingMember);

        var after = (await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assembly.Id })).Minutes.Attendance;
        Assert.Equal(10, after.Count); // nine voters and the advisor
        Assert.Equal(8, after.Count(a => a.Present));
        Assert.Contains(after, a => a.MemberId == s.Voters[8].Id && !a.Present);
        Assert.DoesNotContain(after, a => a.MemberId == newcomer.Id);
        Assert.Equal(attendance, after);
        Assert.Equal(after.Select(a => a.FullName).Order(StringComparer.Ordinal), after.Select(a => a.FullName));
    }

    [Fact]
    public async Task A_ballot_keeps_the_electorate_it_opened_with()
    {
        var s = await Scenario.CreateAsync(App, voters: 6);
        await s.OpenAssemblyAsync(present: 5);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        var late = await s.AddPersonAsync("Comunero tardío", MemberRole.VotingMember);
        await s.Facilitator.Assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = s.Assembly!.Id, MemberId = late.Id, Present = true });
        await s.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = s.Voters[1].Id });

        // The newcomer, present now, did not belong to the electorate when it opened; the member who left still does.
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.RecordVoteAsync(ballot, late, VoteChoice.Yes));
        await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.Yes);
        var closed = (await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((5, 6, 1), (closed.Eligible, closed.Roll, closed.Tally.Cast));
    }
}
