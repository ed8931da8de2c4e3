using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

public sealed class BadInputFixture : IAsyncLifetime
{
    public ConsultationApp App { get; private set; } = null!;

    public Scenario Scenario { get; private set; } = null!;

    public Ballot Ballot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await ConsultationApp.OnPostgresAsync();
        Scenario = await Scenario.CreateAsync(App, voters: 3);
        await Scenario.OpenAssemblyAsync(present: 3);
        Ballot = await Scenario.OpenBallotAsync(await Scenario.ProposalOnAgendaAsync(ProposalType.General));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Every RPC answers malformed input with INVALID_ARGUMENT naming exactly the bad fields (all of them at once),
/// and changes no row of the database; each case is checked to reach the RPC it is named after.
/// </summary>
public sealed class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private const string NotAnId = "not-a-uuid";

    private static readonly Dictionary<string, (Func<BadInputFixture, Task> Call, string[] Fields)> Cases = new()
    {
        ["CreateWatershed empty"] = (f => f.Scenario.Admin.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest()).ResponseAsync, ["code", "name"]),
        ["CreateWatershed bad code"] = (f => f.Scenario.Admin.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "9 Cuenca!", Name = "X" }).ResponseAsync, ["code"]),
        ["GetWatershed"] = (f => f.Scenario.Admin.Stakeholders.GetWatershedAsync(new GetWatershedRequest { WatershedId = NotAnId }).ResponseAsync, ["watershed_id"]),
        ["ListWatersheds negative size"] = (f => f.Scenario.Admin.Stakeholders.ListWatershedsAsync(new ListWatershedsRequest { Page = new PageRequest { PageSize = -1 } }).ResponseAsync, ["page.page_size"]),
        ["ListWatersheds forged token"] = (f => f.Scenario.Admin.Stakeholders.ListWatershedsAsync(new ListWatershedsRequest { Page = new PageRequest { PageToken = "forged" } }).ResponseAsync, ["page.page_token"]),
        ["CreateOrganization empty"] = (f => f.Scenario.Facilitator.Stakeholders.CreateOrganizationAsync(new CreateOrganizationRequest()).ResponseAsync, ["watershed_id", "name", "kind"]),
        ["CreateOrganization unknown kind"] = (f => f.Scenario.Facilitator.Stakeholders.CreateOrganizationAsync(new CreateOrganizationRequest { WatershedId = f.Scenario.Watershed.Id, Name = "X", Kind = (OrganizationKind)42 }).ResponseAsync, ["kind"]),
        ["GetOrganization"] = (f => f.Scenario.Facilitator.Stakeholders.GetOrganizationAsync(new GetOrganizationRequest()).ResponseAsync, ["organization_id"]),
        ["ListOrganizations"] = (f => f.Scenario.Facilitator.Stakeholders.ListOrganizationsAsync(new ListOrganizationsRequest { WatershedId = NotAnId }).ResponseAsync, ["watershed_id"]),
        ["CreatePerson"] = (f => f.Scenario.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest { WatershedId = f.Scenario.Watershed.Id, FullName = " ", PhoneNumber = "984123456", PreferredLanguage = "fr" }).ResponseAsync, ["full_name", "phone_number", "preferred_language"]),
        ["CreatePerson contacts"] = (f => f.Scenario.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = f.Scenario.Watershed.Id,
            FullName = "Rosa Quispe",
            Email = "rosa@",
            ConsentedChannels = { ContactChannel.Unspecified, (ContactChannel)9, ContactChannel.Sms },
        }).ResponseAsync, ["email", "consented_channels[0]", "consented_channels[1]", "consented_channels[2]"]),
        ["CreatePerson email too long"] = (f => f.Scenario.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = f.Scenario.Watershed.Id, FullName = "Rosa Quispe", Email = new string('a', 245) + "@cuenca.pe", ConsentedChannels = { ContactChannel.Email, ContactChannel.Email },
        }).ResponseAsync, ["email", "consented_channels[1]"]),
        ["CreatePerson control characters"] = (f => f.Scenario.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = f.Scenario.Watershed.Id, FullName = "Rosa\0Quispe", PhoneNumber = "+51984\n123456", PreferredLanguage = "es-PE", Email = "rosa@cue\tnca.pe",
        }).ResponseAsync, ["full_name", "phone_number", "email"]),
        ["CreateWatershed control characters"] = (f => f.Scenario.Admin.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest
        {
            Code = "nueva-cuenca", Name = "Cuenca\u001b[31m", Region = "Apurímac\nCusco", District = "Cachora\u0000",
        }).ResponseAsync, ["name", "region", "district"]),
        ["CreatePerson bad DNI"] = (f => f.Scenario.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = f.Scenario.Watershed.Id, FullName = "Rosa Quispe", NationalId = "1234567X",
        }).ResponseAsync, ["national_id"]),
        ["CreatePerson unknown sex"] = (f => f.Scenario.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = f.Scenario.Watershed.Id, FullName = "Rosa Quispe", Sex = (Sex)3,
        }).ResponseAsync, ["sex"]),
        ["GetPerson"] = (f => f.Scenario.Facilitator.Stakeholders.GetPersonAsync(new GetPersonRequest { PersonId = Guid.Empty.ToString() }).ResponseAsync, ["person_id"]),
        ["ListPersons"] = (f => f.Scenario.Facilitator.Stakeholders.ListPersonsAsync(new ListPersonsRequest()).ResponseAsync, ["watershed_id"]),
        ["CreateSpace"] = (f => f.Scenario.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = f.Scenario.Watershed.Id,
            Rules = new SpaceRules
            {
                FirstCallQuorum = new V1.QuorumThreshold { Percent = 0 },
                SecondCallQuorum = new V1.QuorumThreshold { Percent = 100, MoreThan = true },
                DecisionRules = { new DecisionRuleOverride { ProposalType = ProposalType.LandUseChange, Rule = DecisionRule.SimpleMajority } },
            },
        }).ResponseAsync, ["name", "kind", "rules.first_call_quorum.percent", "rules.second_call_quorum.more_than", "rules.decision_rules[0].rule"]),
        ["CreateSpace quorum not a number"] = (f => f.Scenario.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = f.Scenario.Watershed.Id,
            Name = "Mesa",
            Kind = SpaceKind.RoundTable,
            Rules = new SpaceRules { FirstCallQuorum = new V1.QuorumThreshold { Percent = double.NaN } },
        }).ResponseAsync, ["rules.first_call_quorum.percent"]),
        ["CreateSpace proxies beyond the limit"] = (f => f.Scenario.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest
        {
            WatershedId = f.Scenario.Watershed.Id, Name = "Mesa", Kind = SpaceKind.RoundTable, Rules = new SpaceRules { Proxies = new ProxyRules { MaxPerHolder = 11 } },
        }).ResponseAsync, ["rules.proxies.max_per_holder"]),
        ["GetSpace"] = (f => f.Scenario.Facilitator.Spaces.GetSpaceAsync(new GetSpaceRequest { SpaceId = NotAnId }).ResponseAsync, ["space_id"]),
        ["ListSpaces"] = (f => f.Scenario.Facilitator.Spaces.ListSpacesAsync(new ListSpacesRequest()).ResponseAsync, ["watershed_id"]),
        ["AddMember delegate without organisation"] = (f => f.Scenario.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = f.Scenario.Space.Id, PersonId = f.Scenario.Voters[0].PersonId, Role = MemberRole.Delegate }).ResponseAsync, ["organization_id"]),
        ["AddMember empty"] = (f => f.Scenario.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest()).ResponseAsync, ["space_id", "person_id", "role"]),
        ["RemoveMember"] = (f => f.Scenario.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = NotAnId }).ResponseAsync, ["member_id"]),
        ["ListMembers"] = (f => f.Scenario.Facilitator.Spaces.ListMembersAsync(new ListMembersRequest()).ResponseAsync, ["space_id"]),
        ["ImportRoll empty"] = (f => f.Scenario.Facilitator.Spaces.ImportRollAsync(new ImportRollRequest()).ResponseAsync, ["space_id", "csv"]),
        ["ImportRoll bad lines"] = (f => f.Scenario.Facilitator.Spaces.ImportRollAsync(new ImportRollRequest
        {
            SpaceId = f.Scenario.Space.Id, Csv = "nombre;dni\nRosa Quispe;1234\n",
        }).ResponseAsync, ["csv"]),
        ["RecordBulkAttendance empty"] = (f => f.Scenario.Facilitator.Assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest()).ResponseAsync, ["assembly_id", "member_ids"]),
        ["RecordBulkAttendance bad and repeated members"] = (f => f.Scenario.Facilitator.Assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest
        {
            AssemblyId = f.Scenario.Assembly!.Id, MemberIds = { f.Scenario.Voters[0].Id, "", f.Scenario.Voters[0].Id }, Present = true,
        }).ResponseAsync, ["member_ids[1]", "member_ids[2]"]),
        ["ConveneAssembly"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = f.Scenario.Space.Id, Agenda = { "" } }).ResponseAsync, ["title", "place", "scheduled_at", "agenda[0]"]),
        ["ConveneAssembly instant out of range"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = f.Scenario.Space.Id, Title = "T", Place = "P", ScheduledAt = new Timestamp { Seconds = long.MaxValue } }).ResponseAsync, ["scheduled_at"]),
        ["ConveneAssembly bad nanos"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = f.Scenario.Space.Id, Title = "T", Place = "P", ScheduledAt = new Timestamp { Seconds = 1_800_000_000, Nanos = -1 } }).ResponseAsync, ["scheduled_at"]),
        ["ConveneAssembly before 1900"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = f.Scenario.Space.Id, Title = "T", Place = "P", ScheduledAt = Timestamp.FromDateTime(new DateTime(1899, 12, 31, 23, 59, 59, DateTimeKind.Utc)) }).ResponseAsync, ["scheduled_at"]),
        ["ConveneAssembly from 2200"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = f.Scenario.Space.Id, Title = "T", Place = "P", ScheduledAt = Timestamp.FromDateTime(new DateTime(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc)) }).ResponseAsync, ["scheduled_at"]),
        ["ConveneAssembly control characters"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = f.Scenario.Space.Id, Title = "T\0", Place = "Local\ncomunal", Agenda = { "Punto\u0007" }, ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow) }).ResponseAsync, ["title", "place", "agenda[0]"]),
        ["ConveneAssembly bad and repeated proposals"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = f.Scenario.Space.Id, Title = "T", Place = "P", ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero)),
            ProposalIds = { f.Ballot.ProposalId, NotAnId, f.Ballot.ProposalId },
        }).ResponseAsync, ["proposal_ids[1]", "proposal_ids[2]"]),
        ["ConveneAssembly too many proposals"] = (f => f.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest
        {
            SpaceId = f.Scenario.Space.Id, Title = "T", Place = "P", ScheduledAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero)),
            ProposalIds = { Enumerable.Range(0, 51).Select(_ => Guid.NewGuid().ToString()) },
        }).ResponseAsync, ["proposal_ids"]),
        ["GetAssembly"] = (f => f.Scenario.Facilitator.Assemblies.GetAssemblyAsync(new GetAssemblyRequest()).ResponseAsync, ["assembly_id"]),
        ["ListAssemblies"] = (f => f.Scenario.Facilitator.Assemblies.ListAssembliesAsync(new ListAssembliesRequest { SpaceId = NotAnId }).ResponseAsync, ["space_id"]),
        ["RecordAttendance"] = (f => f.Scenario.Facilitator.Assemblies.RecordAttendanceAsync(new RecordAttendanceRequest { AssemblyId = NotAnId, MemberId = "" }).ResponseAsync, ["assembly_id", "member_id"]),
        ["OpenAssembly"] = (f => f.Scenario.Facilitator.Assemblies.OpenAssemblyAsync(new OpenAssemblyRequest { AssemblyId = f.Scenario.Assembly!.Id }).ResponseAsync, ["call"]),
        ["CloseAssembly"] = (f => f.Scenario.Facilitator.Assemblies.CloseAssemblyAsync(new CloseAssemblyRequest()).ResponseAsync, ["assembly_id"]),
        ["GetQuorum"] = (f => f.Scenario.Facilitator.Assemblies.GetQuorumAsync(new GetQuorumRequest()).ResponseAsync, ["assembly_id"]),
        ["GetMinutes"] = (f => f.Scenario.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = f.Scenario.Assembly!.Id, Language = "fr" }).ResponseAsync, ["language"]),
        ["RegisterProxy empty"] = (f => f.Scenario.Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest()).ResponseAsync, ["assembly_id", "member_id", "holder_member_id"]),
        ["RegisterProxy own holder and long document"] = (f => f.Scenario.Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest
        {
            AssemblyId = f.Scenario.Assembly!.Id, MemberId = f.Scenario.Voters[0].Id, HolderMemberId = f.Scenario.Voters[0].Id, DocumentReference = new string('7', 101),
        }).ResponseAsync, ["holder_member_id", "document_reference"]),
        ["RegisterProxy document with a line break"] = (f => f.Scenario.Facilitator.Assemblies.RegisterProxyAsync(new RegisterProxyRequest
        {
            AssemblyId = f.Scenario.Assembly!.Id, MemberId = f.Scenario.Voters[0].Id, HolderMemberId = f.Scenario.Voters[1].Id, DocumentReference = "N.º 12\n2026",
        }).ResponseAsync, ["document_reference"]),
        ["RevokeProxy empty"] = (f => f.Scenario.Facilitator.Assemblies.RevokeProxyAsync(new RevokeProxyRequest { AssemblyId = NotAnId }).ResponseAsync, ["assembly_id", "member_id"]),
        ["AppendMinutesCorrection empty"] = (f => f.Scenario.Facilitator.Assemblies.AppendMinutesCorrectionAsync(new AppendMinutesCorrectionRequest()).ResponseAsync, ["assembly_id", "text"]),
        ["AppendMinutesCorrection text too long"] = (f => f.Scenario.Facilitator.Assemblies.AppendMinutesCorrectionAsync(new AppendMinutesCorrectionRequest
        {
            AssemblyId = f.Scenario.Assembly!.Id, Text = new string('x', 2001),
        }).ResponseAsync, ["text"]),
        ["GetMinutes unknown format"] = (f => f.Scenario.Facilitator.Assemblies.GetMinutesAsync(new GetMinutesRequest { AssemblyId = f.Scenario.Assembly!.Id, Format = (MinutesFormat)5 }).ResponseAsync, ["format"]),
        ["CreateProposal empty"] = (f => f.Scenario.Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest { SpaceId = f.Scenario.Space.Id }).ResponseAsync, ["title", "type", "submitted_by_person_id"]),
        ["CreateProposal bad references"] = (f => f.Scenario.Facilitator.Proposals.CreateProposalAsync(new CreateProposalRequest
        {
            SpaceId = f.Scenario.Space.Id,
            Title = "Aprobar el plan",
            Type = ProposalType.PlanApproval,
            SubmittedByOrganizationId = f.Scenario.Community!.Id,
            References = { new ExternalReference { Kind = "Plan Version", Id = "" } },
        }).ResponseAsync, ["references[0].kind", "references[0].id", "references"]),
        ["SubmitProposal"] = (f => f.Scenario.Facilitator.Proposals.SubmitProposalAsync(new SubmitProposalRequest { ProposalId = NotAnId }).ResponseAsync, ["proposal_id"]),
        ["PlaceOnAgenda"] = (f => f.Scenario.Facilitator.Proposals.PlaceOnAgendaAsync(new PlaceOnAgendaRequest()).ResponseAsync, ["proposal_id", "assembly_id"]),
        ["WithdrawProposal"] = (f => f.Scenario.Facilitator.Proposals.WithdrawProposalAsync(new WithdrawProposalRequest()).ResponseAsync, ["proposal_id"]),
        ["GetProposal"] = (f => f.Scenario.Facilitator.Proposals.GetProposalAsync(new GetProposalRequest()).ResponseAsync, ["proposal_id"]),
        ["ListProposals"] = (f => f.Scenario.Facilitator.Proposals.ListProposalsAsync(new ListProposalsRequest { State = (ProposalState)77 }).ResponseAsync, ["space_id", "state"]),
        ["OpenBallot"] = (f => f.Scenario.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = NotAnId, Rule = (DecisionRule)9 }).ResponseAsync, ["proposal_id", "rule"]),
        ["OpenBallot unknown receipt mode"] = (f => f.Scenario.Facilitator.Proposals.OpenBallotAsync(new OpenBallotRequest { ProposalId = f.Ballot.ProposalId, Receipts = (ReceiptMode)7 }).ResponseAsync, ["receipts"]),
        ["CastVote empty"] = (f => f.Scenario.Facilitator.Proposals.CastVoteAsync(new CastVoteRequest()).ResponseAsync, ["ballot_id", "member_id", "choice", "client_request_id"]),
        ["CastVote short request id"] = (f => f.Scenario.Facilitator.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = f.Ballot.Id, MemberId = f.Scenario.Voters[0].Id, Choice = VoteChoice.Yes, ClientRequestId = "abc" }).ResponseAsync, ["client_request_id"]),
        ["CloseBallot"] = (f => f.Scenario.Facilitator.Proposals.CloseBallotAsync(new CloseBallotRequest { BallotId = NotAnId }).ResponseAsync, ["ballot_id"]),
        ["GetBallot"] = (f => f.Scenario.Facilitator.Proposals.GetBallotAsync(new GetBallotRequest()).ResponseAsync, ["ballot_id"]),
        ["GetBallotLog"] = (f => f.Scenario.Facilitator.Proposals.GetBallotLogAsync(new GetBallotLogRequest { BallotId = f.Ballot.Id, AfterSequence = -1, Limit = -1 }).ResponseAsync, ["after_sequence", "limit"]),
        ["ListBallotParticipants"] = (f => f.Scenario.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = NotAnId, Page = new PageRequest { PageSize = -3 } }).ResponseAsync, ["ballot_id", "page.page_size"]),
        ["VerifyReceipt"] = (f => f.Scenario.Facilitator.Proposals.VerifyReceiptAsync(new VerifyReceiptRequest { BallotId = f.Ballot.Id }).ResponseAsync, ["receipt_code"]),
        ["VoidVote empty"] = (f => f.Scenario.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest()).ResponseAsync, ["ballot_id", "member_id", "reason"]),
        ["VoidVote reason of two lines"] = (f => f.Scenario.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest
        {
            BallotId = f.Ballot.Id, MemberId = NotAnId, Reason = "Tecla equivocada\nera NO",
        }).ResponseAsync, ["member_id", "reason"]),
        ["VoidVote reason too long"] = (f => f.Scenario.Facilitator.Proposals.VoidVoteAsync(new VoidVoteRequest
        {
            BallotId = f.Ballot.Id, MemberId = f.Scenario.Voters[0].Id, Reason = new string('x', 501),
        }).ResponseAsync, ["reason"]),
        ["IssuePaperBallots empty"] = (f => f.Scenario.Facilitator.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest()).ResponseAsync, ["ballot_id", "member_ids"]),
        ["IssuePaperBallots bad and repeated members"] = (f => f.Scenario.Facilitator.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest
        {
            BallotId = f.Ballot.Id, MemberIds = { f.Scenario.Voters[0].Id, NotAnId, f.Scenario.Voters[0].Id },
        }).ResponseAsync, ["member_ids[1]", "member_ids[2]"]),
        ["IssuePaperBallots too many"] = (f => f.Scenario.Facilitator.Proposals.IssuePaperBallotsAsync(new IssuePaperBallotsRequest
        {
            BallotId = f.Ballot.Id, MemberIds = { Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid().ToString()) },
        }).ResponseAsync, ["member_ids"]),
        ["RecordPaperTally empty"] = (f => f.Scenario.Facilitator.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest()).ResponseAsync, ["ballot_id", "count"]),
        ["RecordPaperTally negative and huge counts"] = (f => f.Scenario.Facilitator.Proposals.RecordPaperTallyAsync(new RecordPaperTallyRequest
        {
            BallotId = f.Ballot.Id, Count = new PaperCount { Yes = -1, Spoiled = int.MaxValue },
        }).ResponseAsync, ["count.yes", "count.spoiled"]),
        ["AttestPaperTally empty"] = (f => f.Scenario.Facilitator.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest { BallotId = NotAnId }).ResponseAsync, ["ballot_id", "count"]),
        ["AttestPaperTally negative count"] = (f => f.Scenario.Facilitator.Proposals.AttestPaperTallyAsync(new AttestPaperTallyRequest
        {
            BallotId = f.Ballot.Id, Count = new PaperCount { Blank = -2, No = 100_001 },
        }).ResponseAsync, ["count.no", "count.blank"]),
        ["ListSpaceContacts"] = (f => f.Scenario.Facilitator.Contacts.ListSpaceContactsAsync(new ListSpaceContactsRequest { SpaceId = NotAnId, Page = new PageRequest { PageSize = -1 } }).ResponseAsync, ["space_id", "page.page_size"]),
        ["ListDeadLetters"] = (f => f.Scenario.Admin.DeadLetters.ListDeadLettersAsync(new Watershed.Events.V1.ListDeadLettersRequest { Page = new PageRequest { PageToken = "forged" } }).ResponseAsync, ["page.page_token"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Malformed_requests_are_refused_naming_exactly_the_bad_fields_and_change_nothing(string name)
    {
        var (call, fields) = Cases[name];
        await BadInput.AssertRefusedAsync(fixture.App.SnapshotAsync, name, () => call(fixture), fields);
    }

    [Fact]
    public void Every_rpc_of_the_consultation_contract_has_a_bad_input_case()
        => ContractCoverage.AssertEveryRpcHasACase(
            [StakeholderService.Descriptor, SpaceService.Descriptor, AssemblyService.Descriptor, ProposalService.Descriptor, ContactService.Descriptor,
                Watershed.Events.V1.DeadLetterService.Descriptor],
            Cases.Keys);

    [Fact]
    public async Task Unknown_objects_are_not_found_and_change_nothing()
    {
        var before = await fixture.App.SnapshotAsync();
        var missing = Guid.NewGuid().ToString();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            fixture.Scenario.Facilitator.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = missing, MemberId = fixture.Scenario.Voters[0].Id, Choice = VoteChoice.Yes, ClientRequestId = "missing-ballot" }).ResponseAsync);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            fixture.Scenario.Facilitator.Assemblies.ConveneAssemblyAsync(new ConveneAssemblyRequest { SpaceId = missing, Title = "T", Place = "P", ScheduledAt = Timestamp.FromDateTime(DateTime.UtcNow) }).ResponseAsync);
        var after = await fixture.App.SnapshotAsync();
        Assert.True(before.Equals(after), string.Join(", ", before.Differences(after)));
    }
}
