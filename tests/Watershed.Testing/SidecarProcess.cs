using System.Diagnostics;
using System.Net;
using System.Text;

namespace Watershed.Testing;

/// <summary>
/// The development Dapr sidecar stand-in (services/Watershed.DevSidecar) as its own process on loopback ports, for
/// tests where services publish and receive events across processes. Its store lives in a directory the test
/// owns, so a restart on the same directory resumes pending deliveries, and SMS and e-mail land as files there.
/// </summary>
public sealed class SidecarProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SidecarProcess(Process process, Uri grpc, Uri http, string directory, string appApiToken)
    {
        _process = process;
        GrpcAddress = grpc;
        HttpAddress = http;
        Directory = directory;
        AppApiToken = appApiToken;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What a service's DAPR_GRPC_ENDPOINT says.</summary>
    public Uri GrpcAddress { get; }

    public Uri HttpAddress { get; }

    /// <summary>
    /// Dapr's app API token this sidecar sends to every app (dapr-api-token), new for each sidecar: a service given it as
    /// APP_API_TOKEN refuses AppCallback calls without it, as with daprd.
    /// </summary>
    public string AppApiToken { get; }

    /// <summary>The store, and sms/ and email/ with one readable file per message sent through the bindings.</summary>
    public string Directory { get; }

    public string SmsDirectory => Path.Combine(Directory, "sms");

    public string EmailDirectory => Path.Combine(Directory, "email");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="apps">App id → address of each app that subscribes (serves Dapr's AppCallback).</param>
    /// <param name="directory">The store; a fresh temporary directory when null.</param>
    /// <param name="grpcPort">The gRPC port (a restart where it was); a free one when null.</param>
    public static async Task<SidecarProcess> StartAsync(IReadOnlyDictionary<string, Uri> apps, string? directory = null, int? grpcPort = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = ServiceProcess.RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(root, "services", "Watershed.DevSidecar", "bin", configuration, "net10.0", "Watershed.DevSidecar.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built; build the solution first (scripts/test.sh does).");
        }

        directory ??= System.IO.Directory.CreateTempSubdirectory("watershed-sidecar-").FullName;
        var appApiToken = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var grpc = new Uri($"http://127.0.0.1:{grpcPort ?? ServiceProcess.FreePort()}");
        var http = new Uri($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(dll);
        var arguments = new Dictionary<string, string>
        {
            ["Sidecar:GrpcUrl"] = grpc.ToString().TrimEnd('/'),
            ["Sidecar:HttpUrl"] = http.ToString().TrimEnd('/'),
            ["Sidecar:DataDirectory"] = directory,
            ["Sidecar:AppApiToken"] = appApiToken,
            ["Sidecar:Bindings:sms:Type"] = "bindings.twilio.sms",
            ["Sidecar:Bindings:sms:Directory"] = Path.Combine(directory, "sms"),
            ["Sidecar:Bindings:sms:FromNumber"] = "+51984000000",
            ["Sidecar:Bindings:email:Type"] = "bindings.smtp",
            ["Sidecar:Bindings:email:Directory"] = Path.Combine(directory, "email"),
            ["Sidecar:Bindings:email:EmailFrom"] = "avisos@watershed.test",
            ["Sidecar:Bindings:email:ContentType"] = "text/plain",
        };
        foreach (var (app, address) in apps)
        {
            arguments[$"Sidecar:Apps:{app}:Address"] = address.ToString().TrimEnd('/');
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            arguments[key] = value;
        }

        foreach (var (key, value) in arguments)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var sidecar = new SidecarProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start the sidecar."), grpc, http, directory, appApiToken);
        await sidecar.WaitHealthyAsync();
        return sidecar;
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The sidecar exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync("/v1.0/healthz")).StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet; the limit below decides when to give up, with the sidecar's output.
            }

            if (DateTime.UtcNow >= until)
            {
                throw new TimeoutException($"The sidecar did not answer health within 180 s:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The subscriptions the sidecar has learnt, as its /dev page lists them (JSON).</summary>
    public Task<string> SubscriptionsAsync() => GetTextAsync("/dev/subscriptions");

    /// <summary>Deliveries still waiting for their app (JSON).</summary>
    public Task<string> PendingDeliveriesAsync() => GetTextAsync("/dev/deliveries?state=pending");

    /// <summary>Deliveries their app accepted, one record per delivery (JSON).</summary>
    public Task<string> DeliveredAsync() => GetTextAsync("/dev/deliveries?state=delivered");

    /// <summary>Deliveries given up and sent to a dead-letter topic or dropped (JSON).</summary>
    public Task<string> DeadDeliveriesAsync() => GetTextAsync("/dev/deliveries?state=dead");

    private async Task<string> GetTextAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(5) };
        return await client.GetStringAsync(path);
    }

    /// <summary>The files the SMS binding wrote, oldest first, with their text.</summary>
    public IReadOnlyList<string> SmsTexts() => Texts(SmsDirectory);

    /// <summary>The .eml files the e-mail binding wrote, oldest first, with their text.</summary>
    public IReadOnlyList<string> EmailTexts() => Texts(EmailDirectory);

    private static List<string> Texts(string directory) =>
        System.IO.Directory.Exists(directory)
            ? [.. System.IO.Directory.GetFiles(directory).Order(StringComparer.Ordinal).Select(File.ReadAllText)]
            : [];

    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
