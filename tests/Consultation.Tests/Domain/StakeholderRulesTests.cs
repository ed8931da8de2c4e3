using Watershed.Consultation.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Consultation.Tests.Domain;

/// <summary>Watersheds, persons and the roll: what a new one must carry, and joining and leaving.</summary>
public sealed class StakeholderRulesTests
{
    private static string[] Fields(Action create) =>
        [.. Assert.Throws<InvalidArgumentException>(create).Violations.Select(v => v.Field)];

    [Theory]
    [InlineData("9cuenca")]
    [InlineData("c")]
    [InlineData("cuenca_alta")]
    public void A_watershed_code_is_a_lower_case_slug(string code) =>
        Assert.Equal(["code"], Fields(() => Watershed.Consultation.Domain.Watershed.Create(code, "Cuenca", "", "", Samples.Now)));

    [Fact]
    public void A_watershed_code_is_stored_in_lower_case()
    {
        var watershed = Watershed.Consultation.Domain.Watershed.Create(" Pomacanchi ", " Laguna de Pomacanchi ", "Cusco", "", Samples.Now);
        Assert.Equal(("pomacanchi", "Laguna de Pomacanchi", "Cusco"), (watershed.Code, watershed.Name, watershed.Region));
    }

    [Fact]
    public void A_person_needs_a_name_an_e164_phone_and_a_language_the_service_speaks()
    {
        var space = Samples.Space();
        Assert.Equal(["full_name", "phone_number", "preferred_language"], Fields(() => Person.Create(space.WatershedId, " ", null, "984123456", "fr", Samples.Now)));
        var person = Person.Create(space.WatershedId, "Rosa Quispe", null, "+51984123456", "quz", Samples.Now);
        Assert.Equal(("+51984123456", "qu-PE"), (person.PhoneNumber, person.PreferredLanguage));
    }

    [Fact]
    public void A_persons_email_is_optional_well_formed_at_most_254_characters_and_stored_in_lower_case()
    {
        var space = Samples.Space();
        Assert.Equal("rosa.quispe@cuenca.pe", Person.Create(space.WatershedId, "Rosa", null, "", "es", Samples.Now, "  Rosa.Quispe@Cuenca.PE ").Email);
        Assert.Equal(string.Empty, Person.Create(space.WatershedId, "Rosa", null, "", "es", Samples.Now).Email);
        foreach (var bad in new[] { "rosa", "rosa@cuenca", "@cuenca.pe", "rosa@@cuenca.pe", "ro sa@cuenca.pe", "rosa@cuenca..pe", new string('a', 245) + "@cuenca.pe" })
        {
            Assert.Equal(["email"], Fields(() => Person.Create(space.WatershedId, "Rosa", null, "", "es", Samples.Now, bad)));
        }

        Assert.Equal(254, (new string('a', 244) + "@cuenca.pe").Length);
        Assert.Equal(254, Person.Create(space.WatershedId, "Rosa", null, "", "es", Samples.Now, new string('a', 244) + "@cuenca.pe").Email.Length);
    }

    [Fact]
    public void Consent_is_recorded_for_every_channel_at_creation_granted_only_where_given()
    {
        var space = Samples.Space();
        var person = Person.Create(space.WatershedId, "Rosa", null, "+51984123456", "es", Samples.Now, "rosa@cuenca.pe", [ContactChannel.Sms]);
        Assert.Equal(
            [(ContactChannel.Sms, true, Samples.Now), (ContactChannel.Email, false, Samples.Now)],
            person.Consents.Select(c => (c.Channel, c.Granted, c.RecordedAt)));
        Assert.All(person.Consents, c => Assert.Equal(person.Id, c.PersonId));
    }

    [Fact]
    public void A_consented_channel_needs_its_address_and_is_given_once()
    {
        var space = Samples.Space();
        Assert.Equal(["consented_channels[0]", "consented_channels[1]"],
            Fields(() => Person.Create(space.WatershedId, "Rosa", null, "", "es", Samples.Now, "", [ContactChannel.Sms, ContactChannel.Email])));
        Assert.Equal(["consented_channels[1]"],
            Fields(() => Person.Create(space.WatershedId, "Rosa", null, "+51984123456", "es", Samples.Now, "", [ContactChannel.Sms, ContactChannel.Sms])));
    }

    [Fact]
    public void A_person_belongs_to_an_organisation_of_their_own_watershed()
    {
        var space = Samples.Space();
        var elsewhere = Samples.Community(Samples.Space());
        Assert.Equal("organization", Assert.Throws<NotFoundException>(() => Person.Create(space.WatershedId, "Rosa", elsewhere, "", "es", Samples.Now)).ResourceType);
    }

    [Fact]
    public void A_delegate_names_the_organisation_it_votes_for()
    {
        var space = Samples.Space();
        Assert.Equal(["organization_id"], Fields(() => Member.Join(space, Samples.Person(space), MemberRole.Delegate, null, false, Samples.Now)));
        var delegado = Member.Join(space, Samples.Person(space), MemberRole.Delegate, Samples.Community(space), false, Samples.Now);
        Assert.True(delegado.HasVote);
    }

    [Fact]
    public void A_person_holds_one_active_membership_per_space()
    {
        var space = Samples.Space();
        Assert.Throws<AlreadyExistsException>(() => Member.Join(space, Samples.Person(space), MemberRole.Observer, null, alreadyOnRoll: true, Samples.Now));
    }

    [Fact]
    public void A_person_of_another_watershed_cannot_join()
    {
        var space = Samples.Space();
        Assert.Equal("person", Assert.Throws<NotFoundException>(() =>
            Member.Join(space, Samples.Person(Samples.Space()), MemberRole.VotingMember, null, false, Samples.Now)).ResourceType);
    }

    [Fact]
    public void A_member_leaves_once()
    {
        var member = Samples.Member(Samples.Space());
        member.Leave(Samples.Now);
        Assert.Equal((false, Samples.Now), (member.IsActive, member.LeftAt));
        Assert.Equal("MEMBER_STATE", Assert.Throws<PreconditionFailedException>(() => member.Leave(Samples.Now)).Type);
    }

    [Theory]
    [InlineData(MemberRole.VotingMember, true)]
    [InlineData(MemberRole.Delegate, true)]
    [InlineData(MemberRole.Facilitator, false)]
    [InlineData(MemberRole.TechnicalAdvisor, false)]
    [InlineData(MemberRole.Observer, false)]
    public void Voting_members_and_delegates_have_a_vote_the_others_a_voice(MemberRole role, bool vote) =>
        Assert.Equal(vote, Member.HasVoteFor(role));
}
