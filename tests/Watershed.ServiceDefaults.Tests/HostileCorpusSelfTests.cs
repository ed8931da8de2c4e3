using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// The hostile corpus itself: against a deliberately faulty service on PostgreSQL it reports exactly the faults the
/// service has (a crash, a write on a refusal, an echoed value), all in one run, and nothing for the correct answers.
/// </summary>
public sealed class HostileCorpusSelfTests
{
    /// <summary>
    /// CreateSpace with three planted faults: NaN in a quorum crashes (UNKNOWN, no error interceptor here), a name with
    /// NUL is refused after a row was written, a long name is refused with a status echoing 5,000 characters. Every
    /// other request with a bad watershed_id is refused cleanly; the rest succeed (and the corpus's own rule on the
    /// answer refuses a name that comes back with a bidi override). A second, wrapped seed reaches the NaN through the
    /// rules message it carries.
    /// </summary>
    private sealed class FaultySpaces(string connectionString) : SpaceService.SpaceServiceBase
    {
        public override async Task<CreateSpaceResponse> CreateSpace(CreateSpaceRequest request, ServerCallContext context)
        {
            if (double.IsNaN(request.Rules?.FirstCallQuorum?.Percent ?? 0))
            {
                throw new InvalidOperationException("NaN reached the domain");
            }

            if (request.Name.Contains('\0', StringComparison.Ordinal))
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var insert = new NpgsqlCommand("INSERT INTO writes (note) VALUES ('written before the refusal')", connection);
                await insert.ExecuteNonQueryAsync();
                throw new RpcException(new Status(StatusCode.InvalidArgument, "name: must not contain NUL"));
            }

