using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Watershed.Testing;

/// <summary>
/// A webhook endpoint on a real loopback port: records every POST and answers with the statuses it is told, or holds
/// the next ones unanswered (a receiver that hangs) until their sender gives up or goes away.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private int _hold;

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Received(string Path, string? Signature, string? ContentType, string Body);

    public ConcurrentQueue<Received> Posts { get; } = new();

    /// <summary>The status when no queued answer is left.</summary>
    public int DefaultStatus { get; set; } = 204;

    public Uri Url(string path = "/hooks/watershed") => new(new Uri(_app.Urls.First()), path);

    /// <summary>The next <paramref name="count"/> POSTs are recorded and never answered, until their sender goes away.</summary>
    public void HoldNext(int count) => Interlocked.Exchange(ref _hold, count);

    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _answers.Enqueue(status);
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();

        // The test's output folder holds the service's appsettings.json (its Kestrel endpoint): not this host's.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Posts.Enqueue(new Received(http.Request.Path, http.Request.Headers["Watershed-Signature"].ToString(), http.Request.ContentType, body));
            if (Interlocked.Decrement(ref receiver._hold) >= 0)
            {
                try
                {
                    using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, app.Lifetime.ApplicationStopping);
                    await Task.Delay(Timeout.InfiniteTimeSpan, gone.Token);
                }
                catch (OperationCanceledException)
                {
                }

                return Results.Empty;
            }

            return Results.StatusCode(receiver._answers.TryDequeue(out var status) ? status : receiver.DefaultStatus);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
