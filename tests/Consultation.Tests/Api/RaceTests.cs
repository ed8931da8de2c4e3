using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Commands that race on one invariant, started together many times on PostgreSQL (where the races are real).
/// Either may win a round; the invariant after every round is exact.
/// </summary>
public sealed class RaceTests : PostgresApiTest
{
    private const int Rounds = 10;

    /// <summary>Starts every call at once and returns how each ended.</summary>
    internal static async Task<StatusCode[]> RaceAsync(params Func<Task>[] calls)
    {
        using var start = new ManualResetEventSlim(false);
        var tasks = calls.Select(call => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await call();
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        })).ToList();
        start.Set();
        return await Task.WhenAll(tasks);
    }

    [Fact]
    public async Task Opening_a_ballot_and_closing_its_assembly_never_leave_an_open_ballot_in_a_closed_assembly()
    {
        var s = await Scenario.CreateAsync(App, voters: 3);
        for (var round = 0; round < Rounds; round++)
        {
            var assembly = await s.OpenAssemblyAsync(present: 3);
            var proposal = await s.ProposalOnAgendaAsync(ProposalType.General, $"Propuesta {round}");

            var outcomes = await RaceAsync(
                () => s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id }).ResponseAsync,
                () => s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id }).ResponseAsync);

            // Exactly one wins; the other finds the state the winner left (an open ballot, or a closed assembly).
            Assert.Equal([StatusCode.OK, StatusCode.FailedPrecondition], outcomes.Order());
            var after = (await s.Facilitator.Assemblies.GetAssemblyAsync(new GetAssemblyRequest { AssemblyId = assembly.Id })).Assembly;
            var decided = (await s.Facilitator.Proposals.GetProposalAsync(new GetProposalRequest { ProposalId = proposal.Id })).Proposal;
            if (outcomes[0] == StatusCode.OK)
            {
                Assert.Equal(AssemblyState.Open, after.State);
                Assert.Equal(ProposalState.Voting, decided.State);
                var ballot = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = decided.BallotId })).Ballot;
                Assert.Equal(BallotState.Open, ballot.State);

                // Close it the only way allowed (ballot first), then the ballot of the closed assembly takes no vote.
                await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
                await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id });
                await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, $"late-vote-{round}"));
                var closed = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
                Assert.Equal(0, closed.Tally.Cast);
            }
            else
            {
                Assert.Equal(AssemblyState.Closed, after.State);
                Assert.Equal((ProposalState.OnAgenda, string.Empty), (decided.State, decided.BallotId));
                await GrpcStatusAssert.ThrowsAsync(StatusCode.FailedPrecondition, () => s.OpenBallotAsync(proposal));
            }
        }
    }

    [Fact]
    public async Task Two_concurrent_creates_of_one_watershed_make_one_and_the_other_already_exists()
    {
        var admin = App.ClientsFor(TestTokens.Admin());
        for (var round = 0; round < Rounds; round++)
        {
            var code = $"raced-{round}";
            var request = new CreateWatershedRequest { Code = code, Name = "Cuenca disputada" };
            var failures = new List<RpcException>();
            var outcomes = await RaceAsync(
                () => CreateAsync(() => admin.Stakeholders.CreateWatershedAsync(request).ResponseAsync, failures),
                () => CreateAsync(() => admin.Stakeholders.CreateWatershedAsync(request).ResponseAsync, failures));

            Assert.Equal([StatusCode.OK, StatusCode.AlreadyExists], outcomes.Order());
            // The loser gets the same answer as a request that came second.
            Assert.Equal($"A watershed with code '{code}' exists already.", Assert.Single(failures).Status.Detail);
        }

        var listed = await admin.Stakeholders.ListWatershedsAsync(new ListWatershedsRequest());
        Assert.Equal(Enumerable.Range(0, Rounds).Select(r => $"raced-{r}").Order(StringComparer.Ordinal),
            listed.Watersheds.Select(w => w.Code).Where(c => c.StartsWith("raced-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_concurrent_creates_of_one_organisation_make_one_and_the_other_already_exists()
    {
        var s = await Scenario.CreateAsync(App, voters: 0);
        for (var round = 0; round < Rounds; round++)
        {
            var name = $"Asociación de regantes {round}";
            var request = new CreateOrganizationRequest { WatershedId = s.Watershed.Id, Name = name, Kind = OrganizationKind.Association };
            var failures = new List<RpcException>();
            var outcomes = await RaceAsync(
                () => CreateAsync(() => s.Facilitator.Stakeholders.CreateOrganizationAsync(request).ResponseAsync, failures),
                () => CreateAsync(() => s.Facilitator.Stakeholders.CreateOrganizationAsync(request).ResponseAsync, failures));

            Assert.Equal([StatusCode.OK, StatusCode.AlreadyExists], outcomes.Order());
            Assert.Equal($"An organisation named '{name}' exists already in this watershed.", Assert.Single(failures).Status.Detail);
        }

        var listed = await s.Facilitator.Stakeholders.ListOrganizationsAsync(new ListOrganizationsRequest { WatershedId = s.Watershed.Id });
        Assert.Equal(Rounds + 1, listed.Organizations.Count); // the scenario's community and one per round
        Assert.Equal(Rounds + 1, listed.Organizations.Select(o => o.Name).Distinct().Count());
    }

    private static async Task CreateAsync(Func<Task> call, List<RpcException> failures)
    {
        try
        {
            await call();
        }
        catch (RpcException ex)
        {
            lock (failures)
            {
                failures.Add(ex);
            }

            throw;
        }
    }
}
