using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Events.V1;
using Watershed.Testing;
using Xunit.Abstractions;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// The hostile-input corpus over every RPC consultation serves: each answers every hostile value with a status other
/// than UNKNOWN or INTERNAL, small, and a refused call changes nothing (see <see cref="HostileCorpus{TContext}"/>).
/// </summary>
public sealed class HostileCorpusTests(ITestOutputHelper output)
{
    /// <summary>The objects the seeds point at: a watershed with a roll, an open assembly with quorum, a ballot with a vote.</summary>
    public sealed record World(Scenario Scenario, Assembly Assembly, Proposal OnAgenda, Ballot Ballot, string ReceiptCode)
    {
        public string WatershedId => Scenario.Watershed.Id;

        public string SpaceId => Scenario.Space.Id;
    }

    /// <summary>Every service consultation maps, as the corpus enumerates them.</summary>
    public static readonly Google.Protobuf.Reflection.ServiceDescriptor[] Services =
    [
        StakeholderService.Descriptor, SpaceService.Descriptor, AssemblyService.Descriptor, ProposalService.Descriptor,
        ContactService.Descriptor, DeadLetterService.Descriptor, AppCallback.Descriptor,
    ];

    public static HostileCorpus<World> Corpus() => new HostileCorpus<World>(Services)
        .Seed("CreateWatershed", _ => new CreateWatershedRequest { Code = "corpus", Name = "Microcuenca Cachora", Region = "Apurímac", District = "Cachora" })
        .Seed("GetWatershed", w => new GetWatershedRequest { WatershedId = w.WatershedId })
        .Seed("ListWatersheds", _ => new ListWatershedsRequest { Page = new PageRequest { PageSize = 10 } })
        .Seed("CreateOrganization", w => new CreateOrganizationRequest { WatershedId = w.WatershedId, Name = "Asociación de regantes Sallma", Kind = OrganizationKind.Association })
        .Seed("GetOrganization", w => new GetOrganizationRequest { OrganizationId = w.Scenario.Community!.Id })
        .Seed("ListOrganizations", w => new ListOrganizationsRequest { WatershedId = w.WatershedId, Page = new PageRequest { PageSize = 10 } })
        .Seed("CreatePerson", w => new CreatePersonRequest
        {
            WatershedId = w.WatershedId,
            FullName = "Ana Quispe Huaman",
            OrganizationId = w.Scenario.Community!.Id,
            PhoneNumber = "+51984123456",
            PreferredLanguage = "qu-PE",
            Email = "ana.quispe@cuenca.pe",
            ConsentedChannels = { ContactChannel.Sms, ContactChannel.Email },
            NationalId = "40123456",
            Sex = Sex.Female,
        })
        .Seed("GetPerson", w => new GetPersonRequest { PersonId = w.Scenario.Voters[0].PersonId })
        .Seed("ListPersons", w => new ListPersonsRequest { WatershedId = w.WatershedId, Page = new PageRequest { PageSize = 10 } })
        .Seed("CreateSpace", w => new CreateSpaceRequest
        {
            WatershedId = w.WatershedId,
            Name = "Consejo de la microcuenca",
            Kind = SpaceKind.BasinCouncil,
            Rules = new SpaceRules
            {
                FirstCallQuorum = new QuorumThreshold { Percent = 50, MoreThan = true },
                SecondCallQuorum = new QuorumThreshold { Percent = 30 },
                PublicBallots = true,
                DecisionRules = { new V1.DecisionRuleOverride { ProposalType = ProposalType.General, Rule = DecisionRule.AbsoluteMajorityOfPresent } },
                ShowRunningCounts = true,
                Proxies = new ProxyRules { MaxPerHolder = 2, CountInQuorum = true },
            },
        })
        .Seed("GetSpace", w => new GetSpaceRequest { SpaceId = w.SpaceId })
        .Seed("ListSpaces", w => new ListSpacesRequest { WatershedId = w.WatershedId, Page = new PageRequest { PageSize = 10 } })
        .SeedAsync("AddMember", async w => new AddMemberRequest
        {
            SpaceId = w.SpaceId,
            PersonId = (await NewPersonAsync(w)).Id,
            Role = MemberRole.Delegate,
            OrganizationId = w.Scenario.Community!.Id,
        }, fresh: true)
        .SeedAsync("RemoveMember", async w => new RemoveMemberRequest
        {
            MemberId = (await w.Scenario.AddPersonAsync("Comunero de paso", MemberRole.Observer)).Id,
        }, fresh: true)
        .Seed("ListMembers", w => new ListMembersRequest { SpaceId = w.SpaceId, Page = new PageRequest { PageSize = 10 } })
        .Seed("ImportRoll", w => new ImportRollRequest
        {
            SpaceId = w.SpaceId,
            Csv = "Nombres y apellidos;DNI;Cargo;Celular;Idioma;Sexo\r\nRosa Quispe Huamán;01234567;comunera;984123456;quechua;F\r\n",
        })
        .SeedAsync("ConveneAssembly", async w => new ConveneAssemblyRequest
        {
            SpaceId = w.SpaceId,
            Title = "Asamblea extraordinaria",
            Agenda = { "Plan de uso del suelo", "Faena comunal" },
            Place = "Local comunal de Manzanares",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 12, 14, 0, 0, TimeSpan.Zero)),
            ProposalIds = { (await SubmittedAsync(w)).Id },
        }, fresh: true)
        .Seed("GetAssembly", w => new GetAssemblyRequest { AssemblyId = w.Assembly.Id })
        .Seed("ListAssemblies", w => new ListAssembliesRequest { SpaceId = w.SpaceId, Page = new PageRequest { PageSize = 10 } })
        .Seed("RecordAttendance", w => new RecordAttendanceRequest { AssemblyId = w.Assembly.Id, MemberId = w.Scenario.Advisor!.Id, Present = true })
        .SeedAsync("RecordBulkAttendance", async w => new RecordBulkAttendanceRequest
        {
            // An assembly of its own: the corpus's open assembly must keep its quorum for the ballots other seeds open.
            AssemblyId = (await ConveneAsync(w)).Id, MemberIds = { w.Scenario.Advisor!.Id, w.Scenario.Voters[2].Id }, Present = true,
        }, fresh: true)
        .SeedAsync("OpenAssembly", async w => new OpenAssemblyRequest { AssemblyId = (await ConveneAsync(w)).Id, Call = AssemblyCall.Second }, fresh: true)
        .SeedAsync("CloseAssembly", async w => new CloseAssemblyRequest { AssemblyId = (await OpenAsync(w)).Id }, fresh: true)
        .Seed("GetQuorum", w => new GetQuorumRequest { AssemblyId = w.Assembly.Id })
        .Seed("GetMinutes", w => new GetMinutesRequest { AssemblyId = w.Assembly.Id, Language = "qu", Format = MinutesFormat.Html })
        .SeedAsync("AppendMinutesCorrection", async w =>
        {
            var assembly = await OpenAsync(w);
            await w.Scenario.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest { AssemblyId = assembly.Id });
            return new AppendMinutesCorrectionRequest { AssemblyId = assembly.Id, Text = "Donde dice «14:30»\ndebe decir «15:30»." };
        }, fresh: true)
        .SeedAsync("RegisterProxy", async w =>
        {
            var (assembly, represented, holder) = await ProxyAssemblyAsync(w);
            return new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id, HolderMemberId = holder.Id, DocumentReference = "Carta poder N.º 17" };
        }, fresh: true)
        .SeedAsync("RevokeProxy", async w =>
        {
            var (assembly, represented, holder) = await ProxyAssemblyAsync(w);
            await w.Scenario.Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id, HolderMemberId = holder.Id });
            return new RevokeProxyRequest { AssemblyId = assembly.Id, MemberId = represented.Id };
        }, fresh: true)
        .Seed("CreateProposal", w => new CreateProposalRequest
        {
            SpaceId = w.SpaceId,
            Title = "Cercar el manantial de Sallma",
            Description = "Cercar y forestar con queñua.\nPresupuesto: 12 000 soles.",
            Type = ProposalType.LandUseChange,
            SubmittedByPersonId = w.Scenario.Voters[0].PersonId,
            References = { new ExternalReference { Kind = "landuse.plan_version", Id = Guid.CreateVersion7().ToString() } },
        })
        .SeedAsync("SubmitProposal", async w => new SubmitProposalRequest { ProposalId = (await DraftAsync(w)).Id }, fresh: true)
        .SeedAsync("PlaceOnAgenda", async w => new PlaceOnAgendaRequest { ProposalId = (await SubmittedAsync(w)).Id, AssemblyId = w.Assembly.Id }, fresh: true)
        .SeedAsync("WithdrawProposal", async w => new WithdrawProposalRequest { ProposalId = (await DraftAsync(w)).Id }, fresh: true)
        .Seed("GetProposal", w => new GetProposalRequest { ProposalId = w.OnAgenda.Id })
        .Seed("ListProposals", w => new ListProposalsRequest
        {
            SpaceId = w.SpaceId,
            WatershedId = w.WatershedId,
            State = ProposalState.Voting,
            Type = ProposalType.General,
            Reference = new ExternalReference { Kind = "landuse.plan_version", Id = Guid.CreateVersion7().ToString() },
            Page = new PageRequest { PageSize = 10 },
        })
        .SeedAsync("OpenBallot", async w => new OpenBallotRequest
        {
            ProposalId = (await w.Scenario.ProposalOnAgendaAsync(ProposalType.General, "Faena de limpieza de canales")).Id,
            Rule = DecisionRule.SimpleMajority,
            Secrecy = BallotSecrecy.Secret,
            Receipts = ReceiptMode.Linked,
        }, fresh: true)
        .Seed("CastVote", w => new CastVoteRequest
        {
            BallotId = w.Ballot.Id,
            MemberId = w.Scenario.Voters[1].Id,
            Choice = VoteChoice.Yes,
            ClientRequestId = "corpus-vote-0001",
            Channel = VoteChannel.RecordedByFacilitator,
        })
        .SeedAsync("CloseBallot", async w => new CloseBallotRequest
        {
            BallotId = (await w.Scenario.OpenBallotAsync(await w.Scenario.ProposalOnAgendaAsync(ProposalType.General, "Turnos de riego"))).Id,
        }, fresh: true)
        .Seed("GetBallot", w => new GetBallotRequest { BallotId = w.Ballot.Id })
        .Seed("GetBallotLog", w => new GetBallotLogRequest { BallotId = w.Ballot.Id, AfterSequence = 0, Limit = 10 })
        .Seed("VerifyReceipt", w => new VerifyReceiptRequest { BallotId = w.Ballot.Id, ReceiptCode = w.ReceiptCode })
        .Seed("ListBallotParticipants", w => new ListBallotParticipantsRequest { BallotId = w.Ballot.Id, Page = new PageRequest { PageSize = 10 } })
        .SeedAsync("VoidVote", async w =>
        {
            var ballot = await FreshBallotAsync(w);
            await w.Scenario.RecordVoteAsync(ballot, w.Scenario.Voters[2], VoteChoice.Yes, "corpus-void");
            return new VoidVoteRequest { BallotId = ballot.Id, MemberId = w.Scenario.Voters[2].Id, Reason = "Tecla equivocada" };
        }, fresh: true)
        .SeedAsync("IssuePaperBallots", async w => new IssuePaperBallotsRequest { BallotId = (await FreshBallotAsync(w)).Id, MemberIds = { w.Scenario.Voters[2].Id } }, fresh: true)
        .SeedAsync("RecordPaperTally", async w => new RecordPaperTallyRequest
        {
            BallotId = (await PaperBallotAsync(w)).Id, Count = new PaperCount { Yes = 1 },
        }, fresh: true)
        .SeedAsync("AttestPaperTally", async w =>
        {
            // Entered by the facilitator; the corpus's admin attests it.
            var ballot = await PaperBallotAsync(w);
            await w.Scenario.Facilitator.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 1 } });
            return new AttestPaperTallyRequest { BallotId = ballot.Id, Count = new PaperCount { Yes = 1 } };
        }, fresh: true)
        .Seed("ListSpaceContacts", w => new ListSpaceContactsRequest { SpaceId = w.SpaceId, Page = new PageRequest { PageSize = 10 } })
        .Seed("ListDeadLetters", _ => new ListDeadLettersRequest { Page = new PageRequest { PageSize = 10 } })
        .SeedDaprAppCallback("consultation");

    [Fact]
    public void The_corpus_seeds_every_rpc_consultation_serves() => Corpus().AssertEveryRpcSeeded();

    [Fact]
    public async Task Every_rpc_the_host_serves_is_in_the_corpus()
    {
        await using var app = await ConsultationApp.OnPostgresAsync();
        app.Channel().Dispose();
        Corpus().AssertCoversEveryServedRpc(app.Services);
    }

    [Fact]
    public async Task Every_rpc_answers_hostile_values_with_a_clear_status_and_a_refusal_changes_nothing()
    {
        await using var app = await ConsultationApp.OnPostgresAsync();
        var scenario = await Scenario.CreateAsync(app, code: "pomacanchi", voters: 3);
        var assembly = await scenario.OpenAssemblyAsync(present: 3);
        var onAgenda = await scenario.ProposalOnAgendaAsync(ProposalType.General);
        var ballot = await scenario.OpenBallotAsync(onAgenda);
        var vote = await scenario.RecordVoteAsync(ballot, scenario.Voters[0], VoteChoice.No);
        var world = new World(scenario, assembly, onAgenda, ballot, vote.Receipt.ReceiptCode);

        var admin = TestTokens.Create("admin@corpus", ["admin"], ["pomacanchi"]);
        var report = await Corpus().RunAsync(world, app.Invoker(admin), app.SnapshotAsync);

        output.WriteLine(report.Summary());
        foreach (var failure in report.Failures)
        {
            output.WriteLine(failure);
        }

        report.AssertNoFailures();
    }

    private static async Task<Person> NewPersonAsync(World w) =>
        (await w.Scenario.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = w.WatershedId,
            FullName = $"Delegada {Guid.CreateVersion7():N}",
            PreferredLanguage = "es-PE",
        })).Person;

    /// <summary>A convened assembly of a new space that takes proxies, with two voters: one to represent, one to carry the proxy.</summary>
    private static async Task<(Assembly Assembly, Member Represented, Member Holder)> ProxyAssemblyAsync(World w)
    {
        var space = (await w.Scenario.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = w.WatershedId, Name = $"Asamblea con poderes {Guid.CreateVersion7():N}", Kind = SpaceKind.CommunityAssembly,
            Rules = new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 1, CountInQuorum = true } },
        })).Space;
        var members = new List<Member>();
        foreach (var voter in w.Scenario.Voters.Take(2))
        {
            members.Add((await w.Scenario.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = voter.PersonId, Role = MemberRole.VotingMember })).Member);
        }

        var assembly = (await w.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Asamblea con poderes", Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 20, 14, 0, 0, TimeSpan.Zero)),
        })).Assembly;
        return (assembly, members[0], members[1]);
    }

    private static async Task<Assembly> ConveneAsync(World w) =>
        (await w.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = w.SpaceId,
            Title = "Asamblea de prueba",
            Place = "Local comunal",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 20, 14, 0, 0, TimeSpan.Zero)),
        })).Assembly;

    private static async Task<Assembly> OpenAsync(World w) =>
        (await w.Scenario.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = (await ConveneAsync(w)).Id, Call = AssemblyCall.Second })).Assembly;

    private static async Task<Proposal> DraftAsync(World w) =>
        (await w.Scenario.Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = w.SpaceId,
            Title = "Propuesta de prueba",
            Type = ProposalType.General,
            SubmittedByOrganizationId = w.Scenario.Community!.Id,
        })).Proposal;

    private static async Task<Proposal> SubmittedAsync(World w) =>
        (await w.Scenario.Facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = (await DraftAsync(w)).Id })).Proposal;

    private static async Task<Ballot> FreshBallotAsync(World w) =>
        await w.Scenario.OpenBallotAsync(await w.Scenario.ProposalOnAgendaAsync(ProposalType.General, "Limpieza de la bocatoma"));

    /// <summary>A fresh open ballot where one elector collected a paper ballot.</summary>
    private static async Task<Ballot> PaperBallotAsync(World w)
    {
        var ballot = await FreshBallotAsync(w);
        await w.Scenario.Facilitator.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest { BallotId = ballot.Id, MemberIds = { w.Scenario.Voters[2].Id } });
        return ballot;
    }
}
