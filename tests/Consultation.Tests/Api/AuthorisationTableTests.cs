using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>A watershed with a roll, an open assembly with quorum, a ballot with one vote, and a second watershed.</summary>
public sealed class AuthorisationTableFixture : IAsyncLifetime
{
    private int _next;

    public ConsultationApp App { get; private set; } = null!;

    public Scenario S { get; private set; } = null!;

    public Ballot Ballot { get; private set; } = null!;

    public string Receipt { get; private set; } = null!;

    public Clients F => S.Facilitator;

    public async Task InitializeAsync()
    {
        App = await ConsultationApp.OnPostgresAsync();
        S = await Scenario.CreateAsync(App, voters: 3);
        await S.Admin.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "cachora", Name = "Microcuenca Cachora" });
        await S.OpenAssemblyAsync(present: 3);
        Ballot = await S.OpenBallotAsync(await S.ProposalOnAgendaAsync(ProposalType.General, "Propuesta leída"));
        Receipt = (await S.RecordVoteAsync(Ballot, S.Voters[1], VoteChoice.Yes, "fixture-vote-1")).Receipt.ReceiptCode;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A number no other case has used, for names and request ids.</summary>
    public int Next() => Interlocked.Increment(ref _next);

    public Clients As(string caller) => App.ClientsFor(caller switch
    {
        "admin" => TestTokens.Admin(),
        "facilitator" => TestTokens.Facilitator("pomacanchi"),
        "facilitator of another watershed" => TestTokens.Facilitator("cachora"),
        "member" => TestTokens.Member(Guid.Parse(S.Voters[0].PersonId), "pomacanchi"),
        "viewer" => TestTokens.Create("viewer@test", ["viewer"], ["pomacanchi"]),
        "no role" => TestTokens.Create("norole@test", [], ["pomacanchi"]),
        "unknown role" => TestTokens.Create("auditor@test", ["auditor"], ["pomacanchi"]),
        // A service's own identity, as ServiceTokens mints it: every watershed, role service, never a person.
        "service" => TestTokens.Create("service:notifications", ["service"], ["*"]),
        _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Unknown caller."),
    });

    public async Task<Assembly> ConvenedAssemblyAsync() =>
        (await F.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = S.Space.Id,
            Title = $"Asamblea {Next()}",
            Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
        })).Assembly;

    /// <summary>A draft submitted in the member's own name (the member's token names that person).</summary>
    public async Task<Proposal> MembersDraftAsync() =>
        (await F.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = S.Space.Id,
            Title = $"Propuesta {Next()}",
            Type = ProposalType.General,
            SubmittedByPersonId = S.Voters[0].PersonId,
        })).Proposal;

    public async Task<Ballot> OpenBallotAsync() =>
        await S.OpenBallotAsync(await S.ProposalOnAgendaAsync(ProposalType.General, $"Propuesta {Next()}"));

    /// <summary>A convened assembly of a space that takes proxies, with two voting members: one to represent, one to carry it.</summary>
    public async Task<(string Assembly, string Represented, string Holder)> ProxyAssemblyAsync()
    {
        var space = (await F.Spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = S.Watershed.Id, Name = $"Asamblea {Next()}", Kind = SpaceKind.CommunityAssembly,
            Rules = new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 1 } },
        })).Space;
        var members = new List<string>();
        foreach (var voter in S.Voters.Take(2))
        {
            members.Add((await F.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = voter.PersonId, Role = MemberRole.VotingMember })).Member.Id);
        }

        var assembly = (await F.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Asamblea con poderes", Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
        })).Assembly;
        return (assembly.Id, members[0], members[1]);
    }

    /// <summary>An open ballot where one elector collected a paper ballot.</summary>
    public async Task<Ballot> PaperBallotAsync()
    {
        var ballot = await OpenBallotAsync();
        await F.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest { BallotId = ballot.Id, MemberIds = { S.Voters[2].Id } });
        return ballot;
    }
}

/// <summary>
/// Every RPC of the consultation contract against every kind of caller, through the real API: a caller the
/// RPC allows succeeds (on data prepared so it can), any other is PERMISSION_DENIED and changes nothing.
/// Reading needs a known role in the watershed; a token with only a watershed claim reads nothing.
/// </summary>
public sealed class AuthorisationTableTests(AuthorisationTableFixture fixture) : IClassFixture<AuthorisationTableFixture>
{
    private static readonly string[] Callers =
        ["admin", "facilitator", "facilitator of another watershed", "member", "viewer", "no role", "unknown role", "service"];

    private static readonly string[] Everyone = Callers;
    private static readonly string[] Readers = ["admin", "facilitator", "member", "viewer", "service"];

