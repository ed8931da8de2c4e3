using Google.Protobuf.WellKnownTypes;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.LandUse.V1;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// Consultation and land use as their own processes on PostgreSQL, talking through the development sidecar:
/// an assembly's approval of a plan makes land use approve the cited version with no manual call, also when
/// land use was down while the decision was published, and when consultation was killed between committing
/// the decision and publishing it.
/// </summary>
public sealed class PlanApprovalByEventsTests
{
    internal const string ZonesFile = "services/LandUse/Samples/pomacanchi_zones.geojson";

    [Fact]
    public async Task An_assemblys_approval_makes_land_use_approve_the_version_by_itself()
    {
        var landUsePort = ServiceProcess.FreePort();
        await using var sidecar = await SidecarProcess.StartAsync(new Dictionary<string, Uri> { ["landuse"] = new($"http://127.0.0.1:{landUsePort}") });
        await using var consultation = await ServiceProcess.StartAsync("Consultation", await EventSystem.SettingsAsync("e2e_ev_consultation", sidecar));
        var landUseSettings = await EventSystem.SettingsAsync("e2e_ev_landuse", sidecar);
        landUseSettings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var landUse = await ServiceProcess.StartAsync("LandUse", landUseSettings, landUsePort);

        var plan = await Plan.SubmittedAsync(landUse.Address, "ev-approve");
        await Assembly.ApprovesAsync(consultation.Address, plan);

        await plan.ApprovedAsync("land use should approve the version once the assembly's decision arrives");
    }

    [Fact]
    public async Task Land_use_down_while_the_decision_is_published_approves_after_its_restart()
    {
        var landUsePort = ServiceProcess.FreePort();
        await using var sidecar = await SidecarProcess.StartAsync(new Dictionary<string, Uri> { ["landuse"] = new($"http://127.0.0.1:{landUsePort}") });
        await using var consultation = await ServiceProcess.StartAsync("Consultation", await EventSystem.SettingsAsync("e2e_down_consultation", sidecar));
        var landUseSettings = await EventSystem.SettingsAsync("e2e_down_landuse", sidecar);
        landUseSettings["Services:consultation:Address"] = consultation.Address.ToString();
        var landUse = await ServiceProcess.StartAsync("LandUse", landUseSettings, landUsePort);
        var plan = await Plan.SubmittedAsync(landUse.Address, "ev-down");
        await Eventually.TrueAsync(async () => (await sidecar.SubscriptionsAsync()).Contains("consultation.proposal_decided.v1", StringComparison.Ordinal),
            "the sidecar should learn land use's subscriptions");
        await landUse.StopAsync();

        await Assembly.ApprovesAsync(consultation.Address, plan);
        await Eventually.TrueAsync(async () => (await sidecar.PendingDeliveriesAsync()).Contains("consultation.proposal_decided.v1", StringComparison.Ordinal),
            "the decision should wait in the sidecar for land use");

        await using var restarted = await ServiceProcess.StartAsync("LandUse", landUseSettings, landUsePort);
        await plan.ApprovedAsync("land use, back up, should receive the decision published while it was down");
    }

    [Fact]
    public async Task Consultation_killed_between_commit_and_publish_still_delivers_the_decision_once()
    {
        var landUsePort = ServiceProcess.FreePort();
        var sidecarPort = ServiceProcess.FreePort();

        // No sidecar listens yet: the decision commits with its event, which cannot be published.
        var consultationSettings = await EventSystem.SettingsAsync("e2e_kill_consultation", sidecar: null, deadSidecarPort: sidecarPort);
        var consultation = await ServiceProcess.StartAsync("Consultation", consultationSettings);
        var landUseSettings = await EventSystem.SettingsAsync("e2e_kill_landuse", sidecar: null, deadSidecarPort: sidecarPort);
        landUseSettings["Services:consultation:Address"] = consultation.Address.ToString();
        await using var landUse = await ServiceProcess.StartAsync("LandUse", landUseSettings, landUsePort);
        var plan = await Plan.SubmittedAsync(landUse.Address, "ev-kill");
        await Assembly.ApprovesAsync(consultation.Address, plan);
        await consultation.StopAsync();

        await using var sidecar = await SidecarProcess.StartAsync(new Dictionary<string, Uri> { ["landuse"] = new($"http://127.0.0.1:{landUsePort}") }, grpcPort: sidecarPort);
        await using var restarted = await ServiceProcess.StartAsync("Consultation", consultationSettings, consultation.Port);

        await plan.ApprovedAsync("the decision left in consultation's outbox should be published after its restart");
        var versions = await plan.Client.ListPlanVersionsAsync(new ListPlanVersionsRequest { PlanId = plan.PlanId });
        Assert.Equal([PlanVersionState.Approved], versions.PlanVersions.Select(v => v.State));
    }

