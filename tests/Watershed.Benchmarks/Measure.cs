using System.Diagnostics;
using System.Globalization;

namespace Watershed.Benchmarks;

/// <summary>A closed-loop load: <c>concurrency</c> callers, each starting its next call when the last returns.</summary>
internal static class Measure
{
    public sealed record Result(double PerSecond, double P50, double P99, int Count);

    public static async Task<Result> RunAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(i);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Result(count / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), count);
    }

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Format(double value) =>
        value >= 100 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>
/// CPU time and memory of the processes a run involves, read from /proc: the service, PostgreSQL (the postmaster and
/// its children, one per connection) and this client. The CPU split says where a path's time goes.
/// </summary>
internal sealed class ProcessCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    private readonly int _service;
    private readonly int _postmaster;
    private (double Service, double Postgres, double Client) _start;

    public ProcessCpu(int service, int postmaster)
    {
        _service = service;
        _postmaster = postmaster;
    }

    public void Start() => _start = Read();

    /// <summary>CPU milliseconds per call since <see cref="Start"/>, split by process.</summary>
    public CpuSplit PerCall(string path, int calls)
    {
        var now = Read();
        return new CpuSplit(path, calls,
            (now.Service - _start.Service) * 1000 / calls,
            (now.Postgres - _start.Postgres) * 1000 / calls,
            (now.Client - _start.Client) * 1000 / calls);
    }

    private (double Service, double Postgres, double Client) Read()
    {
        var postgres = 0.0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid) is { } stat && (pid == _postmaster || stat.Parent == _postmaster))
            {
                postgres += stat.Seconds;
            }
        }

        return (Stat(_service)?.Seconds ?? 0, postgres, Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
    }

    private static (int Parent, double Seconds)? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name is in parentheses and may hold spaces: the fields start after its closing one.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), ticks / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The peak resident set (VmHWM) of a process, in MB.</summary>
    public static double PeakRssMb(int pid) => StatusKb(pid, "VmHWM") / 1024.0;

    private static long StatusKb(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}

/// <summary>CPU milliseconds one call of a path cost each process.</summary>
public sealed record CpuSplit(string Path, int Calls, double ServiceMs, double PostgresMs, double ClientMs);
