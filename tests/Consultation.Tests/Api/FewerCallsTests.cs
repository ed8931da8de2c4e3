using Grpc.Core;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>A real roll in fewer calls: a padrón imported from CSV, attendance in bulk, and a member's vote without their member id.</summary>
public sealed class FewerCallsTests : PostgresApiTest
{
    private const string Padron =
        "\uFEFFNombres y apellidos;DNI;Cargo;Celular;Idioma;Organización\r\n" +
        "Rosa Quispe Huamán;01234567;comunera calificada;984123456;quechua;\r\n" +
        "Juan Mamani Ccori;76543210;delegado;;castellano;Comunidad Campesina de Manzanares\r\n" +
        "Lucía Huamán;44556677;;+51984000222;qu;\r\n" +
        "Ing. Pedro Puma;11223344;asesor técnico;;es;\r\n";

    private async Task<Scenario> ScenarioAsync(int voters = 0) => await Scenario.CreateAsync(App, voters: voters);

    [Fact]
    public async Task A_padron_is_imported_in_one_call_and_importing_it_again_changes_nothing()
    {
        var s = await ScenarioAsync();
        var imported = await s.Facilitator.Spaces.ImportRollAsync(new ImportRollRequest { SpaceId = s.Space.Id, Csv = Padron });
        Assert.Equal((4, 0, 4, 0), (imported.PersonsCreated, imported.PersonsFound, imported.MembersAdded, imported.AlreadyOnRoll));
        Assert.Equal(
            [("Rosa Quispe Huamán", MemberRole.VotingMember), ("Juan Mamani Ccori", MemberRole.Delegate), ("Lucía Huamán", MemberRole.VotingMember), ("Ing. Pedro Puma", MemberRole.TechnicalAdvisor)],
            imported.Members.Select(m => (m.FullName, m.Role)));
        Assert.Equal(s.Community!.Id, imported.Members[1].OrganizationId);

        var rosa = (await s.Facilitator.Stakeholders.GetPersonAsync(new GetPersonRequest { PersonId = imported.Members[0].PersonId })).Person;
        Assert.Equal(("01234567", "+51984123456", "qu-PE"), (rosa.NationalId, rosa.PhoneNumber, rosa.PreferredLanguage));
        var roll = await s.Facilitator.Spaces.ListMembersAsync(new ListMembersRequest { SpaceId = s.Space.Id });
        Assert.Equal((4, 3), (roll.Members.Count - 1, roll.VotingMembers)); // the scenario's advisor is on the roll too

        var before = await App.SnapshotAsync();
        var again = await s.Facilitator.Spaces.ImportRollAsync(new ImportRollRequest { SpaceId = s.Space.Id, Csv = Padron });
        Assert.Equal((0, 4, 0, 4), (again.PersonsCreated, again.PersonsFound, again.MembersAdded, again.AlreadyOnRoll));
        Assert.Equal(imported.Members, again.Members);
        Assert.True(before.Equals(await App.SnapshotAsync()));
    }

    [Fact]
    public async Task A_file_with_a_bad_line_or_an_unknown_organisation_imports_nothing()
    {
        var s = await ScenarioAsync();
        var before = await App.SnapshotAsync();
        var bad = await GrpcStatusAssert.InvalidArgumentAsync(() => s.Facilitator.Spaces.ImportRollAsync(new ImportRollRequest
        {
            SpaceId = s.Space.Id, Csv = Padron + "Sin Documento;;;;;\r\n",
        }).ResponseAsync, "csv");
        Assert.Equal("line 6, dni: is required: the DNI finds the person again on a later import", Assert.Single(bad.FieldViolations).Description);
        var unknown = await GrpcStatusAssert.InvalidArgumentAsync(() => s.Facilitator.Spaces.ImportRollAsync(new ImportRollRequest
        {
            SpaceId = s.Space.Id, Csv = Padron.Replace("Comunidad Campesina de Manzanares", "Comunidad Inventada", StringComparison.Ordinal),
        }).ResponseAsync, "csv");
        Assert.Equal("line 3, organization: no organisation of this watershed is named Comunidad Inventada", Assert.Single(unknown.FieldViolations).Description);
        Assert.True(before.Equals(await App.SnapshotAsync()));
    }

