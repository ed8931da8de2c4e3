using Grpc.Core;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Grpc;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>The whole consultation flow through the gRPC API on a real PostgreSQL database.</summary>
public sealed class AssemblyVotingTests : PostgresApiTest
{
    [Fact]
    public async Task A_planApproval_goes_from_draft_toApproved_and_the_acta_records_it()
    {
        var s = await Scenario.CreateAsync(App, voters: 9);
        var assembly = await s.OpenAssemblyAsync(present: 7);
        Assert.Equal(AssemblyState.Open, assembly.State);
        Assert.True(assembly.Quorum.Reached);
        Assert.Equal(5, assembly.Quorum.Required); // more than half of 9
        Assert.Equal(7, assembly.Quorum.VotingMembersPresent); // the advisor present does not count

        var planVersion = new ExternalReference { Kind = "landuse.plan_version", Id = "0190c2d4-5f7e-7a01-b2c3-d4e5f6a7b8c9" };
        var proposal = await s.ProposalOnAgendaAsync(ProposalType.PlanApproval, "Aprobar el plan de uso de suelo 2027–2036", planVersion);
        Assert.Equal(ProposalState.OnAgenda, proposal.State);

        var ballot = await s.OpenBallotAsync(proposal);
        Assert.Equal(DecisionRule.AbsoluteMajorityOfPresent, ballot.Rule);
        Assert.True(ballot.Secret);
        Assert.Equal(7, ballot.Eligible);
        Assert.Equal(9, ballot.Roll);

        var choices = new[] { VoteChoice.Yes, VoteChoice.Yes, VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No, VoteChoice.Abstain };
        for (var i = 0; i < choices.Length; i++)
        {
            await s.RecordVoteAsync(ballot, s.Voters[i], choices[i]);
        }

        // A secret ballot says how many have voted, not what, until it closes.
        var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((true, 6), (live.TallyHidden, live.VotesCast));
        Assert.Null(live.Tally);

        var closed = await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        Assert.Equal(new Tally { Yes = 4, No = 1, Abstain = 1, Cast = 6 }, closed.Ballot.Tally);
        Assert.True(closed.Ballot.Result.Approved); // 4 yes ≥ 4 = ⌊7/2⌋+1
        Assert.Equal(4, closed.Ballot.Result.RequiredYes);
        Assert.Equal(ProposalState.Approved, closed.Proposal.State);

        // The land-use service will find the approval by its reference.
        var found = await s.Facilitator.Proposals.ListProposalsAsync(new ListProposalsRequest
        {
            WatershedId = s.Watershed.Id,
            Type = ProposalType.PlanApproval,
            State = ProposalState.Approved,
            Reference = planVersion,
        });
        var approval = Assert.Single(found.Proposals);
        Assert.Equal(proposal.Id, approval.Id);
        Assert.Equal(("pomacanchi", s.Watershed.Id), (approval.WatershedCode, approval.WatershedId));

        await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id });
        var minutes = await s.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assembly.Id });
        var decision = Assert.Single(minutes.Minutes.Decisions);
        Assert.Equal((4, 1, 1, 7, 9, true), (decision.Yes, decision.No, decision.Abstain, decision.Eligible, decision.Roll, decision.Approved));
        Assert.Equal(closed.Ballot.LogHeadHash, decision.LogHeadHash);
        Assert.Equal(10, minutes.Minutes.Attendance.Count);
        Assert.Equal(8, minutes.Minutes.Attendance.Count(a => a.Present));
        Assert.Contains("Aprobar el plan de uso de suelo 2027–2036 — APROBADA", minutes.Text, StringComparison.Ordinal);
        Assert.Contains("Hubo quórum.", minutes.Text, StringComparison.Ordinal);
        Assert.Equal(AssemblyState.Closed, minutes.Minutes.Assembly.State);
        Assert.Equal(["Informe de la directiva", "Plan de uso del suelo"], minutes.Minutes.Assembly.Agenda);
    }

    [Fact]
    public async Task Voting_cannot_open_without_quorum_but_can_at_the_second_call()
    {
        var s = await Scenario.CreateAsync(App, voters: 10);
        var assembly = await s.OpenAssemblyAsync(present: 4); // first call: needs 6
        Assert.False(assembly.Quorum.Reached);
        var proposal = await s.ProposalOnAgendaAsync(ProposalType.General);
        var ex = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.OpenBallotAsync(proposal));
        Assert.Contains("No quorum: 4 voting members present, 6 required", ex.Status.Detail, StringComparison.Ordinal);
        var unchanged = (await s.Facilitator.Proposals.GetProposalAsync(new GetProposalRequest { ProposalId = proposal.Id })).Proposal;
        Assert.Equal(ProposalState.OnAgenda, unchanged.State);

        // A second assembly at the second call needs at least 30 % of 10 = 3.
        var second = await s.OpenAssemblyAsync(present: 4, AssemblyCall.Second);
        Assert.True(second.Quorum.Reached);
        Assert.Equal(3, second.Quorum.Required);
        var other = await s.ProposalOnAgendaAsync(ProposalType.General, "Faena comunal de limpieza de canales");
        var ballot = await s.OpenBallotAsync(other);
        Assert.Equal(4, ballot.Eligible);
    }

    [Fact]
    public async Task Two_thirds_of_all_rejects_a_land_use_change_when_absentees_block_it()
    {
        var s = await Scenario.CreateAsync(App, voters: 12);
        var proposal = await s.LandActAsync(present: 7, "Ceder 20 ha de pastos a una concesión");

        // The law's floor cannot be lowered for a land-use change.
        await GrpcStatusAssert.InvalidArgumentAsync(() => s.OpenBallotAsync(proposal, DecisionRule.SimpleMajority), "rule");

        var ballot = await s.OpenBallotAsync(proposal);
        Assert.Equal(DecisionRule.TwoThirdsOfRoll, ballot.Rule);
        foreach (var voter in s.Voters.Take(7))
        {
            await s.RecordVoteAsync(ballot, voter, VoteChoice.Yes);
        }

        var closed = await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        Assert.False(closed.Ballot.Result.Approved); // 7 < ⌈2·12/3⌉ = 8
        Assert.Equal(8, closed.Ballot.Result.RequiredYes);
        Assert.Equal(ProposalState.Rejected, closed.Proposal.State);
    }

    [Fact]
    public async Task Only_voting_members_present_when_the_ballot_opened_may_vote()
    {
        var s = await Scenario.CreateAsync(App, voters: 6);
        await s.OpenAssemblyAsync(present: 5);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));

        // The technical advisor has voice but no vote; voter 6 was absent.
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.RecordVoteAsync(ballot, s.Advisor!, VoteChoice.Yes));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.RecordVoteAsync(ballot, s.Voters[5], VoteChoice.Yes));
        // Block is not a choice under simple majority.
        await GrpcStatusAssert.InvalidArgumentAsync(() => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Block), "choice");

        var after = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal(0, after.VotesCast);
        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task Consensus_ballots_accept_blocks_and_fail_on_one()
    {
        var s = await Scenario.CreateAsync(App, voters: 4);
        await s.OpenAssemblyAsync(present: 4);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General), DecisionRule.Consensus);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes);
        await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.Yes);
        await s.RecordVoteAsync(ballot, s.Voters[2], VoteChoice.Block);
        var closed = await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        Assert.False(closed.Ballot.Result.Approved);
        Assert.Equal(1, closed.Ballot.Tally.Block);
    }

    [Fact]
    public async Task The_published_log_recomputes_the_tally_and_hides_secret_voters()
    {
        var s = await Scenario.CreateAsync(App, voters: 5);
        await s.OpenAssemblyAsync(present: 5);
        // Receipts linked to their choices, as a secret ballot may ask for (receipt-free is its default).
        var secret = (await s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest
        {
            ProposalId = (await s.ProposalOnAgendaAsync(ProposalType.General, "Secreta")).Id,
            Receipts = ReceiptMode.Linked,
        })).Ballot;
        var publicBallot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General, "Pública"), secrecy: BallotSecrecy.Public);
        var receipts = new List<VoteReceipt>();
        foreach (var (voter, i) in s.Voters.Select((v, i) => (v, i)))
        {
            var choice = i % 2 == 0 ? VoteChoice.Yes : VoteChoice.No;
            receipts.Add((await s.RecordVoteAsync(secret, voter, choice)).Receipt);
            await s.RecordVoteAsync(publicBallot, voter, choice, $"pub-{voter.Id}");
        }

        // The secret ballot publishes its log once closed.
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = secret.Id });

        var secretLog = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = secret.Id });
        Assert.Equal(5, secretLog.Length);
        Assert.All(secretLog.Entries, e => Assert.Equal(string.Empty, e.MemberId));
        Assert.Equal(3, secretLog.Entries.Count(e => e.Choice == VoteChoice.Yes));
        Assert.Equal(
            secretLog.Entries.Select(e => e.ReceiptCode).Order(StringComparer.Ordinal),
            receipts.Select(r => r.ReceiptCode).Order(StringComparer.Ordinal));

        // Anyone can recompute the chain from the published entries alone.
        var previous = new string('0', 64);
        foreach (var e in secretLog.Entries)
        {
            Assert.Equal(previous, e.PreviousHash);
            Assert.Equal(e.EntryHash, Watershed.Consultation.Domain.BallotChain.Hash(previous, e.Sequence, Guid.Parse(secret.Id), e.ReceiptCode, e.Choice.ToDomain<VoteChoice, Watershed.Consultation.Domain.VoteChoice>(), null));
            previous = e.EntryHash;
        }

        Assert.Equal(secretLog.HeadHash, previous);

        var publicLog = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = publicBallot.Id });
        Assert.Equal(s.Voters.Select(v => v.Id).Order(StringComparer.Ordinal), publicLog.Entries.Select(e => e.MemberId).Order(StringComparer.Ordinal));

        var verified = await s.Facilitator.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = secret.Id, ReceiptCode = receipts[1].ReceiptCode.ToLowerInvariant() });
        Assert.Equal(VoteChoice.No, verified.Entry.Choice);
        Assert.Equal(receipts[1].Sequence, verified.Entry.Sequence);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            s.Facilitator.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = secret.Id, ReceiptCode = "00000-00000" }).ResponseAsync);
    }

    [Fact]
    public async Task An_assembly_with_an_open_ballot_cannot_close()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        var assembly = await s.OpenAssemblyAsync(present: 3);
        await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () =>
            s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id }).ResponseAsync);
        var still = (await s.Facilitator.Assemblies.GetAssemblyAsync(new GetAssemblyRequest { AssemblyId = assembly.Id })).Assembly;
        Assert.Equal(AssemblyState.Open, still.State);
    }

    [Fact]
    public async Task Withdrawn_proposals_cannot_be_put_to_the_vote()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        var proposal = await s.ProposalOnAgendaAsync(ProposalType.BudgetItem, "Mejorar el canal de riego de Sallma");
        await s.Facilitator.Proposals.WithdrawProposalAsync(new WithdrawProposalRequest { ProposalId = proposal.Id });
        var ex = await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.OpenBallotAsync(proposal));
        Assert.Contains("withdrawn", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_holds_one_active_membership_per_space()
    {
        var s = await Scenario.CreateAsync(App, voters: 1);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
            s.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = s.Space.Id, PersonId = s.Voters[0].PersonId, Role = MemberRole.Observer }).ResponseAsync);
        await s.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = s.Voters[0].Id });
        var rejoined = await s.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = s.Space.Id, PersonId = s.Voters[0].PersonId, Role = MemberRole.Observer });
        Assert.False(rejoined.Member.HasVote);
        var roll = await s.Facilitator.Spaces.ListMembersAsync(new ListMembersRequest { SpaceId = s.Space.Id });
        Assert.Equal(0, roll.VotingMembers);
        Assert.Equal(2, roll.Members.Count);
    }
}
