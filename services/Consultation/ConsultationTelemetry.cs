using System.Diagnostics;
using System.Diagnostics.Metrics;
using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults;

namespace Watershed.Consultation;

/// <summary>
/// The consultation service's spans and counters: one counter per domain outcome, spans for the commands
/// worth tracing, tagged with ids and codes only (a ballot's voters and their names never appear).
/// </summary>
public sealed class ConsultationTelemetry : ServiceTelemetry
{
    private readonly Counter<long> _votesCast;
    private readonly Counter<long> _votesReplayed;
    private readonly Counter<long> _votesVoided;
    private readonly Histogram<int> _voteGroups;
    private readonly Counter<long> _paperBallotsIssued;
    private readonly Counter<long> _paperTallies;
    private readonly Counter<long> _ballotsOpened;
    private readonly Counter<long> _ballotsClosed;
    private readonly Counter<long> _assembliesOpened;
    private readonly Counter<long> _assembliesClosed;

    public ConsultationTelemetry(IMeterFactory meters, ServiceIdentity service)
        : base(meters, service)
    {
        _votesCast = Meter.CreateCounter<long>("watershed.consultation.votes.cast", "{vote}", "Votes counted on a ballot, by channel.");
        _votesReplayed = Meter.CreateCounter<long>("watershed.consultation.votes.replayed", "{vote}", "Vote requests answered with an earlier receipt (a retry).");
        _voteGroups = Meter.CreateHistogram<int>("watershed.consultation.votes.group_size", "{vote}", "Votes written together in one transaction on a ballot (group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _votesVoided = Meter.CreateCounter<long>("watershed.consultation.votes.voided", "{vote}", "Votes voided by a facilitator's correction.");
        _paperBallotsIssued = Meter.CreateCounter<long>("watershed.consultation.paper_ballots.issued", "{ballot}", "Paper ballots handed to electors for a ballot box.");
        _paperTallies = Meter.CreateCounter<long>("watershed.consultation.paper_tallies", "{tally}", "Counts of ballot boxes, by stage (entered or attested).");
        _ballotsOpened = Meter.CreateCounter<long>("watershed.consultation.ballots.opened", "{ballot}", "Ballots opened.");
        _ballotsClosed = Meter.CreateCounter<long>("watershed.consultation.ballots.closed", "{ballot}", "Ballots closed, by outcome (approved or rejected).");
        _assembliesOpened = Meter.CreateCounter<long>("watershed.consultation.assemblies.opened", "{assembly}", "Assemblies opened, by call and whether quorum was reached.");
        _assembliesClosed = Meter.CreateCounter<long>("watershed.consultation.assemblies.closed", "{assembly}", "Assemblies closed.");
    }

    public Activity? StartForBallot(string operation, Guid ballotId) => Start(operation)?.SetTag("ballot.id", ballotId.ToString());

    public Activity? StartForAssembly(string operation, Guid assemblyId) => Start(operation)?.SetTag("assembly.id", assemblyId.ToString());

    public void VoteCast(VoteChannel channel) => _votesCast.Add(1, new KeyValuePair<string, object?>("channel", ChannelTag(channel)));

    public void VoteReplayed() => _votesReplayed.Add(1);

    public void VoteGroup(int size) => _voteGroups.Record(size);

    public void VoteVoided() => _votesVoided.Add(1);

    public void PaperBallotsIssued(int count) => _paperBallotsIssued.Add(count);

    public void PaperTally(string stage) => _paperTallies.Add(1, new KeyValuePair<string, object?>("stage", stage));

    public void BallotOpened(DecisionRule rule) => _ballotsOpened.Add(1, new KeyValuePair<string, object?>("rule", RuleTag(rule)));

    public void BallotClosed(bool approved) => _ballotsClosed.Add(1, new KeyValuePair<string, object?>("outcome", approved ? "approved" : "rejected"));

    public void AssemblyOpened(QuorumCount quorum) => _assembliesOpened.Add(1,
        new KeyValuePair<string, object?>("call", quorum.Call == AssemblyCall.First ? "first" : "second"),
        new KeyValuePair<string, object?>("quorum", quorum.Reached ? "reached" : "not_reached"));

    public void AssemblyClosed() => _assembliesClosed.Add(1);

    public static string ChannelTag(VoteChannel channel) => channel switch
    {
        VoteChannel.Direct => "direct",
        VoteChannel.RecordedByFacilitator => "recorded_by_facilitator",
        VoteChannel.PaperBallot => "paper_ballot",
        _ => "proxy",
    };

    public static string RuleTag(DecisionRule rule) => rule switch
    {
        DecisionRule.SimpleMajority => "simple_majority",
        DecisionRule.AbsoluteMajorityOfPresent => "absolute_majority_of_present",
        DecisionRule.TwoThirdsOfRoll => "two_thirds_of_roll",
        _ => "consensus",
    };
}
