using Watershed.Notifications.Domain;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.Notifications.Tests.Domain;

public sealed class WatcherTests
{
    private static WatcherDetails Details(string url, params Channel[] channels) =>
        new("Mesa de alertas", "Cáritas", "", "", url, null, [EventKind.Alerts], channels);

    [Theory]
    [InlineData("https://ngo.example/hooks/watershed", false, true)]
    [InlineData("http://ngo.example/hooks/watershed", true, false)]
    [InlineData("http://127.0.0.1:8080/hook", false, false)]
    [InlineData("http://127.0.0.1:8080/hook", true, true)]
    [InlineData("https://user:pass@ngo.example/hook", false, false)]
    [InlineData("ftp://ngo.example/hook", true, false)]
    public void Webhooks_are_https_and_plain_http_only_to_this_machine_where_allowed(string url, bool loopbackHttp, bool valid) =>
        Assert.Equal(valid, Contacts.IsWebhookUrl(url, loopbackHttp));

    [Fact]
    public void A_secret_is_issued_with_the_webhook_channel_kept_on_updates_and_dropped_without_it()
    {
        var secrets = new Queue<string>(["s1", "s2"]);
        var (watcher, secret) = Watcher.Create(Guid.CreateVersion7(), "pomacanchi", Details("https://ngo.example/h", Channel.Webhook), false, DateTimeOffset.UnixEpoch, secrets.Dequeue);
        Assert.Equal(("s1", "s1", 1), (secret, watcher.WebhookSecret, watcher.Revision));
        Assert.Null(watcher.Update(1, Details("https://ngo.example/h2", Channel.Webhook), rotateSecret: false, false, DateTimeOffset.UnixEpoch, secrets.Dequeue));
        Assert.Equal(("s1", 2), (watcher.WebhookSecret, watcher.Revision));
        Assert.Equal("s2", watcher.Update(2, Details("https://ngo.example/h2", Channel.Webhook), rotateSecret: true, false, DateTimeOffset.UnixEpoch, secrets.Dequeue));
        Assert.Throws<ConcurrencyConflictException>(() => watcher.Update(2, Details("https://ngo.example/h2", Channel.Webhook), false, false, DateTimeOffset.UnixEpoch, secrets.Dequeue));
        var refused = Assert.Throws<InvalidArgumentException>(() =>
            watcher.Update(3, Details("", Channel.Email), rotateSecret: true, false, DateTimeOffset.UnixEpoch, secrets.Dequeue));
        Assert.Equal(["email", "rotate_webhook_secret"], refused.Violations.Select(v => v.Field));
    }
}
