using Watershed.Notifications.Domain;
using Watershed.Notifications.Domain.Messages;

namespace Watershed.Notifications.Tests.Domain;

/// <summary>A delivery's life: taken, sent or failed, retried outside quiet hours, digests collecting until taken.</summary>
public sealed class DeliveryTests
{
    private static readonly TimeZoneInfo Lima = TimeZoneInfo.FindSystemTimeZoneById("America/Lima");
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 20, 58, 0, TimeSpan.FromHours(-5));
    private static readonly MessageTemplates Templates = new(Lima);

    private static PlannedDelivery Plan(bool digest = false, QuietHours? quiet = null) =>
        new(RecipientRef.Member(Guid.CreateVersion7()), Channel.Sms, "+51984000001", Language.Es, Now, digest ? DeferReason.Digest : null, quiet, digest);

    [Fact]
    public void A_retry_that_would_fall_in_quiet_hours_waits_for_their_end()
    {
        var delivery = Delivery.ForEvent(Guid.CreateVersion7(), new EventInfo("evt-1", "t", EventKind.Alerts, "pomacanchi"),
            Plan(quiet: new QuietHours(new TimeOnly(21, 0), new TimeOnly(6, 0))), new RenderedMessage("", "hola", 1), Now);
        delivery.StartAttempt(Now, Templates);
        delivery.MarkFailed("binding sms failed (Unavailable)", retryable: true, Now, new RetryPolicy(6, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)), Lima);
        Assert.Equal((DeliveryState.Failed, 1, new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.FromHours(-5))),
            (delivery.State, delivery.Attempts, delivery.NextAttemptAt!.Value));
        Assert.Throws<InvalidOperationException>(() => delivery.MarkInterrupted(Now, new RetryPolicy(6, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)), Lima));
    }

    [Fact]
    public void A_digest_collects_each_event_once_until_it_is_taken_and_is_written_then()
    {
        var digest = Delivery.ForDigest(Guid.CreateVersion7(), "digest:imports:2026-12-04T08:00", EventKind.Imports, "pomacanchi", Plan(digest: true), Now);
        Assert.True(digest.Collect("evt-a", new ImportNotice("pomacanchi", "Línea de base Manzanares", 32, 1), Now));
        Assert.False(digest.Collect("evt-a", new ImportNotice("pomacanchi", "Línea de base Manzanares", 32, 1), Now));
        Assert.True(digest.Collect("evt-b", new ImportNotice("pomacanchi", "Seguimiento Tocorani", 12, 1), Now.AddMinutes(1)));
        Assert.Equal(string.Empty, digest.Body);

        digest.StartAttempt(Now, Templates);
        Assert.Equal("Resumen del dia: 2 importaciones de encuestas, 44 hogares nuevos: Linea de base Manzanares 32, Seguimiento Tocorani 12.", digest.Body);
        Assert.False(digest.IsOpenDigest);
        Assert.Throws<InvalidOperationException>(() => digest.Collect("evt-c", new ImportNotice("pomacanchi", "Otra", 1, 1), Now));
    }
}
