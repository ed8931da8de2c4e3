using Watershed.Notifications.Domain;

namespace Watershed.Notifications.Tests.Domain;

/// <summary>Who is told on which channel, when: consent, preferences, quiet hours and digests.</summary>
public sealed class DeliveryPlannerTests
{
    private static readonly TimeZoneInfo Lima = TimeZoneInfo.FindSystemTimeZoneById("America/Lima");

    private static readonly DeliverySchedule Schedule = new(Lima, new TimeOnly(8, 0), TimeSpan.FromDays(1), new HashSet<EventKind> { EventKind.Imports });

    // 22:30 in Lima.
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 22, 30, 0, TimeSpan.FromHours(-5));

    private static readonly Guid Person = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");
    private static readonly Guid WatcherId = Guid.Parse("0193a1b2-0000-7000-8000-0000000000aa");

    private static Recipient Member(bool sms = true, bool email = true, string language = "qu-PE") =>
        Recipient.Member(Person, "+51984000001", "rosa@example.pe", language, new Dictionary<Channel, bool> { [Channel.Sms] = sms, [Channel.Email] = email });

    private static readonly Recipient Desk = new(RecipientRef.Watcher(WatcherId), Language.En,
        [new Reachable(Channel.Sms, "+51984111222"), new Reachable(Channel.Email, "desk@ngo.example"), new Reachable(Channel.Webhook, "https://ngo.example/hook")]);

    private static IReadOnlyList<PlannedDelivery> Plan(EventKind kind, IEnumerable<Recipient> recipients, Dictionary<RecipientRef, PreferenceChoices>? preferences = null) =>
        DeliveryPlanner.Plan(kind, recipients, preferences ?? [], Now, Schedule);

    [Fact]
    public void A_member_is_told_on_each_consented_channel_in_their_language_once_however_often_listed()
    {
        var planned = Plan(EventKind.Decisions, [Member(email: false), Member(email: false)]);
        var only = Assert.Single(planned);
        Assert.Equal((Channel.Sms, "+51984000001", Language.Qu, Now, (DeferReason?)null, false),
            (only.Channel, only.Address, only.Language, only.NotBefore, only.DeferReason, only.Digest));
    }

    [Fact]
    public void Without_consent_records_a_member_is_not_messaged()
    {
        var recipient = Recipient.Member(Person, "+51984000001", "rosa@example.pe", "es", new Dictionary<Channel, bool>());
        Assert.Empty(Plan(EventKind.Assemblies, [recipient]));
    }

    [Fact]
    public void Preferences_choose_channels_mute_kinds_opt_out_and_override_the_language()
    {
        var me = RecipientRef.Member(Person);
        Assert.Equal([Channel.Email], Plan(EventKind.Decisions, [Member()], new() { [me] = new([Channel.Email], [], false, null, Language.Es) }).Select(p => p.Channel));
        Assert.Equal([Language.Es, Language.Es], Plan(EventKind.Decisions, [Member()], new() { [me] = new([], [], false, null, Language.Es) }).Select(p => p.Language));
        Assert.Empty(Plan(EventKind.Decisions, [Member()], new() { [me] = new([], [EventKind.Decisions], false, null, null) }));
        Assert.Equal(2, Plan(EventKind.Assemblies, [Member()], new() { [me] = new([], [EventKind.Decisions], false, null, null) }).Count);
        Assert.Empty(Plan(EventKind.Assemblies, [Member()], new() { [me] = new([], [], true, null, null) }));
    }

    [Fact]
    public void Quiet_hours_defer_sms_and_email_to_their_end_but_not_webhooks()
    {
        var quiet = new QuietHours(new TimeOnly(21, 0), new TimeOnly(6, 0));
        var planned = Plan(EventKind.Alerts, [Desk], new() { [Desk.Ref] = new([], [], false, quiet, null) });
        var sixAm = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal(
            [(Channel.Sms, sixAm, (DeferReason?)DeferReason.QuietHours), (Channel.Email, sixAm, DeferReason.QuietHours), (Channel.Webhook, Now, null)],
            planned.Select(p => (p.Channel, p.NotBefore, p.DeferReason)));
    }

    [Fact]
    public void Imports_reach_people_as_a_digest_at_the_end_of_the_day_and_machines_at_once()
    {
        var planned = Plan(EventKind.Imports, [Desk]);
        var eightAm = new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal(
            [(Channel.Sms, eightAm, true), (Channel.Email, eightAm, true), (Channel.Webhook, Now, false)],
            planned.Select(p => (p.Channel, p.NotBefore, p.Digest)));
        Assert.All(planned.Where(p => p.Digest), p => Assert.Equal(DeferReason.Digest, p.DeferReason));

        // A digest whose day ends inside quiet hours goes when they end.
        var late = new QuietHours(new TimeOnly(22, 0), new TimeOnly(9, 0));
        var deferred = Plan(EventKind.Imports, [Desk], new() { [Desk.Ref] = new([Channel.Sms], [], false, late, null) });
        Assert.Equal([(Channel.Sms, new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.FromHours(-5)), (DeferReason?)DeferReason.Digest)],
            deferred.Select(p => (p.Channel, p.NotBefore, p.DeferReason)));
    }
}
