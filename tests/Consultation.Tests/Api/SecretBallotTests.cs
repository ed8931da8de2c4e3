using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Secret ballots hide their running counts until they close (unless the space shows them), and are receipt-free by
/// default: a voter can check their vote was counted but holds nothing that points at its choice in the published log.
/// </summary>
public sealed class SecretBallotTests : PostgresApiTest
{
    private async Task<Scenario> OpenAssemblyAsync(int voters = 4, SpaceRules? rules = null)
    {
        var s = await Scenario.CreateAsync(App, voters: voters, rules: rules);
        await s.OpenAssemblyAsync(present: voters);
        return s;
    }

    private static async Task<Ballot> OpenAsync(Scenario s, BallotSecrecy secrecy = BallotSecrecy.Unspecified, ReceiptMode receipts = ReceiptMode.Unspecified) =>
        (await s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest
        {
            ProposalId = (await s.ProposalOnAgendaAsync(ProposalType.General, $"Propuesta {Guid.NewGuid():N}")).Id,
            Secrecy = secrecy,
            Receipts = receipts,
        })).Ballot;

    [Fact]
    public async Task A_secret_ballot_shows_how_many_voted_but_no_count_no_log_and_no_hash_until_it_closes()
    {
        var s = await OpenAssemblyAsync();
        var ballot = await OpenAsync(s);
        Assert.Equal((true, ReceiptMode.ReceiptFree), (ballot.Secret, ballot.Receipts));
        var receipts = new List<VoteReceipt>();
        foreach (var (voter, choice) in s.Voters.Zip(new[] { VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No }))
        {
            receipts.Add((await s.RecordVoteAsync(ballot, voter, choice)).Receipt);
        }

        var viewer = App.ClientsFor(TestTokens.Create("viewer@test", ["viewer"], ["pomacanchi"]));
        foreach (var reader in new[] { s.Facilitator, s.Admin, viewer })
        {
            var live = (await reader.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
            Assert.Equal((true, 3, ""), (live.TallyHidden, live.VotesCast, live.LogHeadHash));
            Assert.Null(live.Tally);
            Assert.Null(live.Result);
            var log = await reader.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
            Assert.Equal(new GetBallotLogResponse { Length = 3, Withheld = true }, log);
        }

        // The receipt is the code alone, and says only that the vote counts.
        Assert.All(receipts, r => Assert.Equal((0L, ""), (r.Sequence, r.EntryHash)));
        var verified = await viewer.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = receipts[2].ReceiptCode });
        Assert.Equal(new VerifyReceiptResponse { Counted = true }, verified);

        var closed = (await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((false, new Tally { Yes = 2, No = 1, Cast = 3 }), (closed.TallyHidden, closed.Tally));
        var published = await viewer.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.False(published.Withheld);
        Assert.Equal(closed.LogHeadHash, published.HeadHash);
        Assert.Equal([VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No], published.Entries.Select(e => e.Choice));

        // No receipt code appears anywhere in the published log, and its chain still recomputes the count.
        Assert.All(published.Entries, e => Assert.Equal(("", ""), (e.ReceiptCode, e.MemberId)));
        Assert.DoesNotContain(receipts, r => published.ToString().Contains(r.ReceiptCode, StringComparison.Ordinal));
        Assert.Equal(new Watershed.Consultation.Domain.Tally(2, 1, 0, 0), VoidVoteTests.Recompute(ballot.Id, published));
        Assert.Equal(new VerifyReceiptResponse { Counted = true },
            await viewer.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = receipts[0].ReceiptCode }));
    }

    [Fact]
    public async Task A_receipt_free_vote_voided_says_it_no_longer_counts()
    {
        var s = await OpenAssemblyAsync();
        var ballot = await OpenAsync(s);
        var receipt = (await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes)).Receipt;
        var voided = await s.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest { BallotId = ballot.Id, MemberId = s.Voters[0].Id, Reason = "Tecla equivocada" });

        // While the counts are hidden the void's entry goes without hashes too.
        Assert.Equal((2L, 1L, "", ""), (voided.Entry.Sequence, voided.Entry.VoidedSequence, voided.Entry.EntryHash, voided.Entry.PreviousHash));
        Assert.Equal((true, 0, 1), (voided.Ballot.TallyHidden, voided.Ballot.VotesCast, voided.Ballot.Voided));
        Assert.Equal(new VerifyReceiptResponse { Counted = false },
            await s.Facilitator.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = receipt.ReceiptCode }));
    }

    [Fact]
    public async Task A_space_may_show_running_counts_of_its_secret_ballots()
    {
        var s = await OpenAssemblyAsync(rules: new SpaceRules { ShowRunningCounts = true });
        Assert.True(s.Space.Rules.ShowRunningCounts);
        var ballot = await OpenAsync(s);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No);
        var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((false, new Tally { No = 1, Cast = 1 }), (live.TallyHidden, live.Tally));
        var log = await s.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = ballot.Id });
        Assert.Equal((VoteChoice.No, live.LogHeadHash), (Assert.Single(log.Entries).Choice, log.HeadHash));
    }

    [Fact]
    public async Task A_linked_secret_ballot_points_a_receipt_at_its_entry_but_not_at_its_choice_before_the_close()
    {
        var s = await OpenAssemblyAsync();
        var ballot = await OpenAsync(s, receipts: ReceiptMode.Linked);
        var receipt = (await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No)).Receipt;
        Assert.Equal(1, receipt.Sequence);
        Assert.Equal(64, receipt.EntryHash.Length);

        var during = await s.Facilitator.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = receipt.ReceiptCode });
        Assert.Equal(new VerifyReceiptResponse
        {
            Counted = true,
            Entry = new BallotLogEntry { Sequence = 1, Kind = BallotLogEntryKind.Vote, ReceiptCode = receipt.ReceiptCode },
        }, during);

        await s.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
        var after = await s.Facilitator.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = ballot.Id, ReceiptCode = receipt.ReceiptCode });
        Assert.Equal((VoteChoice.No, receipt.EntryHash, true), (after.Entry.Choice, after.Entry.EntryHash, after.Counted));
    }

    [Fact]
    public async Task A_public_ballot_shows_its_counts_and_cannot_be_receipt_free()
    {
        var s = await OpenAssemblyAsync();
        var proposal = await s.ProposalOnAgendaAsync(ProposalType.General, "Faena comunal");
        var before = await App.SnapshotAsync();
        await GrpcStatusAssert.InvalidArgumentAsync(() => s.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest
        {
            ProposalId = proposal.Id, Secrecy = BallotSecrecy.Public, Receipts = ReceiptMode.ReceiptFree,
        }).ResponseAsync, "receipts");
        Assert.True(before.Equals(await App.SnapshotAsync()));

        var ballot = await OpenAsync(s, BallotSecrecy.Public);
        Assert.Equal(ReceiptMode.Linked, ballot.Receipts);
        await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes);
        var live = (await s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal((false, 1, 1), (live.TallyHidden, live.Tally.Yes, live.VotesCast));
    }
}
