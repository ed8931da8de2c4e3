using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Watershed.Testing;

/// <summary>
/// A built Watershed service started as its own process on a free loopback port, exactly as it runs
/// outside tests, for end-to-end and cross-service tests over real sockets.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

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

    /// <summary>The repository root (where Watershed.sln is), found from the test assembly's folder.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Watershed.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Watershed.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// Starts services/&lt;name&gt; from its build output (same configuration as the tests) and waits until it is healthy.
    /// Given a <paramref name="port"/> (a restart where the service was), it must bind that one.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string name, IDictionary<string, string> settings, int? port = null)
    {
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(root, "services", name, "bin", configuration, "net10.0", $"Watershed.{name}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built; build the solution first (scripts/test.sh does).");
        }

        // A port found free can be taken before the service binds it: then the service exits and we try another.
        for (var attempt = 1; ; attempt++)
        {
            var service = Start(root, name, dll, port ?? FreePort(), settings);
            try
            {
                // Generous: a loaded 2-core machine may take a minute to start a service and migrate its database.
                await service.WaitHealthyAsync(TimeSpan.FromSeconds(180));
                return service;
            }
            catch (InvalidOperationException) when (attempt < 3 && port is null && service._process.HasExited)
            {
                await service.DisposeAsync();
            }
            catch
            {
                // Never leave a process that did not become healthy running after the test.
                await service.DisposeAsync();
                throw;
            }
        }
    }

    private static ServiceProcess Start(string root, string name, string dll, int port, IDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(root, "services", name),
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.Combine(root, "services", name));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        return new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
    }

    private async Task WaitHealthyAsync(TimeSpan limit)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var health = new Health.HealthClient(channel);
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException)
            {
                // Not listening or not ready yet; the limit below decides when to give up, with the service's output.
            }

            if (DateTime.UtcNow >= until)
            {
                throw new TimeoutException($"The service did not become healthy within {limit}:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    public int Port => Address.Port;

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) as an orchestrator does, and waits until it has drained and exited.</summary>
    public async Task TerminateAsync()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, 15);
            await _process.WaitForExitAsync();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
