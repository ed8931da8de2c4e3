using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Watershed.Consultation.V1;
using Watershed.Testing;

// Consultation's hot paths against their baselines on the same machine: a bare grpc-dotnet unary call
// (the health check, no database) and raw PostgreSQL doing what a vote does (lock, append, count).
// Usage: [consultation [concurrency] [votes]] | [indicators [households]] | [events [count]]
if (args is ["events", ..])
{
    await Watershed.Benchmarks.EventsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200);
    return;
}

if (args is ["indicators", ..])
{
    await Watershed.Benchmarks.IndicatorsBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000);
    return;
}

var culture = CultureInfo.InvariantCulture;
var numbers = args.SkipWhile(a => a == "consultation").ToArray();
var concurrency = numbers.Length > 0 ? int.Parse(numbers[0], culture) : 16;
var votes = numbers.Length > 1 ? int.Parse(numbers[1], culture) : 4000;
Console.WriteLine($"Watershed consultation benchmark — {Environment.ProcessorCount} cores, concurrency {concurrency}, {votes} votes per run");

var postgres = await PostgresServer.GetAsync();
var connectionString = await postgres.CreateDatabaseAsync("bench");
await using var service = await ServiceProcess.StartAsync("Consultation", new Dictionary<string, string>
{
    ["Database:Provider"] = "Postgres",
    ["Database:ConnectionString"] = connectionString,
    ["Logging:LogLevel:Default"] = "Warning",
    ["Auth:Issuer"] = TestTokens.Issuer,
    ["Auth:SigningKey"] = TestTokens.SigningKey,
    // One admin token casts every vote: the per-caller limit would measure the limiter, not the service.
    ["RateLimits:votes:PermitLimit"] = "1000000000",
});
using var channel = GrpcChannel.ForAddress(service.Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
var invoker = channel.Intercept(m => { m.Add("Authorization", "Bearer " + TestTokens.Admin()); return m; });
var stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
var spaces = new SpaceService.SpaceServiceClient(invoker);
var assemblies = new AssemblyService.AssemblyServiceClient(invoker);
var proposals = new ProposalService.ProposalServiceClient(invoker);
var health = new Health.HealthClient(channel);

// One assembly whose roll holds every voter of the run; one ballot per 1000 voters.
var watershed = (await stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "bench", Name = "Bench" })).Watershed;
var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Bench", Kind = SpaceKind.CommunityAssembly })).Space;
var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = space.Id, Title = "Bench", Place = "Here", ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow) })).Assembly;
var members = new List<string>();
await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
{
    var person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershed.Id, FullName = $"Voter {i}" }, cancellationToken: ct)).Person;
    var member = (await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = MemberRole.VotingMember }, cancellationToken: ct)).Member;
    await assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = member.Id, Present = true }, cancellationToken: ct);
    lock (members)
    {
        members.Add(member.Id);
    }
});
await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });

async Task<string> NewBallotAsync(int n)
{
    var p = (await proposals.CreateProposalAsync(new CreateProposalRequest { SpaceId = space.Id, Title = $"P{n}", Type = ProposalType.General, SubmittedByPersonId = (await stakeholders.ListPersonsAsync(new ListPersonsRequest { WatershedId = watershed.Id, Page = new Watershed.Common.V1.PageRequest { PageSize = 1 } })).Persons[0].Id })).Proposal;
    await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = p.Id });
    await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = p.Id, AssemblyId = assembly.Id });
    return (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = p.Id })).Ballot.Id;
}

static async Task<(double PerSecond, double P50, double P99)> MeasureAsync(int count, int concurrency, Func<int, Task> operation)
{
    var latencies = new double[count];
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var start = Stopwatch.GetTimestamp();
            await operation(i);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
    }));
    var elapsed = clock.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    return (count / elapsed, latencies[count / 2], latencies[(int)(count * 0.99)]);
}

void Report(string what, (double PerSecond, double P50, double P99) r) =>
    Console.WriteLine(string.Create(culture, $"{what,-58} {r.PerSecond,9:F0} /s   p50 {r.P50,7:F2} ms   p99 {r.P99,7:F2} ms"));

