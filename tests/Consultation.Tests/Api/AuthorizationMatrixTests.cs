using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Testing;
using Xunit.Abstractions;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Pomacanchi (the own watershed) and Cachora (the other), each with a roll of three voters and an advisor, an open
/// assembly with quorum and a ballot with one vote: what every row of the matrix and every foreign-id case names.
/// </summary>
public sealed class ConsultationMatrixWorld : IAsyncLifetime
{
    private int _next;

    public ConsultationApp App { get; private set; } = null!;

    /// <summary>The own watershed's objects.</summary>
    public Scenario A { get; private set; } = null!;

    /// <summary>The other watershed's objects, for foreign ids.</summary>
    public Scenario B { get; private set; } = null!;

    public Ballot Ballot { get; private set; } = null!;

    public string Receipt { get; private set; } = null!;

    public Ballot OtherBallot { get; private set; } = null!;

    public string OtherReceipt { get; private set; } = null!;

    /// <summary>Each watershed's second space, whose roll the cases add delegates to (the first one's electorate stays as it is).</summary>
    public Dictionary<Scenario, Space> RollSpace { get; } = [];

    public MatrixCallers Callers => new("pomacanchi", "cachora", Guid.Parse(A.Voters[0].PersonId), Guid.Parse(B.Voters[0].PersonId));

    public async Task InitializeAsync()
    {
        App = await ConsultationApp.OnPostgresAsync(settings: new Dictionary<string, string?> { ["Grpc:Reflection"] = "true" });
        A = await Scenario.CreateAsync(App, "pomacanchi", voters: 3);
        B = await Scenario.CreateAsync(App, "cachora", voters: 3);
        foreach (var s in new[] { A, B })
        {
            await s.OpenAssemblyAsync(present: 3);
            RollSpace[s] = (await s.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest
            {
                WatershedId = s.Watershed.Id, Name = "Consejo de delegados", Kind = SpaceKind.RoundTable,
            })).Space;
        }

        Ballot = await A.OpenBallotAsync(await A.ProposalOnAgendaAsync(ProposalType.General, "Propuesta leída"));
        Receipt = (await A.RecordVoteAsync(Ballot, A.Voters[1], VoteChoice.Yes, "matrix-vote-a")).Receipt.ReceiptCode;
        OtherBallot = await B.OpenBallotAsync(await B.ProposalOnAgendaAsync(ProposalType.General, "Propuesta de Cachora"));
        OtherReceipt = (await B.RecordVoteAsync(OtherBallot, B.Voters[1], VoteChoice.Yes, "matrix-vote-b")).Receipt.ReceiptCode;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public Scenario Of(bool other) => other ? B : A;

    /// <summary>A number no other request has used, for names and request ids.</summary>
    public int Next() => Interlocked.Increment(ref _next);

    public async Task<Person> PersonAsync(Scenario s) =>
        (await s.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = s.Watershed.Id, FullName = $"Persona {Next()}" })).Person;

    public async Task<Assembly> ConvenedAssemblyAsync() =>
        (await A.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = A.Space.Id,
            Title = $"Asamblea {Next()}",
            Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
        })).Assembly;

    /// <summary>A draft in the name of one of the own watershed's voters (the matrix's member is voter 0).</summary>
    public async Task<Proposal> DraftAsync(int voter) =>
        (await A.Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = A.Space.Id,
            Title = $"Propuesta {Next()}",
            Type = ProposalType.General,
            SubmittedByPersonId = A.Voters[voter].PersonId,
        })).Proposal;

    public async Task<Proposal> SubmittedAsync()
    {
        var draft = await DraftAsync(0);
        return (await A.Facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = draft.Id })).Proposal;
    }

    public async Task<Ballot> OpenBallotAsync() =>
        await A.OpenBallotAsync(await A.ProposalOnAgendaAsync(ProposalType.General, $"Propuesta {Next()}"));

    /// <summary>
    /// A convened assembly of a new space of <paramref name="s"/> that takes proxies, with two of its voters on the roll:
    /// the first to be represented, the second to carry the proxy.
    /// </summary>
    public async Task<(Assembly Assembly, Member Represented, Member Holder)> ProxyAssemblyAsync(Scenario s)
    {
        var space = (await s.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = s.Watershed.Id, Name = $"Asamblea con poderes {Next()}", Kind = SpaceKind.CommunityAssembly,
            Rules = new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 1 } },
        })).Space;
        var members = new List<Member>();
        foreach (var voter in s.Voters.Take(2))
        {
            members.Add((await s.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = voter.PersonId, Role = MemberRole.VotingMember })).Member);
        }

        var assembly = (await s.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Asamblea con poderes", Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
        })).Assembly;
        return (assembly, members[0], members[1]);
    }

    /// <summary>A closed assembly of the own watershed, whose acta takes corrections.</summary>
    public async Task<Assembly> ClosedAssemblyAsync()
    {
        var assembly = await ConvenedAssemblyAsync();
        await A.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
        return (await A.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id })).Assembly;
    }

    /// <summary>An open ballot where one elector collected a paper ballot.</summary>
    public async Task<Ballot> PaperBallotAsync()
    {
        var ballot = await OpenBallotAsync();
        await A.Facilitator.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest { BallotId = ballot.Id, MemberIds = { A.Voters[2].Id } });
        return ballot;
    }
}

