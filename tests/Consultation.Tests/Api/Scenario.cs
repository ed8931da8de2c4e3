using Google.Protobuf.WellKnownTypes;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Builds a community assembly through the public API: a watershed, a space, a roll of voting
/// members plus a technical advisor, and an assembly with some of them present.
/// </summary>
public sealed class Scenario
{
    private Scenario(Clients admin, Clients facilitator, Watershed.Consultation.V1.Watershed watershed, Space space)
    {
        Admin = admin;
        Facilitator = facilitator;
        Watershed = watershed;
        Space = space;
    }

    public Clients Admin { get; }

    public Clients Facilitator { get; }

    public Watershed.Consultation.V1.Watershed Watershed { get; }

    public Space Space { get; }

    public List<Member> Voters { get; } = [];

    public Member? Advisor { get; private set; }

    public Assembly? Assembly { get; private set; }

    public Organization? Community { get; private set; }

    public static async Task<Scenario> CreateAsync(ConsultationApp app, string code = "pomacanchi", int voters = 9, SpaceRules? rules = null)
    {
        var admin = app.ClientsFor(TestTokens.Admin());
        var facilitator = app.ClientsFor(TestTokens.Facilitator(code));
        var watershed = (await admin.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest
        {
            Code = code,
            Name = "Cuenca de la laguna de Pomacanchi",
            Region = "Cusco",
            District = "Pomacanchi",
        })).Watershed;
        var space = (await facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = watershed.Id,
            Name = "Asamblea General de la Comunidad Campesina de Manzanares",
            Kind = SpaceKind.CommunityAssembly,
            Rules = rules,
        })).Space;
        var scenario = new Scenario(admin, facilitator, watershed, space);
        scenario.Community = (await facilitator.Stakeholders.CreateOrganizationAsync(new CreateOrganizationRequest
        {
            WatershedId = watershed.Id,
            Name = "Comunidad Campesina de Manzanares",
            Kind = OrganizationKind.Community,
        })).Organization;

        for (var i = 1; i <= voters; i++)
        {
            scenario.Voters.Add(await scenario.AddPersonAsync($"Comunero {i:00}", MemberRole.VotingMember));
        }

        scenario.Advisor = await scenario.AddPersonAsync("Ing. Técnica", MemberRole.TechnicalAdvisor);
        return scenario;
    }

    public async Task<Member> AddPersonAsync(string name, MemberRole role)
    {
        var person = (await Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = Watershed.Id,
            FullName = name,
            OrganizationId = Community?.Id ?? string.Empty,
            PhoneNumber = "+51984000" + (Voters.Count + 100),
            PreferredLanguage = "qu-PE",
        })).Person;
        return (await Facilitator.Spaces.AddMemberAsync(new AddMemberRequest
        {
            SpaceId = Space.Id,
            PersonId = person.Id,
            Role = role,
            OrganizationId = role == MemberRole.Delegate ? Community!.Id : string.Empty,
        })).Member;
    }

    /// <summary>Convenes an assembly, marks the first <paramref name="present"/> voters and the advisor present, and opens it.</summary>
    public async Task<Assembly> OpenAssemblyAsync(int present, AssemblyCall call = AssemblyCall.First)
    {
        var convened = await ConveneAsync(present);
        Assembly = (await Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = convened.Id, Call = call })).Assembly;
        return Assembly;
    }

    /// <summary>
    /// Convenes an assembly whose call lists <paramref name="proposalIds"/>, and marks the first <paramref name="present"/>
    /// voters and the advisor present; it stays convened.
    /// </summary>
    public async Task<Assembly> ConveneAsync(int present, params string[] proposalIds)
    {
        var convened = (await Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = Space.Id,
            Title = "Asamblea ordinaria de noviembre",
            Place = "Local comunal de Manzanares",
            ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 28, 14, 0, 0, TimeSpan.Zero)),
            Agenda = { "Informe de la directiva", "Plan de uso del suelo" },
            ProposalIds = { proposalIds },
        })).Assembly;
        foreach (var member in Voters.Take(present).Append(Advisor!))
        {
            await Facilitator.Assemblies.RecordAttendanceAsync(new RecordAttendanceRequest
            {
                AssemblyId = convened.Id,
                MemberId = member.Id,
                Present = true,
            });
        }

        Assembly = convened;
        return convened;
    }

    /// <summary>A submitted proposal, not on any agenda yet.</summary>
    public async Task<Proposal> SubmittedAsync(ProposalType type, string title)
    {
        var draft = (await Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = Space.Id,
            Title = title,
            Description = "Propuesta de la junta directiva.",
            Type = type,
            SubmittedByOrganizationId = Community!.Id,
        })).Proposal;
        return (await Facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = draft.Id })).Proposal;
    }

    /// <summary>
    /// A land-use change on the agenda of an assembly convened for it (its call lists it), with the first
    /// <paramref name="present"/> voters present, opened at the first call.
    /// </summary>
    public async Task<Proposal> LandActAsync(int present, string title = "Ceder 20 ha de pastos a una concesión")
    {
        var proposal = await SubmittedAsync(ProposalType.LandUseChange, title);
        var convened = await ConveneAsync(present, proposal.Id);
        Assembly = (await Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = convened.Id, Call = AssemblyCall.First })).Assembly;
        return (await Facilitator.Proposals.GetProposalAsync(new GetProposalRequest { ProposalId = proposal.Id })).Proposal;
    }

    /// <summary>A proposal submitted and placed on the open assembly's agenda.</summary>
    public async Task<Proposal> ProposalOnAgendaAsync(ProposalType type, string title = "Reforestar la cabecera de cuenca", params ExternalReference[] references)
    {
        var draft = (await Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = Space.Id,
            Title = title,
            Description = "Propuesta de la junta directiva.",
            Type = type,
            SubmittedByOrganizationId = Community!.Id,
            References = { references },
        })).Proposal;
        await Facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = draft.Id });
        return (await Facilitator.Proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest { ProposalId = draft.Id, AssemblyId = Assembly!.Id })).Proposal;
    }

    public async Task<Ballot> OpenBallotAsync(Proposal proposal, DecisionRule rule = DecisionRule.Unspecified, BallotSecrecy secrecy = BallotSecrecy.Unspecified) =>
        (await Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = proposal.Id, Rule = rule, Secrecy = secrecy })).Ballot;

    public Task<CastVoteResponse> RecordVoteAsync(Ballot ballot, Member member, VoteChoice choice, string? requestId = null) =>
        Facilitator.Proposals.CastVoteAsync(new CastVoteRequest
        {
            BallotId = ballot.Id,
            MemberId = member.Id,
            Choice = choice,
            ClientRequestId = requestId ?? $"req-{member.Id}",
            Channel = VoteChannel.RecordedByFacilitator,
        }).ResponseAsync;
}