    /// <summary>Phone numbers and e-mail addresses: not for members or viewers.</summary>
    private static readonly string[] ContactReaders = ["admin", "facilitator", "service"];
    private static readonly string[] Writers = ["admin", "facilitator"];
    private static readonly string[] WritersAndTheMemberForThemselves = ["admin", "facilitator", "member"];
    private static readonly string[] Admins = ["admin"];

    /// <summary>Per RPC: who may call it, and what prepares its data (as the facilitator) and returns the call to make.</summary>
    private static readonly Dictionary<string, (string[] Allowed, Func<AuthorisationTableFixture, Task<Func<Clients, Task>>> Arrange)> Table = new()
    {
        ["CreateWatershed"] = (Admins, f => Call(c => c.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = $"nueva-{f.Next()}", Name = "Nueva" }).ResponseAsync)),
        ["GetWatershed"] = (Readers, f => Call(c => c.Stakeholders.GetWatershedAsync(new GetWatershedRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),
        ["ListWatersheds"] = (Everyone, f => Call(c => c.Stakeholders.ListWatershedsAsync(new ListWatershedsRequest()).ResponseAsync)),
        ["CreateOrganization"] = (Writers, f => Call(c => c.Stakeholders.CreateOrganizationAsync(new CreateOrganizationRequest { WatershedId = f.S.Watershed.Id, Name = $"Asociación {f.Next()}", Kind = OrganizationKind.Association }).ResponseAsync)),
        ["GetOrganization"] = (Readers, f => Call(c => c.Stakeholders.GetOrganizationAsync(new GetOrganizationRequest { OrganizationId = f.S.Community!.Id }).ResponseAsync)),
        ["ListOrganizations"] = (Readers, f => Call(c => c.Stakeholders.ListOrganizationsAsync(new ListOrganizationsRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),
        ["CreatePerson"] = (Writers, f => Call(c => c.Stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = f.S.Watershed.Id, FullName = $"Persona {f.Next()}" }).ResponseAsync)),
        ["GetPerson"] = (Readers, f => Call(c => c.Stakeholders.GetPersonAsync(new GetPersonRequest { PersonId = f.S.Voters[0].PersonId }).ResponseAsync)),
        ["ListPersons"] = (Readers, f => Call(c => c.Stakeholders.ListPersonsAsync(new ListPersonsRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),

        ["CreateSpace"] = (Writers, f => Call(c => c.Spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = f.S.Watershed.Id, Name = $"Mesa {f.Next()}", Kind = SpaceKind.RoundTable }).ResponseAsync)),
        ["GetSpace"] = (Readers, f => Call(c => c.Spaces.GetSpaceAsync(new GetSpaceRequest { SpaceId = f.S.Space.Id }).ResponseAsync)),
        ["ListSpaces"] = (Readers, f => Call(c => c.Spaces.ListSpacesAsync(new ListSpacesRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),
        ["AddMember"] = (Writers, async f =>
        {
            var person = (await f.F.Stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = f.S.Watershed.Id, FullName = $"Persona {f.Next()}" })).Person;
            return c => c.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = f.S.Space.Id, PersonId = person.Id, Role = MemberRole.Observer }).ResponseAsync;
        }),
        ["RemoveMember"] = (Writers, async f =>
        {
            var member = await f.S.AddPersonAsync($"Persona {f.Next()}", MemberRole.Observer);
            return c => c.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = member.Id }).ResponseAsync;
        }),
        ["ImportRoll"] = (Writers, f => Call(c => c.Spaces.ImportRollAsync(new ImportRollRequest
        {
            SpaceId = f.S.Space.Id, Csv = $"nombre,dni\nPersona importada {f.Next()},{f.Next() + 10_000_000}\n",
        }).ResponseAsync)),
        ["ListMembers"] = (Readers, f => Call(c => c.Spaces.ListMembersAsync(new ListMembersRequest { SpaceId = f.S.Space.Id }).ResponseAsync)),

        ["ConveneAssembly"] = (Writers, f => Call(c => c.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = f.S.Space.Id, Title = $"Asamblea {f.Next()}", Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
        }).ResponseAsync)),
        ["GetAssembly"] = (Readers, f => Call(c => c.Assemblies.GetAssemblyAsync(new GetAssemblyRequest { AssemblyId = f.S.Assembly!.Id }).ResponseAsync)),
        ["ListAssemblies"] = (Readers, f => Call(c => c.Assemblies.ListAssembliesAsync(new ListAssembliesRequest { SpaceId = f.S.Space.Id }).ResponseAsync)),
        ["RecordAttendance"] = (Writers, async f =>
        {
            var assembly = await f.ConvenedAssemblyAsync();
            return c => c.Assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = f.S.Voters[0].Id, Present = true }).ResponseAsync;
        }),
        ["RecordBulkAttendance"] = (Writers, async f =>
        {
            var assembly = await f.ConvenedAssemblyAsync();
            return c => c.Assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest { AssemblyId = assembly.Id, MemberIds = { f.S.Voters[0].Id, f.S.Voters[1].Id }, Present = true }).ResponseAsync;
        }),
        ["OpenAssembly"] = (Writers, async f =>
        {
            var assembly = await f.ConvenedAssemblyAsync();
            return c => c.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First }).ResponseAsync;
        }),
        ["CloseAssembly"] = (Writers, async f =>
        {
            var assembly = await f.ConvenedAssemblyAsync();
            await f.F.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
            return c => c.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id }).ResponseAsync;
        }),
        ["RegisterProxy"] = (Writers, async f =>
        {
            var (assembly, represented, holder) = await f.ProxyAssemblyAsync();
            return c => c.Assemblies.RegisterProxyAsync(new RegisterProxyRequest { AssemblyId = assembly, MemberId = represented, HolderMemberId = holder }).ResponseAsync;
        }),
        ["RevokeProxy"] = (Writers, async f =>
        {
            var (assembly, represented, holder) = await f.ProxyAssemblyAsync();
            await f.F.Assemblies.RegisterProxyAsync(new RegisterProxyRequest { AssemblyId = assembly, MemberId = represented, HolderMemberId = holder });
            return c => c.Assemblies.RevokeProxyAsync(new RevokeProxyRequest { AssemblyId = assembly, MemberId = represented }).ResponseAsync;
        }),
        ["AppendMinutesCorrection"] = (Writers, async f =>
        {
            var assembly = await f.ConvenedAssemblyAsync();
            await f.F.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
            await f.F.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id });
            return c => c.Assemblies.AppendMinutesCorrectionAsync(new AppendMinutesCorrectionRequest { AssemblyId = assembly.Id, Text = "Donde dice 14:30 debe decir 15:30." }).ResponseAsync;
        }),
        ["GetQuorum"] = (Readers, f => Call(c => c.Assemblies.GetQuorumAsync(new GetQuorumRequest { AssemblyId = f.S.Assembly!.Id }).ResponseAsync)),
        ["GetMinutes"] = (Readers, f => Call(c => c.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = f.S.Assembly!.Id }).ResponseAsync)),

        ["CreateProposal"] = (WritersAndTheMemberForThemselves, f => Call(c => c.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = f.S.Space.Id, Title = $"Propuesta {f.Next()}", Type = ProposalType.General, SubmittedByPersonId = f.S.Voters[0].PersonId,
        }).ResponseAsync)),
        ["SubmitProposal"] = (WritersAndTheMemberForThemselves, async f =>
        {
            var draft = await f.MembersDraftAsync();
            return c => c.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = draft.Id }).ResponseAsync;
        }),
        ["PlaceOnAgenda"] = (Writers, async f =>
        {
            var draft = await f.MembersDraftAsync();
            await f.F.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = draft.Id });
            return c => c.Proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = draft.Id, AssemblyId = f.S.Assembly!.Id }).ResponseAsync;
        }),
        ["WithdrawProposal"] = (WritersAndTheMemberForThemselves, async f =>
        {
            var draft = await f.MembersDraftAsync();
            return c => c.Proposals.WithdrawProposalAsync(new WithdrawProposalRequest { ProposalId = draft.Id }).ResponseAsync;
        }),
        ["GetProposal"] = (Readers, f => Call(c => c.Proposals.GetProposalAsync(new GetProposalRequest { ProposalId = f.Ballot.ProposalId }).ResponseAsync)),
        ["ListProposals"] = (Readers, f => Call(c => c.Proposals.ListProposalsAsync(new ListProposalsRequest { WatershedId = f.S.Watershed.Id }).ResponseAsync)),
        ["OpenBallot"] = (Writers, async f =>
        {
            var proposal = await f.S.ProposalOnAgendaAsync(ProposalType.General, $"Propuesta {f.Next()}");
            return c => c.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id }).ResponseAsync;
        }),
        ["CastVote"] = (WritersAndTheMemberForThemselves, async f =>
        {
            // The member votes for themselves (directly); a facilitator or an admin records the same member's vote.
            var ballot = await f.OpenBallotAsync();
            return c => c.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = f.S.Voters[0].Id, Choice = VoteChoice.Yes, ClientRequestId = $"table-vote-{f.Next()}" }).ResponseAsync;
        }),
        ["CloseBallot"] = (Writers, async f =>
        {
            var ballot = await f.OpenBallotAsync();
            return c => c.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id }).ResponseAsync;
        }),
        ["GetBallot"] = (Readers, f => Call(c => c.Proposals.GetBallotAsync(new GetBallotRequest { BallotId = f.Ballot.Id }).ResponseAsync)),
        ["GetBallotLog"] = (Readers, f => Call(c => c.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = f.Ballot.Id }).ResponseAsync)),
        ["VerifyReceipt"] = (Readers, f => Call(c => c.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = f.Ballot.Id, ReceiptCode = f.Receipt }).ResponseAsync)),
        ["ListBallotParticipants"] = (Writers, f => Call(c => c.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = f.Ballot.Id }).ResponseAsync)),

        ["VoidVote"] = (Writers, async f =>
        {
            var ballot = await f.OpenBallotAsync();
            await f.S.RecordVoteAsync(ballot, f.S.Voters[2], VoteChoice.Yes, $"table-void-{f.Next()}");
            return c => c.Proposals.VoidVoteAsync(new VoidVoteRequest { BallotId = ballot.Id, MemberId = f.S.Voters[2].Id, Reason = "Tecla equivocada" }).ResponseAsync;
        }),

        ["IssuePaperBallots"] = (Writers, async f =>
        {
            var ballot = await f.OpenBallotAsync();
            return c => c.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest { BallotId = ballot.Id, MemberIds = { f.S.Voters[2].Id } }).ResponseAsync;
        }),
        ["RecordPaperTally"] = (Writers, async f =>
        {
            var ballot = await f.PaperBallotAsync();
            return c => c.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 1 } }).ResponseAsync;
        }),
        ["AttestPaperTally"] = (Writers, async f =>
        {
            // Entered by a third member of the committee, so the admin and the facilitator may both attest it.
            var ballot = await f.PaperBallotAsync();
            var committee = f.App.ClientsFor(TestTokens.Create("committee@test", ["facilitator"], ["pomacanchi"]));
            await committee.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 1 } });
            return c => c.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 1 } }).ResponseAsync;
        }),

        ["ListSpaceContacts"] = (ContactReaders, f => Call(c => c.Contacts.ListSpaceContactsAsync(new ListSpaceContactsRequest { SpaceId = f.S.Space.Id }).ResponseAsync)),
        ["ListDeadLetters"] = (Admins, f => Call(c => c.DeadLetters.ListDeadLettersAsync(new Watershed.Events.V1.ListDeadLettersRequest()).ResponseAsync)),
    };

    private static Task<Func<Clients, Task>> Call(Func<Clients, Task> call) => Task.FromResult(call);

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var rpc in Table.Keys)
        {
            foreach (var caller in Callers)
            {
                rows.Add(rpc, caller);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_rpc_allows_exactly_its_callers(string rpc, string caller)
    {
        var (allowed, arrange) = Table[rpc];
        var call = await arrange(fixture);
        var clients = fixture.As(caller);
        if (allowed.Contains(caller))
        {
            using var calls = CallRecorder.Start();
            await call(clients);
            Assert.Equal(rpc, calls.Methods[^1]);
            return;
        }

        var before = await fixture.App.SnapshotAsync();
        using (var calls = CallRecorder.Start())
        {
            await GrpcStatusAssert.ThrowsAsync(StatusCode.PermissionDenied, () => call(clients));
            Assert.Equal(rpc, calls.Methods[^1]);
        }

        var after = await fixture.App.SnapshotAsync();
        Assert.True(before.Equals(after), $"The denied call changed: {string.Join(", ", before.Differences(after))}");
    }

    [Fact]
    public void The_table_covers_every_rpc_of_the_consultation_contract() =>
        ContractCoverage.AssertEveryRpcHasACase(
            [StakeholderService.Descriptor, SpaceService.Descriptor, AssemblyService.Descriptor, ProposalService.Descriptor, ContactService.Descriptor,
                Watershed.Events.V1.DeadLetterService.Descriptor],
            Table.Keys);

    [Theory]
    [InlineData("admin", new[] { "cachora", "pomacanchi" })]
    [InlineData("facilitator", new[] { "pomacanchi" })]
    [InlineData("viewer", new[] { "pomacanchi" })]
    [InlineData("facilitator of another watershed", new[] { "cachora" })]
    [InlineData("no role", new string[0])]
    [InlineData("unknown role", new string[0])]
    [InlineData("service", new[] { "cachora", "pomacanchi" })]
    public async Task Listing_watersheds_shows_only_those_the_caller_may_read(string caller, string[] codes)
    {
        var listed = await fixture.As(caller).Stakeholders.ListWatershedsAsync(new ListWatershedsRequest { Page = new PageRequest { PageSize = 500 } });
        Assert.Equal(codes, listed.Watersheds.Select(w => w.Code).Where(c => !c.StartsWith("nueva-", StringComparison.Ordinal)));
    }
}
