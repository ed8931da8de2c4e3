using System.Globalization;
using System.Text;
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

namespace Watershed.Benchmarks;

/// <summary>
/// Consultation's hot paths beside their baselines, measured in the same run with the same client settings: a bare
/// grpc-dotnet unary call (a no-op health check) for every RPC path, raw Npgsql doing a vote's writes for the vote path.
/// Votes go to four ballots at once (contended, as in an assembly hall with several facilitators), at each ballot size.
/// </summary>
internal static class ConsultationBenchmark
{
    private const string Echo = "bare gRPC echo";

    public static async Task<(List<BenchmarkRow> Rows, List<CpuSplit> Cpu, double PeakRssMb)> RunAsync(int[] ballotSizes, int votes, int concurrency)
    {
        var rows = new List<BenchmarkRow>();
        var cpu = new List<CpuSplit>();
        Console.WriteLine($"consultation — concurrency {concurrency}, {votes} votes per size on 4 ballots, ballot sizes {string.Join(", ", ballotSizes)}");

        var postgres = await PostgresServer.GetAsync();
        var connectionString = await postgres.CreateDatabaseAsync("bench");
        await using var service = await ServiceProcess.StartAsync("Consultation", new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
            // One admin token makes every call: the per-caller limits would measure the limiter, not the service.
            ["RateLimits:votes:PermitLimit"] = "1000000000",
            ["RateLimits:imports:PermitLimit"] = "1000000000",
            ["RateLimits:proposals:PermitLimit"] = "1000000000",
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = Environment.GetEnvironmentVariable("BENCH_SPIN") ?? "70",
        });
        var split = new ProcessCpu(service.ProcessId, postgres.ServerProcessId);
        using var channel = GrpcChannel.ForAddress(service.Address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var invoker = channel.Intercept(m => { m.Add("Authorization", "Bearer " + TestTokens.Admin()); return m; });
        var stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
        var spaces = new SpaceService.SpaceServiceClient(invoker);
        var assemblies = new AssemblyService.AssemblyServiceClient(invoker);
        var proposals = new ProposalService.ProposalServiceClient(invoker);
        var health = new Health.HealthClient(channel);

        // The baseline: Kestrel, HTTP/2, one unary method that does nothing, called with the same client settings.
        var bare = WebApplication.CreateBuilder();
        bare.Logging.ClearProviders();
        bare.WebHost.UseUrls("http://127.0.0.1:0");
        bare.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        bare.Services.AddGrpc();
        bare.Services.AddGrpcHealthChecks().AddCheck("noop", () => HealthCheckResult.Healthy());
        await using var bareApp = bare.Build();
        bareApp.MapGrpcHealthChecksService();
        await bareApp.StartAsync();
        using var bareChannel = GrpcChannel.ForAddress(bareApp.Urls.First(), new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var bareHealth = new Health.HealthClient(bareChannel);

        await Measure.RunAsync(1000, concurrency, _ => bareHealth.CheckAsync(new HealthCheckRequest()).ResponseAsync);
        await Measure.RunAsync(500, concurrency, _ => health.CheckAsync(new HealthCheckRequest()).ResponseAsync);
        var echo = await Measure.RunAsync(votes * 4, concurrency, _ => bareHealth.CheckAsync(new HealthCheckRequest()).ResponseAsync);
        Report("bare gRPC echo (no-op unary, in-process server)", echo);
        split.Start();
        var probe = await Measure.RunAsync(votes, concurrency, _ => health.CheckAsync(new HealthCheckRequest()).ResponseAsync);
        cpu.Add(split.PerCall("health check", votes));
        Report("health check (one database round trip)", probe);
        rows.Add(new BenchmarkRow("health check (SELECT 1)", "", probe.PerSecond, "req/s", Echo, echo.PerSecond));

        var watershed = (await stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "bench", Name = "Bench" })).Watershed;
        var submitter = (await stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershed.Id, FullName = "Proponente" })).Person;
        var sizeNumber = 0;
        foreach (var size in ballotSizes)
        {
            sizeNumber++;
            var label = Size(size) + " voters";
            var setup = System.Diagnostics.Stopwatch.StartNew();
            var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = $"Bench {size}", Kind = SpaceKind.CommunityAssembly })).Space;
            var members = new List<string>(size);
            for (var from = 0; from < size; from += 5000)
            {
                var csv = new StringBuilder("nombre;dni\n");
                for (var i = from; i < Math.Min(size, from + 5000); i++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"Votante {sizeNumber} {i};{sizeNumber}{i:D7}\n");
                }

                var imported = await spaces.ImportRollAsync(new ImportRollRequest { SpaceId = space.Id, Csv = csv.ToString() }, deadline: DateTime.UtcNow.AddMinutes(5));
                members.AddRange(imported.Members.Select(m => m.Id));
            }

            var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = space.Id, Title = "Bench", Place = "Here", ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow) })).Assembly;
            foreach (var chunk in members.Chunk(1000))
            {
                await assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest { AssemblyId = assembly.Id, MemberIds = { chunk }, Present = true });
            }

            await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
            var ballots = new List<(string Ballot, string Proposal)>();
            for (var b = 0; b < 5; b++)
            {
                var p = (await proposals.CreateProposalAsync(new CreateProposalRequest { SpaceId = space.Id, Title = $"P{b}", Type = ProposalType.General, SubmittedByPersonId = submitter.Id })).Proposal;
                await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = p.Id });
                await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = p.Id, AssemblyId = assembly.Id });
                ballots.Add(((await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = p.Id }, deadline: DateTime.UtcNow.AddMinutes(5))).Ballot.Id, p.Id));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label}: roll, attendance and 4 ballots set up in {setup.Elapsed.TotalSeconds:F1} s"));

            // Vote i goes to ballot i % 4 from member i / 4: every ballot takes votes at once, no member votes twice on one.
            var perBallot = Math.Min(votes / 4, size);
            var count = perBallot * 4;

            // Warm-up on the fifth ballot (JIT, EF's compiled queries, pools), then the four measured ones.
            var warm = ballots[4].Ballot;
            var warmVotes = Math.Min(size, 300);
            await Measure.RunAsync(warmVotes, concurrency, i => proposals.CastVoteAsync(new CastVoteRequest
            {
                BallotId = warm, MemberId = members[i], Choice = VoteChoice.Yes, ClientRequestId = $"warm-{sizeNumber}-{i:D8}", Channel = VoteChannel.RecordedByFacilitator,
            }).ResponseAsync);
            await Measure.RunAsync(warmVotes, concurrency, i => proposals.CastVoteAsync(new CastVoteRequest
            {
                BallotId = warm, MemberId = members[i], Choice = VoteChoice.Yes, ClientRequestId = $"warm-{sizeNumber}-{i:D8}", Channel = VoteChannel.RecordedByFacilitator,
            }).ResponseAsync);
            await Measure.RunAsync(600, concurrency, i => proposals.GetBallotAsync(new GetBallotRequest { BallotId = warm }).ResponseAsync);
            await Measure.RunAsync(600, concurrency, i => proposals.GetProposalAsync(new GetProposalRequest { ProposalId = ballots[4].Proposal }).ResponseAsync);
            if (Environment.GetEnvironmentVariable("BENCH_PROFILE_SECONDS") is { } seconds)
            {
                // For a profiler attached from outside (dotnet-trace collect -p PID): one path, for as long as asked.
                var path = Environment.GetEnvironmentVariable("BENCH_PROFILE_PATH") ?? "GetBallot";
                Console.WriteLine($"consultation pid {service.ProcessId}: {path} for {seconds} s");
                var until = DateTime.UtcNow.AddSeconds(int.Parse(seconds, CultureInfo.InvariantCulture));
                var n = 0;
                await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
                {
                    while (DateTime.UtcNow < until)
                    {
                        var i = Interlocked.Increment(ref n) % warmVotes;
                        await (path switch
                        {
                            "health" => health.CheckAsync(new HealthCheckRequest()).ResponseAsync,
                            "replay" => proposals.CastVoteAsync(new CastVoteRequest
                            {
                                BallotId = warm, MemberId = members[i], Choice = VoteChoice.Yes, ClientRequestId = $"warm-{sizeNumber}-{i:D8}", Channel = VoteChannel.RecordedByFacilitator,
                            }).ResponseAsync,
                            _ => (Task)proposals.GetBallotAsync(new GetBallotRequest { BallotId = warm }).ResponseAsync,
                        });
                    }
                }));
            }

            ballots.RemoveAt(4);
            CastVoteRequest VoteRequest(int i) => new()
            {
                BallotId = ballots[i % 4].Ballot, MemberId = members[i / 4], Choice = i % 3 == 0 ? VoteChoice.No : VoteChoice.Yes,
                ClientRequestId = $"bench-{sizeNumber}-{i:D8}", Channel = VoteChannel.RecordedByFacilitator,
            };

            if (Environment.GetEnvironmentVariable("BENCH_PROFILE_PATH") == "vote")
            {
                Console.WriteLine($"consultation pid {service.ProcessId}: CastVote in 5 s");
                await Task.Delay(5000);
            }

            split.Start();
            var cast = await Measure.RunAsync(count, concurrency, i => proposals.CastVoteAsync(VoteRequest(i)).ResponseAsync);
            cpu.Add(split.PerCall($"CastVote, {label}", count));
            Report($"CastVote, 4 ballots at once, {label}", cast);
            rows.Add(new BenchmarkRow("CastVote (4 ballots at once)", label, cast.PerSecond, "req/s", Echo, echo.PerSecond, "≥ 20 %"));
            rows.Add(new BenchmarkRow("CastVote (4 ballots at once)", label, cast.P99, "ms p99", "", 0));

            // The same ballots with four times the callers (64): more votes wait together, so each commit carries more.
            var crowdFrom = count;
            var crowdCount = Math.Min(perBallot, size - perBallot) * 4;
            if (crowdCount >= 4 * 16)
            {
                split.Start();
                var crowd = await Measure.RunAsync(crowdCount, 64, i => proposals.CastVoteAsync(VoteRequest(crowdFrom + i)).ResponseAsync);
                cpu.Add(split.PerCall($"CastVote x64, {label}", crowdCount));
                Report($"CastVote, 4 ballots at once, 64 callers, {label}", crowd);
                rows.Add(new BenchmarkRow("CastVote (4 ballots, 64 callers)", label, crowd.PerSecond, "req/s", Echo, echo.PerSecond, "≥ 20 %"));
                count += crowdCount;
            }

            split.Start();
            var replay = await Measure.RunAsync(perBallot * 4, concurrency, i => proposals.CastVoteAsync(VoteRequest(i)).ResponseAsync);
            cpu.Add(split.PerCall($"CastVote replay, {label}", perBallot * 4));
            Report($"CastVote replay (same request id), {label}", replay);
            rows.Add(new BenchmarkRow("CastVote replay (same request id)", label, replay.PerSecond, "req/s", Echo, echo.PerSecond));

            split.Start();
            var read = await Measure.RunAsync(votes * 2, concurrency, i => proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballots[i % 4].Ballot }).ResponseAsync);
            cpu.Add(split.PerCall($"GetBallot, {label}", votes * 2));
            Report($"GetBallot, {label}", read);
            rows.Add(new BenchmarkRow("GetBallot", label, read.PerSecond, "req/s", Echo, echo.PerSecond, "≥ 50 %"));

            split.Start();
            var proposal = await Measure.RunAsync(votes * 2, concurrency, i => proposals.GetProposalAsync(new GetProposalRequest { ProposalId = ballots[i % 4].Proposal }).ResponseAsync);
            cpu.Add(split.PerCall($"GetProposal, {label}", votes * 2));
            Report($"GetProposal, {label}", proposal);
            rows.Add(new BenchmarkRow("GetProposal", label, proposal.PerSecond, "req/s", Echo, echo.PerSecond));

            // Every vote counted once: the benchmark checks what it measured (a secret ballot shows its count once closed).
            var tallied = 0;
            foreach (var (ballot, _) in ballots)
            {
                tallied += (await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot })).Ballot.Tally.Cast;
            }

            if (tallied != count)
            {
                throw new InvalidOperationException($"{count} votes were cast but the ballots count {tallied}.");
            }
        }

        // Raw PostgreSQL doing a vote's writes: lock the ballot row, append a log row and a participation row, bump a count.
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                CREATE TABLE raw_ballot (id int PRIMARY KEY, yes int NOT NULL DEFAULT 0, length bigint NOT NULL DEFAULT 0);
                CREATE TABLE raw_log (ballot int, seq bigint, receipt text, choice int, hash text, PRIMARY KEY (ballot, seq));
                CREATE TABLE raw_participation (ballot int, member int, request text, PRIMARY KEY (ballot, member), UNIQUE (ballot, request));
                INSERT INTO raw_ballot (id) SELECT g FROM generate_series(0, 3) g;
                """, setup);
            await cmd.ExecuteNonQueryAsync();
        }

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var raw = await Measure.RunAsync(votes, concurrency, async i =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, tx)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("UPDATE raw_ballot SET yes = yes + 1, length = length + 1 WHERE id = $1") { Parameters = { new() { Value = i % 4 } } },
                    new NpgsqlBatchCommand("INSERT INTO raw_log SELECT $1, length, $2, 1, md5($2) FROM raw_ballot WHERE id = $1") { Parameters = { new() { Value = i % 4 }, new() { Value = $"r{i}" } } },
                    new NpgsqlBatchCommand("INSERT INTO raw_participation VALUES ($1, $2, $3)") { Parameters = { new() { Value = i % 4 }, new() { Value = i / 4 }, new() { Value = $"q{i}" } } },
                },
            };
            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        });
        Report("raw Npgsql vote transaction, one per vote, 4 ballots at once", raw);
        rows.Add(new BenchmarkRow("raw Npgsql vote transaction (reference)", "", raw.PerSecond, "req/s", Echo, echo.PerSecond));

        var peak = ProcessCpu.PeakRssMb(service.ProcessId);
        rows.Add(new BenchmarkRow("consultation peak RSS", "", peak, "MB", "", 0));
        return (rows, cpu, peak);
    }

    internal static string Size(int n) => n >= 1000 && n % 1000 == 0 ? $"{n / 1000}k" : n.ToString(CultureInfo.InvariantCulture);

    private static void Report(string what, Measure.Result r) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-62} {r.PerSecond,9:F0} /s   p50 {r.P50,7:F2} ms   p99 {r.P99,7:F2} ms"));
}
