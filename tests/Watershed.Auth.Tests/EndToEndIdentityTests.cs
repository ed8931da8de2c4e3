using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.DevIdentity;
using Watershed.LandUse.V1;
using Watershed.Notifications.V1;
using Watershed.Testing;

namespace Watershed.Auth.Tests;

/// <summary>
/// Service identity end to end: the services as their own processes in Production on PostgreSQL, every token from the
/// development provider. Notifications reads a space's roll for an event with its own client-credentials identity
/// (never the token of whoever called its AppCallback); land use asks consultation about a cited decision with the
/// user's token, because consultation decides whether that user may read it.
/// </summary>
public sealed class EndToEndIdentityTests
{
    private static async Task<Dictionary<string, string>> SettingsAsync(DevIdentityHost provider, string database, string? client = null, string? secret = null)
    {
        var settings = Identity.ServiceSettings(provider, client, secret);
        var postgres = await PostgresServer.GetAsync();
        settings["Database:Provider"] = "Postgres";
        settings["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(database);
        // No sidecar runs here: nothing is published, and messages are not sent (the delivery log is what is checked).
        settings["Events:RelayEnabled"] = "false";
        settings["DAPR_GRPC_ENDPOINT"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        return settings;
    }

    [Fact]
    public async Task An_event_handler_reads_the_roll_as_notifications_itself_and_never_with_the_token_its_caller_sent()
    {
        await using var provider = await Identity.StartAsync();
        await using var consultation = await ServiceProcess.StartAsync("Consultation", await SettingsAsync(provider, "auth_e2e_co"));
        var settings = await SettingsAsync(provider, "auth_e2e_nt", "notifications");
        settings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var notifications = await ServiceProcess.StartAsync("Notifications", settings);
        var wrongSecret = await SettingsAsync(provider, "auth_e2e_nt_wrong", "notifications", "not-the-secret");
        wrongSecret["Services:consultation:Address"] = consultation.Address.ToString();
        await using var misconfigured = await ServiceProcess.StartAsync("Notifications", wrongSecret);

        var admin = await Identity.UserTokenAsync(provider, "admin");
        var co = Identity.Invoker(consultation.Address, admin);
        var watershed = (await new StakeholderService.StakeholderServiceClient(co).CreateWatershedAsync(new CreateWatershedRequest { Code = "pomacanchi", Name = "Pomacanchi" })).Watershed;
        var space = (await new SpaceService.SpaceServiceClient(co).CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershed.Id, Name = "Asamblea", Kind = SpaceKind.CommunityAssembly })).Space;
        var person = (await new StakeholderService.StakeholderServiceClient(co).CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = watershed.Id, FullName = "Rosa Quispe", PhoneNumber = "+51984111111", PreferredLanguage = "es-PE", ConsentedChannels = { ContactChannel.Sms },
        })).Person;
        await new SpaceService.SpaceServiceClient(co).AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = MemberRole.VotingMember });

        var convened = new AssemblyConvened
        {
            AssemblyId = Guid.CreateVersion7().ToString(),
            Scope = new ConsultationScope { WatershedId = watershed.Id, WatershedCode = "pomacanchi", SpaceId = space.Id },
            Title = "Asamblea ordinaria", Place = "Local comunal", ScheduledAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
            OccurredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };

        // Whoever reaches the AppCallback (open to the sidecar) with a viewer's token: the handler still calls as the service.
        var viewer = await Identity.UserTokenAsync(provider, "viewer.pomacanchi");
        var eventId = Guid.CreateVersion7().ToString();
        var answer = await DaprCallback.OnTopicEventAsync(Identity.Invoker(notifications.Address, viewer), Event(convened, eventId));
        Assert.Equal(TopicEventResponse.Types.TopicEventResponseStatus.Success, answer.Status);

        var deliveries = new DeliveryService.DeliveryServiceClient(Identity.Invoker(notifications.Address, admin));
        var log = (await deliveries.ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = "pomacanchi", EventId = eventId })).Deliveries;
        var toRosa = Assert.Single(log);
        Assert.Equal((person.Id, Watershed.Notifications.V1.Channel.Sms, "+51984111111"), (toRosa.RecipientId, toRosa.Channel, toRosa.Address));

        // A notifications the provider does not recognise cannot read the roll: the event is retried, nothing is recorded.
        var refused = await DaprCallback.OnTopicEventAsync(Identity.Invoker(misconfigured.Address, null), Event(convened, Guid.CreateVersion7().ToString()));
        Assert.Equal(TopicEventResponse.Types.TopicEventResponseStatus.Retry, refused.Status);
        Assert.Empty((await new DeliveryService.DeliveryServiceClient(Identity.Invoker(misconfigured.Address, admin))
            .ListDeliveriesAsync(new ListDeliveriesRequest { WatershedCode = "pomacanchi" })).Deliveries);
    }

    private static TopicEventRequest Event(IMessage message, string eventId) => new()
    {
        Id = eventId,
        Type = message.Descriptor.FullName,
        Source = "watershed-consultation",
        SpecVersion = "1.0",
        DataContentType = "application/json",
        Topic = "consultation.assembly_convened.v1",
        PubsubName = "pubsub",
        Data = ByteString.CopyFromUtf8(JsonFormatter.Default.Format(message)),
        Extensions = new Struct { Fields = { ["subject"] = Value.ForString($"assemblies/{eventId}") } },
    };

    [Fact]
    public async Task Approving_a_plan_version_asks_consultation_with_the_users_token_so_consultation_decides_what_the_user_may_cite()
    {
        await using var provider = await Identity.StartAsync();
        await using var consultation = await ServiceProcess.StartAsync("Consultation", await SettingsAsync(provider, "auth_e2e_co2"));
        var settings = await SettingsAsync(provider, "auth_e2e_lu", "landuse");
        settings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var landUse = await ServiceProcess.StartAsync("LandUse", settings);

        var facilitator = await Identity.UserTokenAsync(provider, "facilitator.pomacanchi");
        var version = await PlanVersionInConsultationAsync(landUse.Address, facilitator);
        var admin = new StakeholderService.StakeholderServiceClient(Identity.Invoker(consultation.Address, await Identity.UserTokenAsync(provider, "admin")));
        var pomacanchi = (await admin.CreateWatershedAsync(new CreateWatershedRequest { Code = "pomacanchi", Name = "Pomacanchi" })).Watershed;
        var cachora = (await admin.CreateWatershedAsync(new CreateWatershedRequest { Code = "cachora", Name = "Cachora" })).Watershed;

        // Cachora's facilitator drafts a proposal citing Pomacanchi's version: Pomacanchi's facilitator may not read it.
        var foreign = await DraftProposalAsync(consultation.Address, await Identity.UserTokenAsync(provider, "facilitator.cachora"), cachora.Id, version.Id);
        var plans = new PlanService.PlanServiceClient(Identity.Invoker(landUse.Address, facilitator));
        var refused = await Assert.ThrowsAsync<RpcException>(() => plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = foreign }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        var decided = await DecideAsync(consultation.Address, facilitator, pomacanchi.Id, version.Id);
        var approved = await plans.ApprovePlanVersionAsync(new ApprovePlanVersionRequest { PlanVersionId = version.Id, ProposalId = decided });
        Assert.Equal((PlanVersionState.Approved, decided), (approved.PlanVersion.State, approved.PlanVersion.ApprovedByProposalId));
    }

    private static async Task<PlanVersion> PlanVersionInConsultationAsync(Uri landUse, string facilitator)
    {
        var invoker = Identity.Invoker(landUse, facilitator);
        var unit = (await new WatershedUnitService.WatershedUnitServiceClient(invoker).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = "pomacanchi",
            Name = "Cuenca de la laguna de Pomacanchi",
            // A box around the lake, lon −71.62..−71.52, lat −14.08..−13.98: the sample zones lie inside it.
            BoundaryGeojson = """{"type":"Polygon","coordinates":[[[-71.62,-14.08],[-71.52,-14.08],[-71.52,-13.98],[-71.62,-13.98],[-71.62,-14.08]]]}""",
        })).WatershedUnit;
        var plans = new PlanService.PlanServiceClient(invoker);
        var created = await plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = unit.Id, Title = "Plan de ordenamiento territorial", Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 },
            Goals = { "Proteger las cabeceras de cuenca" },
        });
        var zones = await File.ReadAllBytesAsync(Path.Combine(ServiceProcess.RepositoryRoot(), "services", "LandUse", "Samples", "pomacanchi_zones.geojson"));
        await plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = created.FirstVersion.Id, Geojson = ByteString.CopyFrom(zones) });
        return (await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = created.FirstVersion.Id })).PlanVersion;
    }

    private static async Task<string> DraftProposalAsync(Uri consultation, string facilitator, string watershedId, string versionId)
    {
        var invoker = Identity.Invoker(consultation, facilitator);
        var space = (await new SpaceService.SpaceServiceClient(invoker).CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershedId, Name = "Asamblea", Kind = SpaceKind.CommunityAssembly })).Space;
        var person = (await new StakeholderService.StakeholderServiceClient(invoker).CreatePersonAsync(new CreatePersonRequest { WatershedId = watershedId, FullName = "Elena Ccahuana" })).Person;
        return (await new ProposalService.ProposalServiceClient(invoker).CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = space.Id, Title = "Aprobar el plan", Type = ProposalType.PlanApproval, SubmittedByPersonId = person.Id,
            References = { new ExternalReference { Kind = "landuse.plan_version", Id = versionId } },
        })).Proposal.Id;
    }

    /// <summary>An assembly of three voting members approves a PLAN_APPROVAL proposal citing the version.</summary>
    private static async Task<string> DecideAsync(Uri consultation, string facilitator, string watershedId, string versionId)
    {
        var invoker = Identity.Invoker(consultation, facilitator);
        var stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
        var spaces = new SpaceService.SpaceServiceClient(invoker);
        var assemblies = new AssemblyService.AssemblyServiceClient(invoker);
        var proposals = new ProposalService.ProposalServiceClient(invoker);
        var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = watershedId, Name = "Asamblea de la cuenca", Kind = SpaceKind.CommunityAssembly })).Space;
        var members = new List<Member>();
        foreach (var name in new[] { "Rosa Quispe", "Juan Mamani", "Lucía Huamán" })
        {
            var person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershedId, FullName = name })).Person;
            members.Add((await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = MemberRole.VotingMember })).Member);
        }

        var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Aprobación del plan", Place = "Local comunal", ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow),
        })).Assembly;
        foreach (var member in members)
        {
            await assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = member.Id, Present = true });
        }

        await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
        var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = space.Id, Title = "Aprobar el plan", Type = ProposalType.PlanApproval, SubmittedByPersonId = members[0].PersonId,
            References = { new ExternalReference { Kind = "landuse.plan_version", Id = versionId } },
        })).Proposal;
        await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
        await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = assembly.Id });
        var ballot = (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id })).Ballot;
        foreach (var member in members)
        {
            await proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = member.Id, Choice = VoteChoice.Yes, ClientRequestId = $"vote-{member.Id}" });
        }

        var closed = (await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id })).Proposal;
        Assert.Equal(ProposalState.Approved, closed.State);
        return closed.Id;
    }
}
