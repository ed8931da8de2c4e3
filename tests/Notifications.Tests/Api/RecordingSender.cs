using System.Collections.Concurrent;
using Watershed.Notifications.Domain;
using Watershed.Notifications.Sending;

namespace Watershed.Notifications.Tests.Api;

/// <summary>
/// Stands at the Dapr edge for dispatcher tests that are about the log, not the channel: records what it was
/// asked to send, and fails when told to. Tests of the channels use the real senders.
/// </summary>
public sealed class RecordingSender : IDeliverySender
{
    public ConcurrentQueue<(Guid Id, Channel Channel, string Address, string Subject, string Body)> Sent { get; } = new();

    public Func<Delivery, SendOutcome>? Answer { get; set; }

    /// <summary>When set, every send waits for it after it has started (a slow provider), so a test can look in between.</summary>
    public Task? Hold { get; set; }

    private readonly SemaphoreSlim _started = new(0);

    /// <summary>Waits until <paramref name="count"/> sends have started.</summary>
    public async Task Started(int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!await _started.WaitAsync(TimeSpan.FromMinutes(2)))
            {
                throw new TimeoutException($"{i} of {count} sends started.");
            }
        }
    }

    public async Task<SendOutcome> SendAsync(Delivery delivery, CancellationToken ct)
    {
        _started.Release();
        if (Hold is { } hold)
        {
            await hold.WaitAsync(ct);
        }

        // Yield, so concurrent dispatchers overlap while they hold their entries.
        await Task.Delay(1, ct);
        var outcome = Answer?.Invoke(delivery) ?? SendOutcome.Ok;
        if (outcome.Sent)
        {
            Sent.Enqueue((delivery.Id, delivery.Channel, delivery.Address, delivery.Subject, delivery.Body));
        }

        return outcome;
    }
}
