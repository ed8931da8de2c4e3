using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Dapr.Client;

namespace Watershed.DevSidecar.Tests;

/// <summary>The stand-in started in-process on free loopback ports, with a real DaprClient pointed at it.</summary>
internal sealed class TestSidecar : IAsyncDisposable
{
    private TestSidecar(SidecarHost host)
    {
        Host = host;
        Dapr = new DaprClientBuilder().UseGrpcEndpoint(host.GrpcAddress.ToString()).UseHttpEndpoint(host.HttpAddress.ToString()).Build();
        Http = new HttpClient { BaseAddress = host.HttpAddress };
    }

    public SidecarHost Host { get; }

    public DaprClient Dapr { get; }

    public HttpClient Http { get; }

    public static async Task<TestSidecar> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Sidecar:GrpcUrl"] = "http://127.0.0.1:0",
            ["Sidecar:HttpUrl"] = "http://127.0.0.1:0",
            ["Sidecar:DataDirectory"] = dataDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new TestSidecar(await SidecarHost.StartAsync([], all));
    }

    /// <summary>A loopback port nothing listens on (for an app that is not there yet).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<JsonArray> ReadAsync(string path) =>
        JsonNode.Parse(await Http.GetStringAsync(new Uri(path, UriKind.Relative)))!.AsArray();

    public async Task<IReadOnlyList<JsonNode>> DeliveriesAsync(string state) => [.. (await ReadAsync($"/dev/deliveries?state={state}"))!.Select(d => d!)];

    /// <summary>Waits until the app's subscriptions are known, as a publish before that reaches no one.</summary>
    public Task WaitForSubscriptionsAsync(string appId, int count) =>
        Eventually.UntilAsync(async () => (await ReadAsync("/dev/subscriptions")).Count(s => (string?)s!["appId"] == appId) == count,
            $"{count} subscription(s) of {appId} in /dev/subscriptions");

    public async ValueTask DisposeAsync()
    {
        Dapr.Dispose();
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>A folder of its own under the temp folder, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "watershed-dev-sidecar-tests", Guid.NewGuid().ToString("N"));

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Bounded waiting for what happens on other threads: polls, and fails saying what it waited for.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!await condition())
        {
            if (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up after {Limit.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(Interval, CancellationToken.None);
        }
    }
}
