using Watershed.Common.V1;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>A person's e-mail and consents, and the contacts of a space's roll as notifications reads them.</summary>
public sealed class ContactTests : PostgresApiTest
{
    private static string ServiceToken() => TestTokens.Create("service:notifications", ["service"], ["*"]);

    [Fact]
    public async Task A_person_is_created_with_an_email_in_lower_case_and_a_consent_recorded_per_channel()
    {
        var s = await Scenario.CreateAsync(App, voters: 0);
        var created = (await s.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = s.Watershed.Id,
            FullName = "Rosa Quispe Mamani",
            PhoneNumber = "+51984123456",
            Email = " Rosa.Quispe@Cuenca.PE ",
            PreferredLanguage = "quz",
            ConsentedChannels = { ContactChannel.Email },
        })).Person;

        Assert.Equal("rosa.quispe@cuenca.pe", created.Email);
        Assert.Equal(
            [(ContactChannel.Sms, false, created.CreatedAt), (ContactChannel.Email, true, created.CreatedAt)],
            created.Consents.Select(c => (c.Channel, c.Granted, c.RecordedAt)));
        Assert.Equal(created, (await s.Facilitator.Stakeholders.GetPersonAsync(new GetPersonRequest { PersonId = created.Id })).Person);
        var listed = await s.Facilitator.Stakeholders.ListPersonsAsync(new ListPersonsRequest { WatershedId = s.Watershed.Id });
        Assert.Equal(created, Assert.Single(listed.Persons, p => p.Id == created.Id));
    }

    [Fact]
    public async Task The_contacts_of_a_space_are_its_current_roll_by_name_with_their_addresses_language_and_consents_page_by_page()
    {
        var s = await Scenario.CreateAsync(App, voters: 0);
        var space = (await s.Facilitator.Spaces.CreateSpaceAsync(new CreateSpaceRequest { WatershedId = s.Watershed.Id, Name = "Mesa de diálogo", Kind = SpaceKind.RoundTable })).Space;
        var zoila = await AddAsync(s, space, "Zoila Huamán", "+51984000001", "", [ContactChannel.Sms], MemberRole.VotingMember);
        var ana = await AddAsync(s, space, "Ana Ccori", "", "ana@cuenca.pe", [ContactChannel.Email], MemberRole.TechnicalAdvisor);
        var left = await AddAsync(s, space, "Beto Condori", "+51984000002", "", [ContactChannel.Sms], MemberRole.VotingMember);
        var marco = await AddAsync(s, space, "Marco Apaza", "+51984000003", "marco@cuenca.pe", [], MemberRole.Observer);
        await s.Facilitator.Spaces.RemoveMemberAsync(new RemoveMemberRequest { MemberId = left.Member.Id });

        var service = App.ClientsFor(ServiceToken()).Contacts;
        var first = await service.ListSpaceContactsAsync(new ListSpaceContactsRequest { SpaceId = space.Id, Page = new PageRequest { PageSize = 2 } });
        var second = await service.ListSpaceContactsAsync(new ListSpaceContactsRequest { SpaceId = space.Id, Page = new PageRequest { PageSize = 2, PageToken = first.Page.NextPageToken } });

        Assert.Equal([Contact(ana), Contact(marco)], first.Contacts);
        Assert.NotEmpty(first.Page.NextPageToken);
        Assert.Equal([Contact(zoila)], second.Contacts);
        Assert.Empty(second.Page.NextPageToken);
        Assert.Equal(
            [(ContactChannel.Sms, false), (ContactChannel.Email, true)],
            first.Contacts[0].Consents.Select(c => (c.Channel, c.Granted)));
    }

    private static Contact Contact((Person Person, Member Member) x)
    {
        var contact = new Contact
        {
            PersonId = x.Person.Id,
            MemberId = x.Member.Id,
            FullName = x.Person.FullName,
            PhoneNumber = x.Person.PhoneNumber,
            Email = x.Person.Email,
            PreferredLanguage = x.Person.PreferredLanguage,
            Role = x.Member.Role,
        };
        contact.Consents.AddRange(x.Person.Consents);
        return contact;
    }

    private static async Task<(Person Person, Member Member)> AddAsync(Scenario s, Space space, string name, string phone, string email, ContactChannel[] consented, MemberRole role)
    {
        var person = (await s.Facilitator.Stakeholders.CreatePersonAsync(new CreatePersonRequest
        {
            WatershedId = s.Watershed.Id,
            FullName = name,
            PhoneNumber = phone,
            Email = email,
            PreferredLanguage = "es-PE",
            ConsentedChannels = { consented },
        })).Person;
        var member = (await s.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = space.Id, PersonId = person.Id, Role = role })).Member;
        return (person, member);
    }
}