    /// <summary>A plan of a fresh watershed with one version in consultation.</summary>
    internal sealed record Plan(PlanService.PlanServiceClient Client, string Code, string PlanId, string VersionId)
    {
        public static async Task<Plan> SubmittedAsync(Uri landUse, string prefix)
        {
            var code = $"{prefix}-{Guid.NewGuid():N}"[..30];
            var invoker = EventSystem.Invoker(landUse, TestTokens.Facilitator(code));
            var units = new WatershedUnitService.WatershedUnitServiceClient(invoker);
            var plans = new PlanService.PlanServiceClient(invoker);
            var unit = (await units.CreateWatershedUnitAsync(new CreateWatershedUnitRequest
            {
                Code = code,
                Name = "Laguna de Pomacanchi",
                BoundaryGeojson = """{"type":"Polygon","coordinates":[[[-71.62,-14.08],[-71.52,-14.08],[-71.52,-13.98],[-71.62,-13.98],[-71.62,-14.08]]]}""",
            })).WatershedUnit;
            var created = await plans.CreatePlanAsync(new CreatePlanRequest
            {
                WatershedUnitId = unit.Id,
                Title = "Plan de ordenamiento territorial de Pomacanchi",
                Horizon = new PlanHorizon { FromYear = 2027, ToYear = 2036 },
                Goals = { "Proteger las cabeceras de cuenca" },
            });
            var zones = await File.ReadAllBytesAsync(Path.Combine(ServiceProcess.RepositoryRoot(), ZonesFile));
            await plans.ImportPlanVersionZonesAsync(new ImportPlanVersionZonesRequest
            {
                PlanVersionId = created.FirstVersion.Id,
                Geojson = Google.Protobuf.ByteString.CopyFrom(zones),
            });
            await plans.SubmitPlanVersionAsync(new SubmitPlanVersionRequest { PlanVersionId = created.FirstVersion.Id });
            return new Plan(plans, code, created.Plan.Id, created.FirstVersion.Id);
        }

        public Task ApprovedAsync(string because) =>
            Eventually.TrueAsync(async () =>
                (await Client.GetPlanVersionAsync(new GetPlanVersionRequest { PlanVersionId = VersionId })).PlanVersion.State == PlanVersionState.Approved,
                because, TimeSpan.FromSeconds(120));
    }

    /// <summary>An assembly of the plan's watershed that approves it: three members, all present, all yes.</summary>
    private static class Assembly
    {
        public static async Task ApprovesAsync(Uri consultation, Plan plan)
        {
            var admin = EventSystem.Invoker(consultation, TestTokens.Admin());
            var invoker = EventSystem.Invoker(consultation, TestTokens.Facilitator(plan.Code));
            var stakeholders = new StakeholderService.StakeholderServiceClient(invoker);
            var spaces = new SpaceService.SpaceServiceClient(invoker);
            var assemblies = new AssemblyService.AssemblyServiceClient(invoker);
            var proposals = new ProposalService.ProposalServiceClient(invoker);

            var watershed = (await new StakeholderService.StakeholderServiceClient(admin).CreateWatershedAsync(
                new CreateWatershedRequest { Code = plan.Code, Name = "Laguna de Pomacanchi" })).Watershed;
            var space = (await spaces.CreateSpaceAsync(new CreateSpaceRequest
            {
                WatershedId = watershed.Id,
                Name = "Asamblea distrital",
                Kind = SpaceKind.CommunityAssembly,
            })).Space;
            var members = new List<string>();
            string person = string.Empty;
            foreach (var name in new[] { "Rosa Quispe", "Juan Mamani", "Lucía Huamán" })
            {
                person = (await stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = watershed.Id, FullName = name })).Person.Id;
                members.Add((await spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person, Role = MemberRole.VotingMember })).Member.Id);
            }

            var assembly = (await assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
            {
                SpaceId = space.Id,
                Title = "Aprobación del POT",
                Place = "Municipalidad",
                ScheduledAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(7)),
                Agenda = { "Aprobación del plan de ordenamiento territorial" },
            })).Assembly;
            foreach (var member in members)
            {
                await assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = assembly.Id, MemberId = member, Present = true });
            }

            await assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = assembly.Id, Call = AssemblyCall.First });
            var proposal = (await proposals.CreateProposalAsync(new CreateProposalRequest
            {
                SpaceId = space.Id,
                Title = "Aprobar el POT 2027-2036",
                Type = ProposalType.PlanApproval,
                SubmittedByPersonId = person,
                References = { new ExternalReference { Kind = "landuse.plan_version", Id = plan.VersionId } },
            })).Proposal;
            await proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = proposal.Id });
            await proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = proposal.Id, AssemblyId = assembly.Id });
            var ballot = (await proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id })).Ballot;
            foreach (var member in members)
            {
                await proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, MemberId = member, Choice = VoteChoice.Yes, ClientRequestId = $"pot-{member}" });
            }

            var closed = await proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = ballot.Id });
            Assert.Equal(ProposalState.Approved, closed.Proposal.State);
        }
    }
}
