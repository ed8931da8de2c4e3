using Google.Rpc;
using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Proxies (cartas poder): off unless the space's statute turns them on; registered per assembly before a ballot
/// opens; within a per-holder limit; counted in the electorate always and in quorum as the space says.
/// </summary>
public sealed class ProxyTests : PostgresApiTest
{
    private async Task RefusedAsync(StatusCode code, string? type, Func<Task> call)
    {
        var before = await App.SnapshotAsync();
        var refused = await GrpcStatusAssert.ThrowsAsync(code, call);
        if (type is not null)
        {
            Assert.Equal(type, refused.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations[0].Type);
        }

        var after = await App.SnapshotAsync();
        Assert.True(before.Equals(after), string.Join(", ", before.Differences(after)));
    }

    private static Task<RegisterProxyResponse> RegisterAsync(Scenario s, Member represented, Member holder, string document = "") =>
        s.Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest
        {
            AssemblyId = s.Assembly!.Id, MemberId = represented.Id, HolderMemberId = holder.Id, DocumentReference = document,
        }).ResponseAsync;

    [Fact]
    public async Task A_space_takes_no_proxies_unless_its_rules_say_so()
    {
        var s = await Scenario.CreateAsync(App, voters: 4);
        Assert.Equal(new ProxyRules(), s.Space.Rules.Proxies);
        await s.ConveneAsync(present: 2);
        await RefusedAsync(StatusCode.FailedPrecondition, "PROXIES_NOT_ALLOWED", () => RegisterAsync(s, s.Voters[3], s.Voters[0]));
    }

    [Fact]
    public async Task A_proxy_counted_for_quorum_gives_quorum_and_a_vote_the_facilitator_enters_for_the_holder()
    {
        var s = await Scenario.CreateAsync(App, voters: 6, rules: new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 1, CountInQuorum = true } });
        await s.ConveneAsync(present: 3);
        var before = (await s.Facilitator.Assemblies.GetQuorumAsync(new GetQuorumRequest { AssemblyId = s.Assembly!.Id })).Quorum;
        Assert.Equal((3, 4, false), (before.VotingMembersPresent, before.Required, before.Reached)); // more than half of 6

        var registered = await RegisterAsync(s, s.Voters[3], s.Voters[0], "Carta poder legalizada N.º 17");
        Assert.Equal((s.Voters[3].Id, s.Voters[0].Id, "Carta poder legalizada N.º 17"), (registered.Proxy.MemberId, registered.Proxy.HolderMemberId, registered.Proxy.DocumentReference));
        Assert.Equal(new Quorum { Call = AssemblyCall.First, VotingMembersOnRoll = 6, VotingMembersPresent = 3, Required = 4, Reached = true, RepresentedByProxy = 1 }, registered.Quorum);

        // The limit per holder, chains, duplicates and present members are refused and change nothing.
        await RefusedAsync(StatusCode.FailedPrecondition, "PROXY_LIMIT", () => RegisterAsync(s, s.Voters[4], s.Voters[0]));
        await RefusedAsync(StatusCode.FailedPrecondition, "PROXY_CHAIN", () => RegisterAsync(s, s.Voters[4], s.Voters[3]));
        await RegisterAsync(s, s.Voters[4], s.Voters[5]); // a holder need not be in the room yet; the proxy counts once they are
        await RefusedAsync(StatusCode.FailedPrecondition, "PROXY_CHAIN", () => RegisterAsync(s, s.Voters[5], s.Voters[1]));
        await RefusedAsync(StatusCode.AlreadyExists, null, () => RegisterAsync(s, s.Voters[3], s.Voters[1]));
        await RefusedAsync(StatusCode.FailedPrecondition, "REPRESENTED_PRESENT", () => RegisterAsync(s, s.Voters[1], s.Voters[2]));
        await RefusedAsync(StatusCode.FailedPrecondition, "NO_VOTE", () => RegisterAsync(s, s.Voters[4], s.Advisor!));

        var opened = (await s.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = s.Assembly.Id, Call = AssemblyCall.First })).Assembly;
        Assert.Equal(1, opened.OpeningQuorum.RepresentedByProxy);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.BudgetItem, "Comprar semillas de papa nativa"));
        Assert.Equal((4, 6), (ballot.Eligible, ballot.Roll));

        // The represented member does not vote themselves; the facilitator enters the holder's vote for them.
        var own = App.ClientsFor(TestTokens.Member(Guid.Parse(s.Voters[3].PersonId), "pomacanchi"));
        await RefusedAsync(StatusCode.FailedPrecondition, "REPRESENTED_BY_PROXY", () =>
            own.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = s.Voters[3].Id, Choice = VoteChoice.No, ClientRequestId = "own-phone-1" }).ResponseAsync);
        await s.RecordVoteAsync(ballot, s.Voters[3], VoteChoice.Yes);
        foreach (var voter in s.Voters.Take(3))
        {
            await s.RecordVoteAsync(ballot, voter, VoteChoice.Yes);
        }

        var participants = await s.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id });
        Assert.Equal(VoteChannel.Proxy, Assert.Single(participants.Participants, p => p.MemberId == s.Voters[3].Id).Channel);
        var closed = (await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.True(closed.Result.Approved); // 4 yes of 4 eligible: an absolute majority needs 3

        await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = s.Assembly.Id });
        var minutes = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = s.Assembly.Id });
        Assert.Equal(s.Voters[0].Id, minutes.Minutes.Attendance.Single(a => a.MemberId == s.Voters[3].Id).RepresentedByMemberId);
        Assert.Equal(1, minutes.Minutes.Quorum.RepresentedByProxy);
        Assert.Contains("- Comunero 04 (comunero/a calificado/a, con voto): ausente, representado/a por Comunero 01 con carta poder", minutes.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_space_that_does_not_count_proxies_for_quorum_still_gives_them_a_vote()
    {
        var s = await Scenario.CreateAsync(App, voters: 6, rules: new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 2 } });
        await s.ConveneAsync(present: 3);
        var registered = await RegisterAsync(s, s.Voters[3], s.Voters[0]);
        await RegisterAsync(s, s.Voters[4], s.Voters[0]);
        Assert.Equal((3, 0, false), (registered.Quorum.VotingMembersPresent, registered.Quorum.RepresentedByProxy, registered.Quorum.Reached));

        // At the second call (at least 30 % of 6: 2) the assembly has quorum; both represented members belong to the electorate.
        await s.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = s.Assembly!.Id, Call = AssemblyCall.Second });
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        Assert.Equal(5, ballot.Eligible);
    }

    [Fact]
    public async Task A_ballot_keeps_the_proxies_it_opened_with_and_a_member_who_arrives_votes_for_themselves()
    {
        var s = await Scenario.CreateAsync(App, voters: 5, rules: new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 1 } });
        await s.ConveneAsync(present: 3);
        await s.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = s.Assembly!.Id, Call = AssemblyCall.First });
        var before = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "Antes del poder"));
        await RegisterAsync(s, s.Voters[3], s.Voters[0]);
        var with = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "Con el poder"));
        Assert.Equal((3, 4), (before.Eligible, with.Eligible));
        await RefusedAsync(StatusCode.FailedPrecondition, "NOT_ELIGIBLE", () => s.RecordVoteAsync(before, s.Voters[3], VoteChoice.Yes));

        // Revoked, the proxy stays with the ballot it opened with, and no later ballot has it.
        var revoked = await s.Facilitator.Assemblies.RevokeProxyAsync(new RevokeProxyRequest { AssemblyId = s.Assembly.Id, MemberId = s.Voters[3].Id });
        Assert.NotNull(revoked.Proxy.RevokedAt);
        await RefusedAsync(StatusCode.FailedPrecondition, "PROXY_STATE", () =>
            s.Facilitator.Assemblies.RevokeProxyAsync(new RevokeProxyRequest { AssemblyId = s.Assembly.Id, MemberId = s.Voters[3].Id }).ResponseAsync);
        await RefusedAsync(StatusCode.NotFound, null, () =>
            s.Facilitator.Assemblies.RevokeProxyAsync(new RevokeProxyRequest { AssemblyId = s.Assembly.Id, MemberId = s.Voters[4].Id }).ResponseAsync);
        await s.RecordVoteAsync(with, s.Voters[3], VoteChoice.No);
        var after = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "Después"));
        Assert.Equal(3, after.Eligible);

        // Registered again, then the member arrives: they are present, no longer represented.
        await RegisterAsync(s, s.Voters[3], s.Voters[0]);
        await s.Facilitator.Assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = s.Assembly.Id, MemberId = s.Voters[3].Id, Present = true });
        var arrived = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "Llegó"));
        Assert.Equal(4, arrived.Eligible);
        var own = App.ClientsFor(TestTokens.Member(Guid.Parse(s.Voters[3].PersonId), "pomacanchi"));
        var vote = await own.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = arrived.Id, MemberId = s.Voters[3].Id, Choice = VoteChoice.Yes, ClientRequestId = "own-phone-2" });
        Assert.False(vote.Replayed);
    }
}
