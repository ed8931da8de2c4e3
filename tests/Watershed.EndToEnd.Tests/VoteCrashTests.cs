using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// Consultation killed (SIGKILL) while many votes are being written together (group commit), then restarted: every
/// receipt a caller was given is counted, once; every caller who got no answer sends the same request again and is
/// counted once; nothing else is; and the published log still verifies with the outsider's script.
/// </summary>
public sealed class VoteCrashTests
{
    private const int Voters = 40;

    [Fact]
    public async Task Consultation_killed_mid_vote_run_counts_every_receipt_once_and_nothing_else()
    {
        var settings = await EventSystem.SettingsAsync("e2e_crash_votes", sidecar: null);
        settings["RateLimits:votes:PermitLimit"] = "1000000";
        var port = ServiceProcess.FreePort();
        var service = await ServiceProcess.StartAsync("Consultation", settings, port);
        try
        {
            var co = EventSystem.Invoker(service.Address, TestTokens.Admin());
            var spaces = new SpaceService.SpaceServiceClient(co);
            var assemblies = new AssemblyService.AssemblyServiceClient(co);
            var proposals = new ProposalService.ProposalServiceClient(co);
            var stakeholders = new StakeholderService.StakeholderServiceClient(co);

            var watershed = (await stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "crash-votes", Name = "Cuenca" })).Watershed;
            var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Asamblea comunal", Kind = SpaceKind.CommunityAssembly })).Space;
            var roll = "nombre;dni\n" + string.Concat(Enumerable.Range(0, Voters).Select(i => $"Comunero {i};{40000000 + i}\n"));
            var members = (await spaces.ImportRollAsync(new ImportRollRequest { SpaceId = space.Id, Csv = roll })).Members.Select(m => m.Id).ToList();
            var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
            {
                SpaceId = space.Id, Title = "Asamblea", Place = "Local comunal", ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow),
            })).Assembly;
            await assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest { AssemblyId = assembly.Id, MemberIds = { members }, Present = true });
            await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
            var submitter = (await stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershed.Id, FullName = "Proponente" })).Person;
            var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
            {
                SpaceId = space.Id, Title = "Cercar el manantial", Type = ProposalType.General, SubmittedByPersonId = submitter.Id,
            })).Proposal;
            await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
            await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = assembly.Id });
            var ballot = (await proposals.OpenBallotAsync(new OpenBallotRequest
            {
                ProposalId = proposal.Id, Secrecy = BallotSecrecy.Public, Receipts = ReceiptMode.Linked,
            })).Ballot;

            CastVoteRequest Vote(int i) => new()
            {
                BallotId = ballot.Id, MemberId = members[i], Choice = i % 4 == 0 ? VoteChoice.No : VoteChoice.Yes,
                ClientRequestId = $"crash-vote-{i:D3}", Channel = VoteChannel.RecordedByFacilitator,
            };

            // Five votes are written and answered. Then another transaction holds the ballot's row lock, the other
            // votes arrive together and wait for it (a group writing, more queued behind it), and the process dies.
            var answered = new CastVoteResponse?[Voters];
            for (var i = 0; i < 5; i++)
            {
                answered[i] = await proposals.CastVoteAsync(Vote(i));
            }

            await using var blocker = new NpgsqlConnection(settings["Database:ConnectionString"]);
            await blocker.OpenAsync();
            var hold = await blocker.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM ballots WHERE \"Id\" = $1 FOR UPDATE", blocker, hold) { Parameters = { new() { Value = Guid.Parse(ballot.Id) } } })
            {
                await lockRow.ExecuteScalarAsync();
            }

            var calls = Enumerable.Range(5, Voters - 5).Select(i => Task.Run(async () =>
            {
                try
                {
                    answered[i] = await proposals.CastVoteAsync(Vote(i));
                }
                catch (RpcException)
                {
                    // No answer: the caller does not know whether the vote was written, and sends it again later.
                }
            })).ToList();
            // Watched from a connection of its own, outside any transaction: PostgreSQL keeps one snapshot of
            // pg_stat_activity per transaction, so polling inside the holding transaction would see its first answer
            // for ever.
            await using var watcher = new NpgsqlConnection(settings["Database:ConnectionString"]);
            await watcher.OpenAsync();
            await Eventually.TrueAsync(async () =>
            {
                await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()", watcher);
                return (long)(await waiting.ExecuteScalarAsync())! >= 1;
            }, "a group of votes should wait for the ballot's lock");
            await service.StopAsync();
            await hold.RollbackAsync();
            await Task.WhenAll(calls);
            Assert.Equal(5, answered.Count(a => a is not null));

            service = await ServiceProcess.StartAsync("Consultation", settings, port);
            co = EventSystem.Invoker(service.Address, TestTokens.Admin());
            proposals = new ProposalService.ProposalServiceClient(co);

            // Everyone sends their vote again under the same request id: a vote written before the kill is a replay
            // answering the receipt it was given; one that was not written is written now.
            for (var i = 0; i < Voters; i++)
            {
                var again = await proposals.CastVoteAsync(Vote(i));
                if (answered[i] is { } first)
                {
                    Assert.True(again.Replayed);
                    Assert.Equal(first.Receipt, again.Receipt);
                }

                var verified = await proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = again.Receipt.ReceiptCode });
                Assert.True(verified.Counted);
            }

            var closed = (await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Ballot;
            Assert.Equal((30, 10, Voters), (closed.Tally.Yes, closed.Tally.No, closed.Tally.Cast));

            var log = await proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
            Assert.Equal(Voters, log.Length);
            Assert.Equal(Voters, log.Entries.Select(e => e.MemberId).Distinct().Count());
            var (exit, output) = await VerifyWithScriptAsync(new GetBallotResponse { Ballot = closed }, log);
            Assert.True(exit == 0, output);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    /// <summary>scripts/verify-ballot-log.py on the ballot and its log as protobuf JSON (what buf curl prints).</summary>
    private static async Task<(int Exit, string Output)> VerifyWithScriptAsync(GetBallotResponse ballot, GetBallotLogResponse log)
    {
        var folder = Directory.CreateTempSubdirectory("watershed-crash-votes-").FullName;
        try
        {
            var formatter = new JsonFormatter(JsonFormatter.Settings.Default);
            var ballotFile = Path.Combine(folder, "ballot.json");
            var logFile = Path.Combine(folder, "log.json");
            await File.WriteAllTextAsync(ballotFile, formatter.Format(ballot));
            await File.WriteAllTextAsync(logFile, formatter.Format(log));
            var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "verify-ballot-log.py"));
            start.ArgumentList.Add(ballotFile);
            start.ArgumentList.Add(logFile);
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
