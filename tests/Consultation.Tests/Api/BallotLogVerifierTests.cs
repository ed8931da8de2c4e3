using System.Diagnostics;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// scripts/verify-ballot-log.py, written from the byte format in proposals.proto and not from the service's code,
/// recomputes real published logs and their tallies, and fails on any tampering.
/// </summary>
public sealed class BallotLogVerifierTests : PostgresApiTest, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ballot-log-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record Run(int ExitCode, string Output);

    private async Task<Run> VerifyAsync(string ballotJson, params string[] logPages)
    {
        var ballotFile = Path.Combine(_folder, $"ballot-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(ballotFile, ballotJson);
        var files = new List<string> { ballotFile };
        foreach (var page in logPages)
        {
            files.Add(Path.Combine(_folder, $"log-{Guid.NewGuid():N}.json"));
            await File.WriteAllTextAsync(files[^1], page);
        }

        var start = new ProcessStartInfo(File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(ServiceProcess.RepositoryRoot(), "scripts", "verify-ballot-log.py"));
        files.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Run(process.ExitCode, output + errors);
    }

    /// <summary>A closed ballot with every kind of vote entry: yes, no, abstain, a void and a vote cast again.</summary>
    private async Task<(Scenario S, GetBallotResponse Ballot)> ClosedBallotAsync(BallotSecrecy secrecy, ReceiptMode receipts)
    {
        var s = await Scenario.CreateAsync(App, voters: 6);
        await s.OpenAssemblyAsync(present: 6);
        var ballot = (await s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest
        {
            ProposalId = (await s.ProposalOnAgendaAsync(ProposalType.PlanApproval, "Aprobar el plan | versión 2",
                new Watershed.Common.V1.ExternalReference { Kind = "landuse.plan_version", Id = "v2" })).Id,
            Secrecy = secrecy,
            Receipts = receipts,
        })).Ballot;
        var choices = new[] { VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No, VoteChoice.Abstain, VoteChoice.Yes };
        for (var i = 0; i < choices.Length; i++)
        {
            await s.RecordVoteAsync(ballot, s.Voters[i], choices[i]);
        }

        await s.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest { BallotId = ballot.Id, MemberId = s.Voters[4].Id, Reason = "Tecla equivocada | era «no»" });
        await s.RecordVoteAsync(ballot, s.Voters[4], VoteChoice.No, "cast-again-4");
        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        return (s, await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id }));
    }

    private static async Task<string[]> LogPagesAsync(Scenario s, string ballotId)
    {
        // Read in two pages, as a client would for a long log.
        var first = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballotId, Limit = 4 });
        var second = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballotId, AfterSequence = 4 });
        Assert.Equal(7, first.Entries.Count + second.Entries.Count);
        return [JsonFormatter.Default.Format(first), JsonFormatter.Default.Format(second)];
    }

    [Theory]
    [InlineData(BallotSecrecy.Secret, ReceiptMode.ReceiptFree)]
    [InlineData(BallotSecrecy.Secret, ReceiptMode.Linked)]
    [InlineData(BallotSecrecy.Public, ReceiptMode.Linked)]
    public async Task The_verifier_recomputes_a_real_published_log_its_tally_and_its_decision(BallotSecrecy secrecy, ReceiptMode receipts)
    {
        var (s, ballot) = await ClosedBallotAsync(secrecy, receipts);
        Assert.Equal(new Tally { Yes = 2, No = 2, Abstain = 1, Cast = 5 }, ballot.Ballot.Tally);

        var run = await VerifyAsync(JsonFormatter.Default.Format(ballot), await LogPagesAsync(s, ballot.Ballot.Id));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("recomputed tally: yes 2, no 2, abstain 1, block 0, cast 5; paper ballots blank 0, spoiled 0", run.Output, StringComparison.Ordinal);
        // Absolute majority of the 6 present needs 4 yes.
        Assert.Contains("rule DECISION_RULE_ABSOLUTE_MAJORITY_OF_PRESENT: rejected, 4 yes required", run.Output, StringComparison.Ordinal);
        Assert.Contains($"OK: ballot {ballot.Ballot.Id}: 7 entries", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verifier_fails_on_a_changed_choice_a_dropped_entry_a_changed_reason_a_missing_page_and_a_wrong_tally()
    {
        var (s, ballot) = await ClosedBallotAsync(BallotSecrecy.Secret, ReceiptMode.ReceiptFree);
        var pages = await LogPagesAsync(s, ballot.Ballot.Id);
        var ballotJson = JsonFormatter.Default.Format(ballot);

        static string Edit(string json, Action<JsonObject> change)
        {
            var node = JsonNode.Parse(json)!.AsObject();
            change(node);
            return node.ToJsonString();
        }

        var changedChoice = Edit(pages[0], log => log["entries"]![1]!["choice"] = "VOTE_CHOICE_NO");
        var dropped = Edit(pages[0], log => log["entries"]!.AsArray().RemoveAt(2));
        var reworded = Edit(pages[1], log => log["entries"]![1]!["reason"] = "Otro motivo");
        var wrongTally = Edit(ballotJson, b => b["ballot"]!["tally"]!["yes"] = 3);

        Assert.Contains("FAIL: entry 2: entry_hash is not the hash of its fields", (await VerifyAsync(ballotJson, changedChoice, pages[1])).Output, StringComparison.Ordinal);
        Assert.Contains("FAIL: entry 4: expected sequence 3", (await VerifyAsync(ballotJson, dropped, pages[1])).Output, StringComparison.Ordinal);
        Assert.Contains("FAIL: entry 6: entry_hash is not the hash of its fields", (await VerifyAsync(ballotJson, pages[0], reworded)).Output, StringComparison.Ordinal);
        Assert.Contains("the log has 7 entries and 4 were given", (await VerifyAsync(ballotJson, pages[0])).Output, StringComparison.Ordinal);
        Assert.Contains("FAIL: the published tally differs in: yes", (await VerifyAsync(wrongTally, pages)).Output, StringComparison.Ordinal);
        foreach (var bad in new[] { (ballotJson, new[] { changedChoice, pages[1] }), (ballotJson, new[] { pages[0] }), (wrongTally, pages) })
        {
            Assert.Equal(1, (await VerifyAsync(bad.Item1, bad.Item2)).ExitCode);
        }

        Assert.Equal(2, (await VerifyAsync("not json", pages)).ExitCode);
    }

    [Fact]
    public async Task A_secret_ballot_still_open_cannot_be_verified_yet()
    {
        var s = await Scenario.CreateAsync(App, voters: 2);
        await s.OpenAssemblyAsync(present: 2);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes);
        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        var live = await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id });

        var run = await VerifyAsync(JsonFormatter.Default.Format(live), JsonFormatter.Default.Format(log));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the log is withheld", run.Output, StringComparison.Ordinal);
    }
}
