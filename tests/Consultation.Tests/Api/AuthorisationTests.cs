using Grpc.Core;
using Grpc.Health.V1;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>Real token validation on every call, and a member's own vote; every RPC against every caller is <see cref="AuthorizationMatrixTests"/>.</summary>
public sealed class AuthorisationTests : PostgresApiTest
{
    private Scenario _s = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _s = await Scenario.CreateAsync(App, voters: 3);
    }

    private Task<ListSpacesResponse> ListSpaces(string? token) =>
        App.ClientsFor(token).Spaces.ListSpacesAsync(new ListSpacesRequest { WatershedId = _s.Watershed.Id }).ResponseAsync;

    [Fact]
    public async Task Calls_without_a_token_are_unauthenticated() =>
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () => ListSpaces(null));

    [Fact]
    public async Task Tokens_signed_with_another_key_are_unauthenticated()
    {
        var forged = TestTokens.Create("mallory", ["admin"], ["*"], signingKey: Convert.ToBase64String(new byte[32]));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () => ListSpaces(forged));
    }

    [Fact]
    public async Task Expired_tokens_and_foreign_issuers_are_unauthenticated()
    {
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () =>
            ListSpaces(TestTokens.Create("late", ["admin"], ["*"], lifetime: TimeSpan.FromMinutes(-10))));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () =>
            ListSpaces(TestTokens.Create("other", ["admin"], ["*"], issuer: "someone-else")));
    }

    [Fact]
    public async Task Tokens_whose_subject_no_record_can_hold_are_unauthenticated()
    {
        // Every service keeps the subject with what the caller records (RecordedBy, StoredBy...), in 200 characters.
        Assert.Single((await ListSpaces(TestTokens.Create(new string('s', 200), ["admin"], ["*"]))).Spaces);
        foreach (var subject in new[] { new string('s', 201), new string('s', 5_000), string.Empty, "ana\0quispe", "ana\nquispe" })
        {
            await GrpcStatusAssert.ThrowsAsync(StatusCode.Unauthenticated, () => ListSpaces(TestTokens.Create(subject, ["admin"], ["*"])));
        }
    }

    [Fact]
    public async Task A_member_casts_their_own_vote_but_not_anyone_elses()
    {
        await _s.OpenAssemblyAsync(present: 3);
        var ballot = await _s.OpenBallotAsync(await _s.ProposalOnAgendaAsync(ProposalType.General));
        var rosa = App.ClientsFor(TestTokens.Member(Guid.Parse(_s.Voters[0].PersonId), "pomacanchi"));

        var own = await rosa.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = _s.Voters[0].Id, Choice = VoteChoice.Yes, ClientRequestId = "rosa-phone-1" });
        Assert.Matches("^[0-9A-Z]{5}-[0-9A-Z]{5}$", own.Receipt.ReceiptCode);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            rosa.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = _s.Voters[1].Id, Choice = VoteChoice.No, ClientRequestId = "rosa-phone-2" }).ResponseAsync);
        // A facilitator cannot pass a recorded vote off as the member's own.
        await GrpcStatusAssert.InvalidArgumentAsync(() =>
            _s.Facilitator.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = _s.Voters[1].Id, Choice = VoteChoice.No, ClientRequestId = "facilitator-1", Channel = VoteChannel.Direct }).ResponseAsync,
            "channel");
        var live = (await _s.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = ballot.Id })).Ballot;
        Assert.Equal(1, live.VotesCast);

        // The facilitator's audit shows who voted and how, never what.
        await _s.RecordVoteAsync(ballot, _s.Voters[2], VoteChoice.No);
        var audit = await _s.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id });
        Assert.Equal(
            [(_s.Voters[0].Id, VoteChannel.Direct, $"person:{_s.Voters[0].PersonId}"), (_s.Voters[2].Id, VoteChannel.RecordedByFacilitator, "facilitator@test")],
            audit.Participants.Select(p => (p.MemberId, p.Channel, p.RecordedBy)).OrderBy(p => p.MemberId == _s.Voters[0].Id ? 0 : 1));
        Assert.Equal(1, audit.NotYetVoted);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () =>
            rosa.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id }).ResponseAsync);
    }

    [Fact]
    public async Task Health_is_served_without_a_token_and_reflects_the_database()
    {
        var health = new Health.HealthClient(App.Channel());
        var reply = await health.CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