// Bare grpc-dotnet on the same machine: Kestrel, HTTP/2, one unary method that does nothing.
var bare = WebApplication.CreateBuilder();
bare.Logging.ClearProviders();
bare.WebHost.UseUrls("http://127.0.0.1:0");
bare.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
bare.Services.AddGrpc();
bare.Services.AddGrpcHealthChecks().AddCheck("noop", () => HealthCheckResult.Healthy());
await using var bareApp = bare.Build();
bareApp.MapGrpcHealthChecksService();
await bareApp.StartAsync();
using var bareChannel = GrpcChannel.ForAddress(bareApp.Urls.First());
var bareHealth = new Health.HealthClient(bareChannel);

await MeasureAsync(500, concurrency, _ => bareHealth.CheckAsync(new HealthCheckRequest()).ResponseAsync);
await MeasureAsync(200, concurrency, _ => health.CheckAsync(new HealthCheckRequest()).ResponseAsync);
Report("bare grpc-dotnet unary (no-op health check, in-process server)", await MeasureAsync(votes * 2, concurrency, _ => bareHealth.CheckAsync(new HealthCheckRequest()).ResponseAsync));
Report("consultation health check (one database round trip)", await MeasureAsync(votes, concurrency, _ => health.CheckAsync(new HealthCheckRequest()).ResponseAsync));

var ballotCount = (votes + 999) / 1000;
var ballots = new List<string>();
for (var b = 0; b < ballotCount; b++)
{
    ballots.Add(await NewBallotAsync(b));
}

Report($"CastVote, {ballotCount} ballot(s) contended (row lock per ballot)", await MeasureAsync(votes, concurrency, i =>
    proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballots[i / 1000], MemberId = members[i % 1000], Choice = VoteChoice.Yes, ClientRequestId = $"bench-{i:D8}" }).ResponseAsync));
Report("CastVote replay (idempotent, no write)", await MeasureAsync(votes, concurrency, i =>
    proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballots[i / 1000], MemberId = members[i % 1000], Choice = VoteChoice.Yes, ClientRequestId = $"bench-{i:D8}" }).ResponseAsync));
Report("GetBallot (live counts, one row)", await MeasureAsync(votes * 2, concurrency, i =>
    proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballots[i % ballots.Count] }).ResponseAsync));

// Raw PostgreSQL doing a vote's work: lock the ballot row, append a log row and a participation row, bump a count.
await using (var setup = new NpgsqlConnection(connectionString))
{
    await setup.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        CREATE TABLE raw_ballot (id int PRIMARY KEY, yes int NOT NULL DEFAULT 0, length bigint NOT NULL DEFAULT 0);
        CREATE TABLE raw_log (ballot int, seq bigint, receipt text, choice int, hash text, PRIMARY KEY (ballot, seq));
        CREATE TABLE raw_participation (ballot int, member int, request text, PRIMARY KEY (ballot, member), UNIQUE (ballot, request));
        INSERT INTO raw_ballot (id) SELECT g FROM generate_series(0, 99) g;
        """, setup);
    await cmd.ExecuteNonQueryAsync();
}

await using var dataSource = NpgsqlDataSource.Create(connectionString);
Report($"raw PostgreSQL vote transaction, {ballotCount} ballot(s) contended", await MeasureAsync(votes, concurrency, async i =>
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var tx = await connection.BeginTransactionAsync();
    await using var batch = new NpgsqlBatch(connection, tx)
    {
        BatchCommands =
        {
            new NpgsqlBatchCommand("UPDATE raw_ballot SET yes = yes + 1, length = length + 1 WHERE id = $1") { Parameters = { new() { Value = i / 1000 } } },
            new NpgsqlBatchCommand("INSERT INTO raw_log SELECT $1, length, $2, 1, md5($2) FROM raw_ballot WHERE id = $1") { Parameters = { new() { Value = i / 1000 }, new() { Value = $"r{i}" } } },
            new NpgsqlBatchCommand("INSERT INTO raw_participation VALUES ($1, $2, $3)") { Parameters = { new() { Value = i / 1000 }, new() { Value = i % 1000 }, new() { Value = $"q{i}" } } },
        },
    };
    await batch.ExecuteNonQueryAsync();
    await tx.CommitAsync();
}));

var status = await File.ReadAllLinesAsync($"/proc/{service.ProcessId}/status");
Console.WriteLine($"consultation process: {status.First(l => l.StartsWith("VmRSS", StringComparison.Ordinal))}, peak {status.First(l => l.StartsWith("VmHWM", StringComparison.Ordinal))}");
Console.WriteLine($"benchmark client allocated {GC.GetTotalAllocatedBytes() / (1024 * 1024)} MiB");
