using Grpc.Health.V1;
using Grpc.Net.Client;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>The local default: the service on a SQLite file, called over a real loopback socket (HTTP/2 cleartext).</summary>
public sealed class SqliteSocketSmokeTests : IAsyncLifetime
{
    private SqliteSocketHost<Program> _host = null!;

    private GrpcChannel Channel => _host.Channel;

    public Task InitializeAsync()
    {
        _host = SqliteSocketHost<Program>.Start("consultation", ConsultationApp.OnSqliteSocket);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_whole_assembly_runs_on_sqlite_over_a_socket()
    {
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await new Health.HealthClient(Channel).CheckAsync(new HealthCheckRequest())).Status);

        var admin = new Clients(Channel, TestTokens.Admin());
        var facilitator = new Clients(Channel, TestTokens.Facilitator("cachora"));
        var watershed = (await admin.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "cachora", Name = "Microcuenca Cachora", Region = "Apurímac" })).Watershed;
        var space = (await facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Asamblea de Cachora", Kind = SpaceKind.CommunityAssembly })).Space;
        var members = new List<Member>();
        foreach (var name in new[] { "Ana", "Benito", "Carmen" })
        {
            var person = (await facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershed.Id, FullName = name, PreferredLanguage = "quz" })).Person;
            Assert.Equal("qu-PE", person.PreferredLanguage);
            members.Add((await facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = MemberRole.VotingMember })).Member);
        }

        var assembly = (await facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Asamblea", Place = "Cachora",
            ScheduledAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 5, 15, 0, 0, TimeSpan.Zero)),
        })).Assembly;
        foreach (var m in members)
        {
            await facilitator.Assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = m.Id, Present = true });
        }

        await facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
        var draft = (await facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = space.Id, Title = "Cerco de protección del manantial", Type = ProposalType.General, SubmittedByPersonId = members[0].PersonId,
        })).Proposal;
        await facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = draft.Id });
        await facilitator.Proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = draft.Id, AssemblyId = assembly.Id });
        var ballot = (await facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = draft.Id })).Ballot;
        foreach (var (m, choice) in members.Zip(new[] { VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No }))
        {
            await facilitator.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = m.Id, Choice = choice, ClientRequestId = $"sqlite-{m.Id}" });
        }

        var closed = await facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        Assert.Equal(ProposalState.Approved, closed.Proposal.State);
        await facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id });
        var minutes = await facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = assembly.Id, Language = "en" });
        Assert.Contains("Cerco de protección del manantial — APPROVED", minutes.Text, StringComparison.Ordinal);
        Assert.Contains("Votes: 2 yes, 1 no, 0 abstain", minutes.Text, StringComparison.Ordinal);
    }
}
