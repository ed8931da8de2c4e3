using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// A vote as an operator sees it: its span, the counters, the log line of the ballot closing, and the database
/// commands it costs. Runs in the telemetry collection (alone), so every measurement of the service's meter is this test's.
/// </summary>
[Collection(nameof(TelemetryTests))]
public sealed class VoteTelemetryTests
{
    [Fact]
    public async Task A_vote_is_a_span_tagged_with_its_ballot_and_counted_by_channel_and_a_closing_is_counted_and_logged()
    {
        var logs = new List<LogRecord>();
        await using var app = await ConsultationApp.OnPostgresAsync(services =>
            services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(logs)));
        var s = await Scenario.CreateAsync(app, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        var rosa = app.ClientsFor(TestTokens.Member(Guid.Parse(s.Voters[0].PersonId), "pomacanchi"));

        using var capture = new TelemetryCapture("watershed-consultation");
        await rosa.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = s.Voters[0].Id, Choice = VoteChoice.Yes, ClientRequestId = "rosa-phone-1" });
        await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.Yes, "show-of-hands-1");
        await s.RecordVoteAsync(ballot, s.Voters[1], VoteChoice.Yes, "show-of-hands-1"); // a retry
        var closed = await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });

        var votes = capture.Spans.Where(a => a.OperationName == "CastVote" && (string?)a.GetTagItem("ballot.id") == ballot.Id).ToList();
        Assert.Equal([false, false, true], votes.Select(v => (bool?)v.GetTagItem("vote.replayed") == true).Order());
        Assert.Single(capture.Spans, a => a.OperationName == "CloseBallot" && (string?)a.GetTagItem("ballot.id") == ballot.Id
            && (string?)a.GetTagItem("assembly.id") == s.Assembly!.Id);

        Assert.Equal([("direct", 1d), ("recorded_by_facilitator", 1d)],
            Measured(capture, "watershed.consultation.votes.cast").Select(m => (m.Tags["channel"], m.Value)).Order());
        Assert.Equal([1d], Measured(capture, "watershed.consultation.votes.replayed").Select(m => m.Value));
        Assert.Equal([("approved", 1d)], Measured(capture, "watershed.consultation.ballots.closed").Select(m => (m.Tags["outcome"], m.Value)));
        Assert.True(closed.Ballot.Result.Approved);

        var closing = Assert.Single(logs, l => l.CategoryName == "Watershed.Consultation.Grpc.ProposalGrpcService");
        Assert.Equal(LogLevel.Information, closing.LogLevel);
        Assert.Equal(
            $"Ballot {ballot.Id} on proposal {closed.Proposal.Id} in assembly {s.Assembly!.Id} closed under simple_majority: approved with 2 yes, 0 no, 0 abstain, 0 block; 3 eligible, 3 on the roll, 1 yes required",
            closing.FormattedMessage);
    }

    [Fact]
    public async Task Opening_and_closing_an_assembly_and_opening_a_ballot_are_counted_and_traced()
    {
        await using var app = await ConsultationApp.OnPostgresAsync();
        var s = await Scenario.CreateAsync(app, voters: 3);
        using var capture = new TelemetryCapture("watershed-consultation");
        var assembly = await s.OpenAssemblyAsync(present: 1); // one of three: no quorum at the first call
        var landAct = await s.SubmittedAsync(ProposalType.LandUseChange, "Ceder pastos"); // voted only where the call lists it
        var second = (await s.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest
        {
            AssemblyId = (await s.ConveneAsync(3, landAct.Id)).Id,
            Call = AssemblyCall.Second,
        })).Assembly;
        var ballot = await s.OpenBallotAsync(landAct);
        await s.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id });

        Assert.Equal([("first", "not_reached", 1d), ("second", "reached", 1d)],
            Measured(capture, "watershed.consultation.assemblies.opened").Select(m => (m.Tags["call"], m.Tags["quorum"], m.Value)).Order());
        Assert.Equal([("two_thirds_of_roll", 1d)], Measured(capture, "watershed.consultation.ballots.opened").Select(m => (m.Tags["rule"], m.Value)));
        Assert.Equal([1d], Measured(capture, "watershed.consultation.assemblies.closed").Select(m => m.Value));
        Assert.Single(capture.Spans, a => a.OperationName == "OpenBallot" && (string?)a.GetTagItem("assembly.id") == second.Id
            && (string?)a.GetTagItem("ballot.id") == ballot.Id);
        Assert.Single(capture.Spans, a => a.OperationName == "CloseAssembly" && (string?)a.GetTagItem("assembly.id") == assembly.Id);
    }

    [Fact]
    public async Task A_lone_vote_costs_three_database_commands_and_a_replay_one()
    {
        await using var app = await ConsultationApp.OnPostgresAsync();
        var s = await Scenario.CreateAsync(app, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));

        using var service = new TelemetryCapture("watershed-consultation");
        using var npgsql = new TelemetryCapture("Npgsql");
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, "counted-vote-1");
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, "counted-vote-1");

        var votes = service.Spans.Where(a => a.OperationName == "CastVote").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(2, votes.Count);
        // In the call, one: the ballot with its scope, the member, elector and earlier request. The replay stops there.
        Assert.Equal([1, 1], votes.Select(v => npgsql.Spans.Count(c => c.TraceId == v.TraceId)));

        // The write, in the group's own span, linked to the call: the row lock; the inserts and the update in one batch.
        var group = Assert.Single(service.Spans, a => a.OperationName == "CastVote group");
        Assert.Equal(votes[0].Context, Assert.Single(group.Links).Context);
        Assert.Equal(1, group.GetTagItem("votes.group_size"));
        Assert.Equal(2, npgsql.Spans.Count(c => c.TraceId == group.TraceId));
    }

    [Fact]
    public async Task A_duplicate_vote_is_refused_as_already_existing_without_an_error_or_warning_log()
    {
        var logs = new List<LogRecord>();
        await using var app = await ConsultationApp.OnPostgresAsync(services =>
            services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(logs)));
        var s = await Scenario.CreateAsync(app, voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "first-request");

        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, "second-request"));

        // (The start-up notice that Dapr's callbacks run without an app API token is about the deployment, not the vote.)
        Assert.Empty(logs.Where(l => l.LogLevel >= LogLevel.Warning && l.CategoryName != typeof(Watershed.ServiceDefaults.Events.DaprAppToken).FullName)
            .Select(l => $"{l.CategoryName}: {l.FormattedMessage}"));
    }

    private static List<TelemetryCapture.Measurement> Measured(TelemetryCapture capture, string instrument) =>
        [.. capture.Measurements.Where(m => m.Instrument == instrument)];
}
