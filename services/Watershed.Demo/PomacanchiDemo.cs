using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.Notifications.V1;

namespace Watershed.Demo;

/// <summary>Where the four services answer.</summary>
public sealed record DemoEndpoints(Uri Consultation, Uri LandUse, Uri Indicators, Uri Notifications);

/// <summary>What the demo left for a person to try: the ballot still open, and the ids to look at.</summary>
public sealed record DemoResult(
    string WatershedCode,
    string SpaceId,
    string AssemblyId,
    string PlanId,
    string PlanVersionId,
    string PlanTargetId,
    string OpenBallotId,
    string OpenProposalTitle);

/// <summary>
/// The connected Pomacanchi demo, loaded through the public APIs exactly as people would: the watershed and its four
/// communities, a basin council with its roll (names, phones, languages, consent per channel), the land-use plan with
/// its zones in consultation, an assembly that approves the plan by vote (land use approves the version on the
/// event, indicators learns the plan's goals), a plan target citing a real goal, recipients with preferences, and a
/// second ballot left open: closing it sends messages to the council's members, in their languages, through the
/// sidecar's SMS and e-mail bindings.
/// </summary>
public sealed class PomacanchiDemo(DemoEndpoints endpoints, Func<string, string, string> token, Action<string> say)
{
    public const string WatershedCode = "pomacanchi";
    public const string OpenProposalTitle = "Cercar y forestar con queñua el manantial de Sallma";
    private const string PlanGoalFood = "Mejorar la seguridad alimentaria de las familias de la cuenca";

    private static readonly (string Name, string Community)[] Communities =
    [
        ("Comunidad Campesina Tocorani", "tocorani"),
        ("Comunidad Campesina Santa Lucía", "santa-lucia"),
        ("Comunidad Campesina Manzanares", "manzanares"),
        ("Comunidad Campesina Conchacalla", "conchacalla"),
    ];

    /// <summary>The roll: community delegates with their contacts and the channels they agreed to.</summary>
    private static readonly Delegate[] Roll =
    [
        new("Rosa Quispe Huamán", 0, "qu-PE", "+51984100001", "", [ContactChannel.Sms]),
        new("Juan Mamani Ccori", 1, "es-PE", "", "juan.mamani@example.pe", [ContactChannel.Email]),
        new("Lucía Huamán Puma", 2, "qu-PE", "+51984100003", "", [ContactChannel.Sms]),
        new("Pedro Ccori Condori", 3, "es-PE", "+51984100004", "pedro.ccori@example.pe", [ContactChannel.Sms, ContactChannel.Email]),
        new("Nilda Puma Quispe", 0, "qu-PE", "+51984100005", "", [ContactChannel.Sms]),
        new("Hilario Condori Mamani", 1, "es-PE", "+51984100006", "", [ContactChannel.Sms]),
        new("Marleni Huillca Ttito", 2, "es-PE", "", "marleni.huillca@example.pe", [ContactChannel.Email]),
    ];

    private sealed record Delegate(string Name, int Community, string Language, string Phone, string Email, ContactChannel[] Consents);

    private readonly Dictionary<Uri, GrpcChannel> _channels = [];

    private CallInvoker Invoker(Uri address, string role) =>
        (_channels.TryGetValue(address, out var channel) ? channel : _channels[address] = GrpcChannel.ForAddress(address)).Intercept(metadata =>
        {
            metadata.Add("Authorization", "Bearer " + token(role, role == "admin" ? "*" : WatershedCode));
            return metadata;
        });

    /// <summary>True when the demo's watershed exists already (a second run changes nothing).</summary>
    public async Task<bool> IsLoadedAsync(CancellationToken ct)
    {
        var stakeholders = new StakeholderService.StakeholderServiceClient(Invoker(endpoints.Consultation, "admin"));
        var token = string.Empty;
        do
        {
            var page = await stakeholders.ListWatershedsAsync(new ListWatershedsRequest { Page = new PageRequest { PageToken = token } }, cancellationToken: ct);
            if (page.Watersheds.Any(w => w.Code == WatershedCode))
            {
                return true;
            }

            token = page.Page?.NextPageToken ?? string.Empty;
        }
        while (token.Length > 0);
        return false;
    }