    [Fact]
    public async Task A_dni_names_one_person_and_only_those_who_keep_the_roll_read_it()
    {
        var s = await ScenarioAsync();
        var created = (await s.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = s.Watershed.Id, FullName = "Rosa Quispe", NationalId = "01234567",
        })).Person;
        Assert.Equal("01234567", created.NationalId);
        await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () => s.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = s.Watershed.Id, FullName = "Otra Rosa", NationalId = "01234567",
        }).ResponseAsync);

        var viewer = App.ClientsFor(TestTokens.Create("viewer@test", ["viewer"], ["pomacanchi"]));
        Assert.Equal("", (await viewer.Stakeholders.GetPersonAsync(new GetPersonRequest { PersonId = created.Id })).Person.NationalId);
        Assert.All((await viewer.Stakeholders.ListPersonsAsync(new ListPersonsRequest { WatershedId = s.Watershed.Id })).Persons, p => Assert.Equal("", p.NationalId));
        Assert.Contains((await s.Admin.Stakeholders.ListPersonsAsync(new ListPersonsRequest { WatershedId = s.Watershed.Id })).Persons, p => p.NationalId == "01234567");
    }

    [Fact]
    public async Task Attendance_is_recorded_in_bulk_in_one_transaction()
    {
        var s = await ScenarioAsync(voters: 9);
        var assembly = await s.ConveneAsync(present: 0);
        var bulk = await s.Facilitator.Assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest
        {
            AssemblyId = assembly.Id, MemberIds = { s.Voters.Take(6).Select(m => m.Id) }, Present = true,
        });
        Assert.Equal(s.Voters.Take(6).Select(m => m.Id), bulk.Attendance.Select(a => a.MemberId));
        Assert.All(bulk.Attendance, a => Assert.True(a.Present));
        Assert.Equal((6, 5, true), (bulk.Quorum.VotingMembersPresent, bulk.Quorum.Required, bulk.Quorum.Reached));

        // One unknown member refuses the whole call.
        var before = await App.SnapshotAsync();
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () => s.Facilitator.Assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest
        {
            AssemblyId = assembly.Id, MemberIds = { s.Voters[0].Id, Guid.NewGuid().ToString() }, Present = false,
        }).ResponseAsync);
        Assert.True(before.Equals(await App.SnapshotAsync()));

        var left = await s.Facilitator.Assemblies.RecordBulkAttendanceAsync(new RecordBulkAttendanceRequest
        {
            AssemblyId = assembly.Id, MemberIds = { s.Voters[0].Id, s.Voters[1].Id }, Present = false,
        });
        Assert.Equal(4, left.Quorum.VotingMembersPresent);
    }

    [Fact]
    public async Task A_member_votes_with_their_own_token_without_naming_their_membership()
    {
        var s = await ScenarioAsync(voters: 3);
        await s.OpenAssemblyAsync(present: 3);
        var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
        var rosa = App.ClientsFor(TestTokens.Member(Guid.Parse(s.Voters[0].PersonId), "pomacanchi"));

        var vote = await rosa.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, Choice = VoteChoice.Yes, ClientRequestId = "rosa-phone-1" });
        Assert.Equal(s.Voters[0].Id, vote.MemberId);
        var participants = await s.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id });
        Assert.Equal((s.Voters[0].Id, VoteChannel.Direct), (participants.Participants[0].MemberId, participants.Participants[0].Channel));
        var replay = await rosa.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, Choice = VoteChoice.Yes, ClientRequestId = "rosa-phone-1" });
        Assert.True(replay.Replayed);

        // A person not on the space's roll is not found; a facilitator must name the member.
        var stranger = App.ClientsFor(TestTokens.Member(Guid.NewGuid(), "pomacanchi"));
        await GrpcStatusAssert.ThrowsAsync(StatusCode.NotFound, () =>
            stranger.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, Choice = VoteChoice.Yes, ClientRequestId = "stranger-1" }).ResponseAsync);
        await GrpcStatusAssert.InvalidArgumentAsync(() =>
            s.Facilitator.Proposals.CastVoteAsync(new CastVoteRequest { BallotId = ballot.Id, Choice = VoteChoice.Yes, ClientRequestId = "facilitator-1" }).ResponseAsync, "member_id");
    }
}