/// <summary>
/// docs/authorization.md's consultation table, driven through the real API on PostgreSQL: every RPC the host serves, as
/// every caller, for Pomacanchi's objects with a token of Pomacanchi and of Cachora. Then every id field of the requests
/// that name several objects, taken from Cachora.
/// </summary>
public sealed class AuthorizationMatrixTests(ConsultationMatrixWorld world, ITestOutputHelper output) : IClassFixture<ConsultationMatrixWorld>
{
    private const string Service = "consultation";

    private static AuthorizationMatrixCases<ConsultationMatrixWorld> Cases() => new AuthorizationMatrixCases<ConsultationMatrixWorld>()
        .Add("StakeholderService/CreateWatershed", _ => new CreateWatershedRequest { Code = "pomacanchi", Name = "Cuenca de la laguna de Pomacanchi" })
        .Add("StakeholderService/GetWatershed", w => new GetWatershedRequest { WatershedId = w.A.Watershed.Id })
        .Add("StakeholderService/ListWatersheds", _ => new ListWatershedsRequest())
        .Add("StakeholderService/CreateOrganization", w => new CreateOrganizationRequest { WatershedId = w.A.Watershed.Id, Name = "Comité de regantes", Kind = OrganizationKind.Association })
        .Add("StakeholderService/GetOrganization", w => new GetOrganizationRequest { OrganizationId = w.A.Community!.Id })
        .Add("StakeholderService/ListOrganizations", w => new ListOrganizationsRequest { WatershedId = w.A.Watershed.Id })
        .Add("StakeholderService/CreatePerson", w => new CreatePersonRequest { WatershedId = w.A.Watershed.Id, FullName = "Persona de la matriz" })
        .Add("StakeholderService/GetPerson", w => new GetPersonRequest { PersonId = w.A.Voters[0].PersonId })
        .Add("StakeholderService/ListPersons", w => new ListPersonsRequest { WatershedId = w.A.Watershed.Id })
        .Add("SpaceService/CreateSpace", w => new CreateSpaceRequest { WatershedId = w.A.Watershed.Id, Name = "Mesa de la matriz", Kind = SpaceKind.RoundTable })
        .Add("SpaceService/GetSpace", w => new GetSpaceRequest { SpaceId = w.A.Space.Id })
        .Add("SpaceService/ListSpaces", w => new ListSpacesRequest { WatershedId = w.A.Watershed.Id })
        .Add("SpaceService/AddMember", async w => new AddMemberRequest { SpaceId = w.A.Space.Id, PersonId = (await w.PersonAsync(w.A)).Id, Role = MemberRole.Observer })
        .Add("SpaceService/RemoveMember", async w => new RemoveMemberRequest { MemberId = (await w.A.AddPersonAsync($"Persona {w.Next()}", MemberRole.Observer)).Id })
        .Add("SpaceService/ListMembers", w => new ListMembersRequest { SpaceId = w.A.Space.Id })
        .Add("SpaceService/ImportRoll", w => new ImportRollRequest
        {
            SpaceId = w.RollSpace[w.A].Id, Csv = $"nombre,dni\nPersona importada {w.Next()},{w.Next() + 20_000_000}\n",
        })
        .Add("AssemblyService/ConveneAssembly", w => new ConveneAssemblyRequest
        {
            SpaceId = w.A.Space.Id, Title = "Asamblea de la matriz", Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
        })
        .Add("AssemblyService/GetAssembly", w => new GetAssemblyRequest { AssemblyId = w.A.Assembly!.Id })
        .Add("AssemblyService/ListAssemblies", w => new ListAssembliesRequest { SpaceId = w.A.Space.Id })
        .Add("AssemblyService/RecordAttendance", async w => new RecordAttendanceRequest { AssemblyId = (await w.ConvenedAssemblyAsync()).Id, MemberId = w.A.Voters[0].Id, Present = true })
        .Add("AssemblyService/RecordBulkAttendance", async w => new RecordBulkAttendanceRequest
        {
            AssemblyId = (await w.ConvenedAssemblyAsync()).Id, MemberIds = { w.A.Voters[0].Id, w.A.Voters[1].Id }, Present = true,
        })
        .Add("AssemblyService/OpenAssembly", async w => new OpenAssemblyRequest { AssemblyId = (await w.ConvenedAssemblyAsync()).Id, Call = AssemblyCall.First })
        .Add("AssemblyService/CloseAssembly", async w =>
        {
            var assembly = await w.ConvenedAssemblyAsync();
            await w.A.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
            return new CloseAssemblyRequest { AssemblyId = assembly.Id };
        })
        .Add("AssemblyService/GetQuorum", w => new GetQuorumRequest { AssemblyId = w.A.Assembly!.Id })
        .Add("AssemblyService/GetMinutes", w => new GetMinutesRequest { AssemblyId = w.A.Assembly!.Id })
        .Add("AssemblyService/AppendMinutesCorrection", async w => new AppendMinutesCorrectionRequest
        {
            AssemblyId = (await w.ClosedAssemblyAsync()).Id, Text = "Donde dice 14:30 debe decir 15:30.",
        })
        .Add("AssemblyService/RegisterProxy", async w =>
        {
            var (assembly, represented, holder) = await w.ProxyAssemblyAsync(w.A);
            return new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id, HolderMemberId = holder.Id };
        })
        .Add("AssemblyService/RevokeProxy", async w =>
        {
            var (assembly, represented, holder) = await w.ProxyAssemblyAsync(w.A);
            await w.A.Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id, HolderMemberId = holder.Id });
            return new RevokeProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id };
        })
        .Add("ProposalService/CreateProposal (in the member's own name)", w => new CreateProposalRequest
        {
            SpaceId = w.A.Space.Id, Title = "Propuesta de la matriz", Type = ProposalType.General, SubmittedByPersonId = w.A.Voters[0].PersonId,
        })
        .Add("ProposalService/CreateProposal (in another person's name)", w => new CreateProposalRequest
        {
            SpaceId = w.A.Space.Id, Title = "Propuesta de la matriz", Type = ProposalType.General, SubmittedByPersonId = w.A.Voters[1].PersonId,
        })
        .Add("ProposalService/SubmitProposal (the member's own)", async w => new SubmitProposalRequest { ProposalId = (await w.DraftAsync(0)).Id })
        .Add("ProposalService/SubmitProposal (another person's)", async w => new SubmitProposalRequest { ProposalId = (await w.DraftAsync(1)).Id })
        .Add("ProposalService/PlaceOnAgenda", async w => new PlaceOnAgendaRequest { ProposalId = (await w.SubmittedAsync()).Id, AssemblyId = w.A.Assembly!.Id })
        .Add("ProposalService/WithdrawProposal (the member's own)", async w => new WithdrawProposalRequest { ProposalId = (await w.DraftAsync(0)).Id })
        .Add("ProposalService/WithdrawProposal (another person's)", async w => new WithdrawProposalRequest { ProposalId = (await w.DraftAsync(1)).Id })
        .Add("ProposalService/GetProposal", w => new GetProposalRequest { ProposalId = w.Ballot.ProposalId })
        .Add("ProposalService/ListProposals", w => new ListProposalsRequest { WatershedId = w.A.Watershed.Id })
        .Add("ProposalService/OpenBallot", async w => new OpenBallotRequest { ProposalId = (await w.A.ProposalOnAgendaAsync(ProposalType.General, $"Propuesta {w.Next()}")).Id })
        .Add("ProposalService/CastVote (the member's own vote)", async w => new CastVoteRequest
        {
            BallotId = (await w.OpenBallotAsync()).Id, MemberId = w.A.Voters[0].Id, Choice = VoteChoice.Yes, ClientRequestId = $"matrix-{w.Next()}",
        })
        .Add("ProposalService/CastVote (another member's vote)", async w => new CastVoteRequest
        {
            BallotId = (await w.OpenBallotAsync()).Id, MemberId = w.A.Voters[1].Id, Choice = VoteChoice.Yes, ClientRequestId = $"matrix-{w.Next()}",
        })
        .Add("ProposalService/CloseBallot", async w => new CloseBallotRequest { BallotId = (await w.OpenBallotAsync()).Id })
        .Add("ProposalService/GetBallot", w => new GetBallotRequest { BallotId = w.Ballot.Id })
        .Add("ProposalService/GetBallotLog", w => new GetBallotLogRequest { BallotId = w.Ballot.Id })
        .Add("ProposalService/VerifyReceipt", w => new VerifyReceiptRequest { BallotId = w.Ballot.Id, ReceiptCode = w.Receipt })
        .Add("ProposalService/ListBallotParticipants", w => new ListBallotParticipantsRequest { BallotId = w.Ballot.Id })
        .Add("ProposalService/VoidVote", async w =>
        {
            var ballot = await w.OpenBallotAsync();
            await w.A.RecordVoteAsync(ballot, w.A.Voters[2], VoteChoice.Yes, $"matrix-void-{w.Next()}");
            return new VoidVoteRequest { BallotId = ballot.Id, MemberId = w.A.Voters[2].Id, Reason = "Tecla equivocada" };
        })
        .Add("ProposalService/IssuePaperBallots", async w => new IssuePaperBallotsRequest { BallotId = (await w.OpenBallotAsync()).Id, MemberIds = { w.A.Voters[2].Id } })
        .Add("ProposalService/RecordPaperTally", async w => new RecordPaperTallyRequest { BallotId = (await w.PaperBallotAsync()).Id, Count = new PaperCount { Yes = 1 } })
        .Add("ProposalService/AttestPaperTally", async w =>
        {
            // Entered by a third member of the electoral committee, so every facilitator or admin may attest it.
            var ballot = await w.PaperBallotAsync();
            var committee = w.App.ClientsFor(TestTokens.Create("committee@test", ["facilitator"], ["pomacanchi"]));
            await committee.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 1 } });
            return new AttestPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 1 } };
        })
        .Add("ContactService/ListSpaceContacts", w => new ListSpaceContactsRequest { SpaceId = w.A.Space.Id })
        .AddCommonRows();

    [Fact]
    public void The_table_has_a_row_for_every_rpc_the_host_serves_and_a_request_for_every_row()
    {
        var problems = AuthorizationMatrixCheck.Coverage(AuthorizationMatrix.Load(Service), Served(), Cases().Names);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_caller_gets_what_the_table_says_from_every_rpc()
    {
        var matrix = AuthorizationMatrix.Load(Service);
        var report = await RunAsync(matrix);
        output.WriteLine($"{Service}: {report.Rows} rows, {report.Calls} calls");
        report.AssertMatches();
        Assert.Equal(matrix.Rows.Count, report.Rows);
    }

    /// <summary>The check itself: a table that says a member may close a ballot, or lacks a row, fails and names it.</summary>
    [Fact]
    public async Task A_wrong_cell_or_a_missing_row_is_reported()
    {
        var matrix = AuthorizationMatrix.Load(Service);
        var closeBallot = matrix.Rows.Single(r => r.Name == "ProposalService/CloseBallot");
        var cells = new Dictionary<string, MatrixCell>(closeBallot.Cells) { ["member"] = new(MatrixOutcome.Allowed, MatrixOutcome.PermissionDenied) };
        var wrong = matrix.With(closeBallot.Name, closeBallot with { Cells = cells });

        var report = await RunAsync(wrong, [closeBallot.Name]);

        var difference = Assert.Single(report.Differences);
        Assert.StartsWith("ProposalService/CloseBallot · member (own watershed): the table says ok, the service answered PermissionDenied", difference);
        var problems = AuthorizationMatrixCheck.Coverage(matrix.With(closeBallot.Name, null), Served(), Cases().Names);
        Assert.Contains(problems, p => p.StartsWith("watershed.consultation.v1.ProposalService/CloseBallot: served, but", StringComparison.Ordinal));
    }

    private static ForeignIdCases<ConsultationMatrixWorld> ForeignIds()
    {
        static string? Facilitator(ConsultationMatrixWorld _) => TestTokens.Facilitator("pomacanchi");
        return new ForeignIdCases<ConsultationMatrixWorld>()
            .Exempt("ProposalService/CastVote", "client_request_id", "the client's idempotency key, not an object: one of another watershed's votes is just another key")
            .Exempt("StakeholderService/CreatePerson", "national_id", "a person's DNI, data about the person being created, not an id of an object")
            .Add("StakeholderService/CreatePerson", "watershed_id", Facilitator, (w, foreign) => Message(new CreatePersonRequest
            {
                WatershedId = w.Of(foreign).Watershed.Id, OrganizationId = w.A.Community!.Id, FullName = $"Persona {w.Next()}",
            }), StatusCode.PermissionDenied)
            .Add("StakeholderService/CreatePerson", "organization_id", Facilitator, (w, foreign) => Message(new CreatePersonRequest
            {
                WatershedId = w.A.Watershed.Id, OrganizationId = w.Of(foreign).Community!.Id, FullName = $"Persona {w.Next()}",
            }), StatusCode.NotFound)
            .Add("SpaceService/AddMember", "space_id", Facilitator, async (w, foreign) => new AddMemberRequest
            {
                SpaceId = w.RollSpace[w.Of(foreign)].Id, PersonId = (await w.PersonAsync(w.A)).Id, Role = MemberRole.Delegate, OrganizationId = w.A.Community!.Id,
            }, StatusCode.PermissionDenied)
            .Add("SpaceService/AddMember", "person_id", Facilitator, async (w, foreign) => new AddMemberRequest
            {
                SpaceId = w.RollSpace[w.A].Id, PersonId = (await w.PersonAsync(w.Of(foreign))).Id, Role = MemberRole.Delegate, OrganizationId = w.A.Community!.Id,
            }, StatusCode.NotFound)
            .Add("SpaceService/AddMember", "organization_id", Facilitator, async (w, foreign) => new AddMemberRequest
            {
                SpaceId = w.RollSpace[w.A].Id, PersonId = (await w.PersonAsync(w.A)).Id, Role = MemberRole.Delegate, OrganizationId = w.Of(foreign).Community!.Id,
            }, StatusCode.NotFound)
            .Add("AssemblyService/RecordAttendance", "assembly_id", Facilitator, (w, foreign) => Message(new RecordAttendanceRequest
            {
                AssemblyId = w.Of(foreign).Assembly!.Id, MemberId = w.A.Voters[2].Id, Present = true,
            }), StatusCode.PermissionDenied)
            .Add("AssemblyService/RecordAttendance", "member_id", Facilitator, async (w, foreign) => new RecordAttendanceRequest
            {
                AssemblyId = (await w.ConvenedAssemblyAsync()).Id, MemberId = w.Of(foreign).Voters[2].Id, Present = true,
            }, StatusCode.NotFound)
            .Add("AssemblyService/RecordBulkAttendance", "assembly_id", Facilitator, (w, foreign) => Message(new RecordBulkAttendanceRequest
            {
                AssemblyId = w.Of(foreign).Assembly!.Id, MemberIds = { w.A.Voters[2].Id }, Present = true,
            }), StatusCode.PermissionDenied)
            .Add("AssemblyService/RecordBulkAttendance", "member_ids", Facilitator, async (w, foreign) => new RecordBulkAttendanceRequest
            {
                AssemblyId = (await w.ConvenedAssemblyAsync()).Id, MemberIds = { w.Of(foreign).Voters[2].Id }, Present = true,
            }, StatusCode.NotFound)
            .Add("AssemblyService/ConveneAssembly", "space_id", Facilitator, async (w, foreign) => new ConveneAssemblyRequest
            {
                SpaceId = w.Of(foreign).Space.Id, Title = $"Asamblea {w.Next()}", Place = "Local comunal",
                ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
                ProposalIds = { (await w.SubmittedAsync()).Id },
            }, StatusCode.PermissionDenied)
            .Add("AssemblyService/ConveneAssembly", "proposal_ids", Facilitator, async (w, foreign) => new ConveneAssemblyRequest
            {
                SpaceId = w.A.Space.Id, Title = $"Asamblea {w.Next()}", Place = "Local comunal",
                ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
                ProposalIds = { foreign ? await SubmittedInAsync(w.B) : (await w.SubmittedAsync()).Id },
            }, StatusCode.NotFound)
            .Add("AssemblyService/RegisterProxy", "assembly_id", Facilitator, async (w, foreign) =>
            {
                var other = foreign ? (await w.ProxyAssemblyAsync(w.B)).Assembly : null;
                var (assembly, represented, holder) = await w.ProxyAssemblyAsync(w.A);
                return new RegisterProxyRequest { AssemblyId = (other ?? assembly).Id, MemberId = represented.Id, HolderMemberId = holder.Id };
            }, StatusCode.PermissionDenied)
            .Add("AssemblyService/RegisterProxy", "member_id", Facilitator, async (w, foreign) =>
            {
                var (assembly, represented, holder) = await w.ProxyAssemblyAsync(w.A);
                var member = foreign ? (await w.ProxyAssemblyAsync(w.B)).Represented : represented;
                return new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = member.Id, HolderMemberId = holder.Id };
            }, StatusCode.NotFound)
            .Add("AssemblyService/RegisterProxy", "holder_member_id", Facilitator, async (w, foreign) =>
            {
                var (assembly, represented, holder) = await w.ProxyAssemblyAsync(w.A);
                var carrier = foreign ? (await w.ProxyAssemblyAsync(w.B)).Holder : holder;
                return new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id, HolderMemberId = carrier.Id };
            }, StatusCode.NotFound)
            .Add("AssemblyService/RevokeProxy", "assembly_id", Facilitator, async (w, foreign) =>
            {
                var (assembly, represented, holder) = await w.ProxyAssemblyAsync(w.Of(foreign));
                await w.Of(foreign).Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id, HolderMemberId = holder.Id });
                return new RevokeProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id };
            }, StatusCode.PermissionDenied)
            .Add("AssemblyService/RevokeProxy", "member_id", Facilitator, async (w, foreign) =>
            {
                var (assembly, represented, holder) = await w.ProxyAssemblyAsync(w.A);
                await w.A.Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id, HolderMemberId = holder.Id });
                return new RevokeProxyRequest { AssemblyId = assembly.Id, MemberId = foreign ? (await w.ProxyAssemblyAsync(w.B)).Represented.Id : represented.Id };
            }, StatusCode.NotFound)
            .Add("ProposalService/CreateProposal", "space_id", Facilitator, (w, foreign) => Message(new CreateProposalRequest
            {
                SpaceId = w.Of(foreign).Space.Id, Title = $"Propuesta {w.Next()}", Type = ProposalType.General,
                SubmittedByPersonId = w.A.Voters[0].PersonId,
            }), StatusCode.PermissionDenied)
            .Add("ProposalService/CreateProposal", "submitted_by_person_id", Facilitator, (w, foreign) => Message(new CreateProposalRequest
            {
                SpaceId = w.A.Space.Id, Title = $"Propuesta {w.Next()}", Type = ProposalType.General, SubmittedByPersonId = w.Of(foreign).Voters[0].PersonId,
            }), StatusCode.NotFound)
            .Add("ProposalService/CreateProposal", "submitted_by_organization_id", Facilitator, (w, foreign) => Message(new CreateProposalRequest
            {
                SpaceId = w.A.Space.Id, Title = $"Propuesta {w.Next()}", Type = ProposalType.General, SubmittedByOrganizationId = w.Of(foreign).Community!.Id,
            }), StatusCode.NotFound)
            .Add("ProposalService/PlaceOnAgenda", "proposal_id", Facilitator, async (w, foreign) => new PlaceOnAgendaRequest
            {
                ProposalId = foreign ? await SubmittedInAsync(w.B) : (await w.SubmittedAsync()).Id, AssemblyId = w.A.Assembly!.Id,
            }, StatusCode.PermissionDenied)
            .Add("ProposalService/PlaceOnAgenda", "assembly_id", Facilitator, async (w, foreign) => new PlaceOnAgendaRequest
            {
                ProposalId = (await w.SubmittedAsync()).Id, AssemblyId = w.Of(foreign).Assembly!.Id,
            }, StatusCode.NotFound)
            .Add("ProposalService/ListProposals", "space_id", Facilitator, (w, foreign) => Message(new ListProposalsRequest
            {
                SpaceId = w.Of(foreign).Space.Id, WatershedId = w.A.Watershed.Id,
            }), StatusCode.PermissionDenied)
            .Add("ProposalService/ListProposals", "watershed_id", Facilitator, (w, foreign) => Message(new ListProposalsRequest
            {
                SpaceId = w.A.Space.Id, WatershedId = w.Of(foreign).Watershed.Id,
            }), StatusCode.InvalidArgument)
            .Add("ProposalService/CastVote", "ballot_id", Facilitator, async (w, foreign) => new CastVoteRequest
            {
                BallotId = foreign ? w.OtherBallot.Id : (await w.OpenBallotAsync()).Id, MemberId = w.A.Voters[2].Id, Choice = VoteChoice.No,
                ClientRequestId = $"foreign-{w.Next()}", Channel = VoteChannel.RecordedByFacilitator,
            }, StatusCode.PermissionDenied)
            .Add("ProposalService/CastVote", "member_id", Facilitator, async (w, foreign) => new CastVoteRequest
            {
                BallotId = (await w.OpenBallotAsync()).Id, MemberId = w.Of(foreign).Voters[2].Id, Choice = VoteChoice.No,
                ClientRequestId = $"foreign-{w.Next()}", Channel = VoteChannel.RecordedByFacilitator,
            }, StatusCode.NotFound)
            .Add("ProposalService/VoidVote", "ballot_id", Facilitator, async (w, foreign) =>
            {
                if (foreign)
                {
                    return new VoidVoteRequest { BallotId = w.OtherBallot.Id, MemberId = w.A.Voters[2].Id, Reason = "Tecla equivocada" };
                }

                var ballot = await w.OpenBallotAsync();
                await w.A.RecordVoteAsync(ballot, w.A.Voters[2], VoteChoice.Yes, $"foreign-void-{w.Next()}");
                return new VoidVoteRequest { BallotId = ballot.Id, MemberId = w.A.Voters[2].Id, Reason = "Tecla equivocada" };
            }, StatusCode.PermissionDenied)
            .Add("ProposalService/VoidVote", "member_id", Facilitator, async (w, foreign) =>
            {
                var ballot = await w.OpenBallotAsync();
                await w.A.RecordVoteAsync(ballot, w.A.Voters[2], VoteChoice.Yes, $"foreign-void-{w.Next()}");
                return new VoidVoteRequest { BallotId = ballot.Id, MemberId = w.Of(foreign).Voters[2].Id, Reason = "Tecla equivocada" };
            }, StatusCode.NotFound)
            .Add("ProposalService/IssuePaperBallots", "ballot_id", Facilitator, async (w, foreign) => new IssuePaperBallotsRequest
            {
                BallotId = foreign ? w.OtherBallot.Id : (await w.OpenBallotAsync()).Id, MemberIds = { w.A.Voters[2].Id },
            }, StatusCode.PermissionDenied)
            .Add("ProposalService/IssuePaperBallots", "member_ids", Facilitator, async (w, foreign) => new IssuePaperBallotsRequest
            {
                BallotId = (await w.OpenBallotAsync()).Id, MemberIds = { w.Of(foreign).Voters[2].Id },
            }, StatusCode.NotFound);
    }

    private static Task<IMessage> Message(IMessage message) => Task.FromResult(message);

    private static async Task<string> SubmittedInAsync(Scenario s)
    {
        var draft = (await s.Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = s.Space.Id, Title = "Propuesta ajena", Type = ProposalType.General, SubmittedByOrganizationId = s.Community!.Id,
        })).Proposal;
        return (await s.Facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = draft.Id })).Proposal.Id;
    }

    [Fact]
    public async Task Foreign_ids_in_any_id_field_are_refused()
    {
        var cases = ForeignIds();
        var uncovered = ForeignIdCheck.Uncovered(
            [StakeholderService.Descriptor, SpaceService.Descriptor, AssemblyService.Descriptor, ProposalService.Descriptor, ContactService.Descriptor], cases);
        var failures = await ForeignIdCheck.RunAsync(cases, world, world.App.ServedGrpcMethods(), world.App.Invoker, world.App.SnapshotAsync);
        output.WriteLine($"{Service}: {cases.Cases.Count} foreign-id cases");
        Assert.True(uncovered.Count + failures.Count == 0, string.Join("\n", uncovered.Concat(failures)));
    }

    [Theory]
    [InlineData("admin", new[] { "cachora", "pomacanchi" })]
    [InlineData("facilitator", new[] { "pomacanchi" })]
    [InlineData("viewer", new[] { "pomacanchi" })]
    [InlineData("analyst", new[] { "pomacanchi" })]
    public async Task Listing_watersheds_shows_only_those_the_caller_may_read(string caller, string[] codes)
    {
        var listed = await world.App.ClientsFor(world.Callers.Token(caller, own: true)).Stakeholders
            .ListWatershedsAsync(new ListWatershedsRequest { Page = new PageRequest { PageSize = 500 } });
        Assert.Equal(codes, listed.Watersheds.Select(w => w.Code));
    }

    /// <summary>Members and viewers read persons and the roll, not the phones and addresses the contacts refuse them; the person reads their own.</summary>
    [Theory]
    [InlineData("admin", true, true)]
    [InlineData("facilitator", true, true)]
    [InlineData("member", true, false)]
    [InlineData("viewer", false, false)]
    public async Task Phones_and_addresses_go_to_facilitators_admins_and_the_person_only(string caller, bool ofThemselves, bool ofOthers)
    {
        var stakeholders = world.App.ClientsFor(world.Callers.Token(caller, own: true)).Stakeholders;
        var self = (await stakeholders.GetPersonAsync(new GetPersonRequest { PersonId = world.A.Voters[0].PersonId })).Person;
        var other = (await stakeholders.GetPersonAsync(new GetPersonRequest { PersonId = world.A.Voters[1].PersonId })).Person;
        var listed = (await stakeholders.ListPersonsAsync(new ListPersonsRequest { WatershedId = world.A.Watershed.Id, Page = new PageRequest { PageSize = 500 } })).Persons;

        Assert.Equal(ofThemselves, self.PhoneNumber.Length > 0);
        Assert.Equal(ofOthers, other.PhoneNumber.Length > 0);
        Assert.Equal(ofThemselves, listed.Single(p => p.Id == self.Id).PhoneNumber.Length > 0);
        Assert.Equal(ofOthers, listed.Single(p => p.Id == other.Id).PhoneNumber.Length > 0);
        foreach (var (person, sees) in new[] { (self, ofThemselves), (other, ofOthers) })
        {
            Assert.Equal(sees, person.Consents.Count > 0);
        }

        // The rest of the person is read as before.
        Assert.Equal(("Comunero 02", "qu-PE"), (other.FullName, other.PreferredLanguage));
    }

    private IReadOnlyList<IMethod> Served() => world.App.ServedGrpcMethods();

    private Task<MatrixReport> RunAsync(AuthorizationMatrix matrix, IReadOnlyCollection<string>? rows = null) =>
        AuthorizationMatrixCheck.RunAsync(matrix, Cases(), world, Served(), world.Callers, world.App.Invoker, world.App.SnapshotAsync, rows);
}