            if (request.Name.Length > 1000)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"name {request.Name[..5000]} is too long"));
            }

            if (!Guid.TryParse(request.WatershedId, out _))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "watershed_id: must be a UUID"));
            }

            return new CreateSpaceResponse { Space = new Space { Id = Guid.NewGuid().ToString(), Name = request.Name } };
        }
    }

    private static HostileCorpus<string> Corpus() => new HostileCorpus<string>(SpaceService.Descriptor)
        .Seed("CreateSpace", watershedId => new CreateSpaceRequest
        {
            WatershedId = watershedId,
            Name = "Consejo de la microcuenca",
            Kind = SpaceKind.BasinCouncil,
            Rules = new SpaceRules { FirstCallQuorum = new QuorumThreshold { Percent = 50, MoreThan = true } },
        })
        .SeedWrapped("CreateSpace", _ => new SpaceRules { FirstCallQuorum = new QuorumThreshold { Percent = 60 } }, rules => new CreateSpaceRequest
        {
            WatershedId = Guid.NewGuid().ToString(),
            Name = "Asamblea comunal",
            Kind = SpaceKind.CommunityAssembly,
            Rules = rules.DecisionRules.Count > 100 ? throw new InvalidOperationException("too many to carry") : rules,
        }, innerName: "rules", mutateRequest: false, label: "rules inside")
        .Expect<CreateSpaceResponse>("CreateSpace", (hostile, response) =>
            response.Space.Name.Contains('\u202e', StringComparison.Ordinal) ? "the name came back with a bidi override" : null);

    [Fact]
    public async Task The_corpus_reports_every_planted_fault_at_once_and_nothing_else()
    {
        var postgres = await PostgresServer.GetAsync();
        var connectionString = await postgres.CreateDatabaseAsync("corpus");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE writes (id serial PRIMARY KEY, note text NOT NULL)", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new FaultySpaces(connectionString));
        await using var app = builder.Build();
        app.MapGrpcService<FaultySpaces>();
        await app.StartAsync();
        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });

        var report = await Corpus().RunAsync(Guid.NewGuid().ToString(), channel.CreateCallInvoker(),
            () => DatabaseSnapshot.TakeAsync("Postgres", connectionString));

        Assert.Equal(
        [
            "SpaceService/CreateSpace (rules inside) rules:first_call_quorum.percent [NaN]: answered Unknown",
            "SpaceService/CreateSpace name [1 MiB]: a status message of",
            "SpaceService/CreateSpace name [NUL inside]: answered InvalidArgument but changed writes",
            "SpaceService/CreateSpace name [right-to-left override]: the name came back with a bidi override",
            "SpaceService/CreateSpace rules.first_call_quorum.percent [NaN]: answered Unknown",
        ], report.Failures.Select(Head).Order(StringComparer.Ordinal));

        // The wrapped seed's 10,000 decision rules could not be carried: skipped, not sent.
        Assert.Equal(1, report.Skipped);

        // The other RPCs of the contract have no seed: each was tried with the empty request, answered UNIMPLEMENTED, and got nothing more.
        Assert.Equal(SpaceService.Descriptor.Methods.Count - 1, report.Unimplemented.Count);
        Assert.True(report.Statuses[StatusCode.OK] > 10, report.Summary());
        Assert.True(report.Statuses[StatusCode.InvalidArgument] >= 5, report.Summary());
        Assert.Equal(2, report.Statuses[StatusCode.ResourceExhausted]);
    }

    [Fact]
    public void A_contract_rpc_without_a_seed_fails_the_coverage_check()
    {
        var error = Assert.Throws<Xunit.Sdk.TrueException>(() => Corpus().AssertEveryRpcSeeded());
        Assert.Contains("SpaceService/AddMember", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CreateSpace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_change_touches_one_field_and_keeps_the_rest_of_the_seed()
    {
        var seed = new CreateSpaceRequest { WatershedId = Guid.NewGuid().ToString(), Name = "Consejo", Kind = SpaceKind.BasinCouncil };
        var cases = HostileCorpus<string>.CasesFor(SpaceService.Descriptor.FindMethodByName("CreateSpace"), seed);

        var nan = Assert.Single(cases, c => c.Field == "rules.first_call_quorum.percent" && c.Kind == "NaN");
        var request = (CreateSpaceRequest)nan.Make(seed)!;
        Assert.True(double.IsNaN(request.Rules.FirstCallQuorum.Percent));
        Assert.Equal((seed.WatershedId, seed.Name, seed.Kind), (request.WatershedId, request.Name, request.Kind));

        var nul = (CreateSpaceRequest)Assert.Single(cases, c => c.Field == "name" && c.Kind == "NUL inside").Make(seed)!;
        Assert.Equal("Con\0sejo", nul.Name);
        Assert.Equal(HostileValues.HugeListItems, ((CreateSpaceRequest)Assert.Single(cases, c => c.Field == "rules.decision_rules" && c.Kind.EndsWith("items", StringComparison.Ordinal)).Make(seed)!).Rules.DecisionRules.Count);
        Assert.Contains(cases, c => c.Field == "rules.decision_rules[0].rule" && c.Kind == "unknown number 999");
        Assert.Contains(cases, c => c.Field == "watershed_id" && c.Kind == "nil UUID");
        Assert.Contains(cases, c => c.Field == "rules.first_call_quorum" && c.Kind == "empty message");
    }

    [Fact]
    public async Task A_postgres_snapshot_sees_every_write_even_of_the_same_value_but_not_a_row_lock()
    {
        var postgres = await PostgresServer.GetAsync();
        var connectionString = await postgres.CreateDatabaseAsync("snapshot");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task Run(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        async Task<IReadOnlyList<string>> ChangedSince(DatabaseSnapshot before) =>
            (await DatabaseSnapshot.TakeAsync("Postgres", connectionString)).Differences(before);

        await Run("CREATE TABLE a (id int PRIMARY KEY, name text, at timestamptz); CREATE TABLE \"Mixed Case\" (id int PRIMARY KEY)");
        await Run("INSERT INTO a VALUES (1, 'Ana', '2026-12-04T15:00:00Z'), (2, NULL, NULL); INSERT INTO \"Mixed Case\" VALUES (1)");
        var before = await DatabaseSnapshot.TakeAsync("Postgres", connectionString);

        await Run("BEGIN; SELECT * FROM a WHERE id = 1 FOR UPDATE; COMMIT");
        Assert.Empty(await ChangedSince(before));

        await Run("UPDATE a SET at = at WHERE id = 1");
        Assert.Equal(["a"], await ChangedSince(before));

        before = await DatabaseSnapshot.TakeAsync("Postgres", connectionString);
        await Run("DELETE FROM \"Mixed Case\"");
        Assert.Equal(["Mixed Case"], await ChangedSince(before));

        before = await DatabaseSnapshot.TakeAsync("Postgres", connectionString);
        await Run("BEGIN; INSERT INTO a VALUES (3, 'Rosa', NULL); ROLLBACK");
        Assert.Empty(await ChangedSince(before));
    }

    private static string Head(string failure) =>
        failure.Contains("bidi override —", StringComparison.Ordinal)
            ? failure[..failure.IndexOf(" — ", StringComparison.Ordinal)]
            : failure.Contains(": a status message of", StringComparison.Ordinal)
            ? failure[..(failure.IndexOf(": a status message of", StringComparison.Ordinal) + ": a status message of".Length)]
            : failure[..failure.IndexOf(" — ", StringComparison.Ordinal)];
}