    public async Task<DemoResult> LoadAsync(CancellationToken ct)
    {
        var admin = Invoker(endpoints.Consultation, "admin");
        var co = Invoker(endpoints.Consultation, "facilitator");
        var stakeholders = new StakeholderService.StakeholderServiceClient(co);
        var spaces = new SpaceService.SpaceServiceClient(co);

        // Consultation: the watershed, its communities and the district government, the council and its roll.
        var watershed = (await new StakeholderService.StakeholderServiceClient(admin).CreateWatershedAsync(new CreateWatershedRequest
        {
            Code = WatershedCode, Name = "Laguna de Pomacanchi", Region = "Cusco", District = "Pomacanchi",
        }, cancellationToken: ct)).Watershed;
        var communities = new List<string>();
        foreach (var (name, _) in Communities)
        {
            communities.Add((await stakeholders.CreateOrganizationAsync(new CreateOrganizationRequest
            {
                WatershedId = watershed.Id, Name = name, Kind = OrganizationKind.Community,
            }, cancellationToken: ct)).Organization.Id);
        }

        var municipality = (await stakeholders.CreateOrganizationAsync(new CreateOrganizationRequest
        {
            WatershedId = watershed.Id, Name = "Municipalidad Distrital de Pomacanchi", Kind = OrganizationKind.LocalGovernment,
        }, cancellationToken: ct)).Organization.Id;
        say($"consultation: watershed {WatershedCode}, communities {string.Join(", ", Communities.Select(c => c.Name))}");

        var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = watershed.Id, Name = "Consejo de la cuenca Pomacanchi", Kind = SpaceKind.BasinCouncil,
        }, cancellationToken: ct)).Space;
        var people = new List<(string Person, string Member)>();
        foreach (var d in Roll)
        {
            var person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest
            {
                WatershedId = watershed.Id, FullName = d.Name, OrganizationId = communities[d.Community], PhoneNumber = d.Phone,
                PreferredLanguage = d.Language, Email = d.Email, ConsentedChannels = { d.Consents },
            }, cancellationToken: ct)).Person.Id;
            var member = (await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person, Role = MemberRole.VotingMember }, cancellationToken: ct)).Member.Id;
            people.Add((person, member));
        }

        var facilitatorPerson = (await stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = watershed.Id, FullName = "Carmen Vargas Alarcón", OrganizationId = municipality, PreferredLanguage = "es-PE",
            Email = "cvargas@munipomacanchi.example.pe", ConsentedChannels = { ContactChannel.Email },
        }, cancellationToken: ct)).Person.Id;
        await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = facilitatorPerson, Role = MemberRole.Facilitator }, cancellationToken: ct);
        say($"consultation: space \"{space.Name}\" with {Roll.Length} voting delegates and a facilitator");

        // Notifications: who wants to hear what, and how.
        var nt = Invoker(endpoints.Notifications, "facilitator");
        var preferences = new PreferenceService.PreferenceServiceClient(nt);
        var watchers = new WatcherService.WatcherServiceClient(nt);
        await preferences.SetPreferencesAsync(new SetPreferencesRequest { WatershedCode = WatershedCode, PersonId = people[2].Person, OptedOut = true }, cancellationToken: ct);
        await preferences.SetPreferencesAsync(new SetPreferencesRequest
        {
            WatershedCode = WatershedCode, PersonId = people[5].Person, QuietHours = new QuietHours { Start = "22:00", End = "05:00" },
        }, cancellationToken: ct);
        await preferences.SetPreferencesAsync(new SetPreferencesRequest
        {
            WatershedCode = WatershedCode, PersonId = people[3].Person, Channels = { Channel.Sms }, MutedKinds = { EventKind.Assemblies },
        }, cancellationToken: ct);
        await watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = WatershedCode, Name = "Equipo de seguridad alimentaria", Organization = "Asociación Arariwa",
            Email = "monitoreo@arariwa.example.pe", Language = Language.Es, Kinds = { EventKind.Alerts, EventKind.Decisions }, Channels = { Channel.Email },
        }, cancellationToken: ct);
        await watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = WatershedCode, Name = "Gerencia de Desarrollo Territorial", Organization = "Municipalidad Distrital de Pomacanchi",
            Email = "territorio@munipomacanchi.example.pe", PhoneNumber = "+51984100099", Language = Language.Es,
            Kinds = { EventKind.PlanChanges }, Channels = { Channel.Email, Channel.Sms },
        }, cancellationToken: ct);
        await watchers.CreateWatcherAsync(new CreateWatcherRequest
        {
            WatershedCode = WatershedCode, Name = "Andean Water Partnership", Organization = "Andean Water Partnership",
            Email = "pomacanchi@andeanwater.example.org", Language = Language.En, Kinds = { EventKind.Decisions, EventKind.PlanChanges }, Channels = { Channel.Email },
        }, cancellationToken: ct);
        say("notifications: one delegate opted out, one with quiet hours, one on SMS only; three watchers (NGO, municipality, partner in English)");

        // Land use: the boundary, the plan with its goals and zones, its first version in consultation.
        var lu = Invoker(endpoints.LandUse, "facilitator");
        var plans = new PlanService.PlanServiceClient(lu);
        var unit = (await new WatershedUnitService.WatershedUnitServiceClient(lu).CreateWatershedUnitAsync(new CreateWatershedUnitRequest
        {
            Code = WatershedCode, Name = "Laguna de Pomacanchi",
            BoundaryGeojson = """{"type":"Polygon","coordinates":[[[-71.62,-14.08],[-71.52,-14.08],[-71.52,-13.98],[-71.62,-13.98],[-71.62,-14.08]]]}""",
        }, cancellationToken: ct)).WatershedUnit;
        var created = await plans.CreatePlanAsync(new CreatePlanRequest
        {
            WatershedUnitId = unit.Id, Title = "Plan de ordenamiento territorial de la cuenca Pomacanchi 2027–2036",
            Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 },
            Goals = { "Proteger las cabeceras de cuenca y los manantiales", PlanGoalFood, "Recuperar las laderas degradadas con forestación nativa" },
        }, cancellationToken: ct);
        var versionId = created.FirstVersion.Id;
        var zones = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "pomacanchi_zones.geojson"), ct);
        var imported = await plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest { PlanVersionId = versionId, Geojson = ByteString.CopyFrom(zones) }, cancellationToken: ct);
        await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = versionId }, cancellationToken: ct);
        say($"land use: boundary, plan \"{created.Plan.Title}\", version 1 with {imported.PlanVersion.Zones.Count} zones submitted for consultation");

        // Consultation: the assembly, its quorum, the plan approved by vote, a second proposal left open.
        var assemblies = new AssemblyService.AssemblyServiceClient(co);
        var proposals = new ProposalService.ProposalServiceClient(co);
        var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = space.Id, Title = "Asamblea ordinaria del consejo de cuenca", Place = "Local comunal de Manzanares",
            ScheduledAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)),
            Agenda = { "Aprobación del plan de ordenamiento territorial 2027–2036", "Protección del manantial de Sallma" },
        }, cancellationToken: ct)).Assembly;
        foreach (var (_, member) in people.Take(6))
        {
            await assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = member, Present = true }, cancellationToken: ct);
        }

        await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First }, cancellationToken: ct);
        var approval = await ProposeAsync(proposals, space.Id, assembly.Id, people[0].Person, "Aprobar el plan de ordenamiento territorial 2027–2036",
            ProposalType.PlanApproval, new ExternalReference { Kind = "landuse.plan_version", Id = versionId }, ct);
        var approvalBallot = (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = approval }, cancellationToken: ct)).Ballot.Id;
        VoteChoice[] planVotes = [VoteChoice.Yes, VoteChoice.Yes, VoteChoice.Yes, VoteChoice.Yes, VoteChoice.Yes, VoteChoice.Abstain];
        await VoteAsync(proposals, approvalBallot, people, planVotes, ct);
        var decided = await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = approvalBallot }, cancellationToken: ct);
        say($"consultation: assembly open with quorum; the plan's approval closed {decided.Proposal.State}");

        var sallma = await ProposeAsync(proposals, space.Id, assembly.Id, people[4].Person, OpenProposalTitle, ProposalType.General, null, ct);
        var openBallot = (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = sallma }, cancellationToken: ct)).Ballot.Id;
        await VoteAsync(proposals, openBallot, people, [VoteChoice.Yes, VoteChoice.Yes, VoteChoice.No, VoteChoice.Yes, VoteChoice.Yes], ct);
        say($"consultation: \"{OpenProposalTitle}\" in vote, 5 of 6 present have voted; the ballot is left open for you to close");

        // Land use approves the version by itself when the assembly's decision arrives.
        var version = await EventuallyAsync(async () =>
        {
            var v = (await plans.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = versionId }, cancellationToken: ct)).PlanVersion;
            return v.State == PlanVersionState.Approved ? v : null;
        }, "land use should approve the plan version once the assembly's decision arrives", ct);
        say("land use: version 1 approved on the assembly's decision (no manual call)");

        // Indicators: a plan target citing the plan's real goal, its baseline taken from the 2025Q4 survey.
        var ind = Invoker(endpoints.Indicators, "facilitator");
        var area = await EventuallyAsync(async () =>
            (await new AreaService.AreaServiceClient(ind).ListAreasAsync(new ListAreasRequest { WatershedCode = WatershedCode }, cancellationToken: ct))
                .Areas.FirstOrDefault(a => a.Level == AreaLevel.Watershed),
            "indicators should hold the Pomacanchi areas (run it with Demo:Seed=true)", ct);
        var goal = version.GoalItems.Single(g => g.Text == PlanGoalFood);
        var target = (await new PlanTrackingService.PlanTrackingServiceClient(ind).CreatePlanTargetAsync(new CreatePlanTargetRequest
        {
            Target = new PlanTarget
            {
                PlanId = created.Plan.Id, GoalId = goal.GoalId, IndicatorCode = "FCS", AreaId = area.Id, Metric = "mean",
                BaselinePeriod = "2025Q4", TargetValue = "50", TargetDate = "2028-12-31",
            },
        }, cancellationToken: ct)).Target;
        say($"indicators: target \"FCS mean 50 by 2028\" on the goal \"{PlanGoalFood}\", baseline {target.BaselineValue} (2025Q4)");

        return new DemoResult(WatershedCode, space.Id, assembly.Id, created.Plan.Id, versionId, target.Id, openBallot, OpenProposalTitle);
    }

    private static async Task<string> ProposeAsync(
        ProposalService.ProposalServiceClient proposals, string spaceId, string assemblyId, string by, string title, ProposalType type,
        ExternalReference? reference, CancellationToken ct)
    {
        var request = new CreateProposalRequest { SpaceId = spaceId, Title = title, Type = type, SubmittedByPersonId = by };
        if (reference is not null)
        {
            request.References.Add(reference);
        }

        var id = (await proposals.CreateProposalAsync(request, cancellationToken: ct)).Proposal.Id;
        await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = id }, cancellationToken: ct);
        await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = id, AssemblyId = assemblyId }, cancellationToken: ct);
        return id;
    }

    private static async Task VoteAsync(
        ProposalService.ProposalServiceClient proposals, string ballotId, List<(string Person, string Member)> people, VoteChoice[] choices, CancellationToken ct)
    {
        for (var i = 0; i < choices.Length; i++)
        {
            await proposals.CastVoteAsync(new CastVoteRequest
            {
                BallotId = ballotId, MemberId = people[i].Member, Choice = choices[i], ClientRequestId = $"demo-{ballotId}-{i}",
            }, cancellationToken: ct);
        }
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what, CancellationToken ct)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up after 60 s: {what}.");
            }

            await Task.Delay(250, ct);
        }
    }
}
