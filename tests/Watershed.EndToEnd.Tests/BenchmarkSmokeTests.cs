using System.Diagnostics;
using System.Text.Json;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// The benchmark program (scripts/bench.sh) in its quick mode, as a smoke run: it starts what it measures, measures
/// every path, and writes the JSON report. Its figures are not judged here (tests assert no speed); that every path
/// was measured and gave a figure is.
/// </summary>
public sealed class BenchmarkSmokeTests
{
    private static readonly string[] Paths =
    [
        "health check (SELECT 1)",
        "CastVote (4 ballots at once)",
        "CastVote (4 ballots, 64 callers)",
        "CastVote replay (same request id)",
        "GetBallot",
        "GetProposal",
        "raw Npgsql vote transaction (reference)",
        "consultation peak RSS",
        "ImportSubmissions (new households)",
        "UploadSubmissions (new households)",
        "ImportSubmissions (all duplicates)",
        "raw binary COPY with the foreign keys",
        "indicators peak RSS (UploadSubmissions)",
        "GetAggregate (FCS, district, quarter)",
        "event committed → delivery-log entry",
        "event committed → SMS sent (binding)",
        "notifications peak RSS",
    ];

    [Fact]
    public async Task The_quick_benchmark_measures_every_path_and_writes_its_report()
    {
        var root = ServiceProcess.RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var program = Path.Combine(root, "tests", "Watershed.Benchmarks", "bin", configuration, "net10.0", "Watershed.Benchmarks.dll");
        var json = Path.Combine(Path.GetTempPath(), $"watershed-bench-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var argument in new[] { program, "all", "quick", "--json", json })
        {
            start.ArgumentList.Add(argument);
        }

        // The test command's clusters skip fsync; the smoke run need not wait for the disk either.
        start.Environment["WATERSHED_PG_DURABLE"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        Assert.True(process.ExitCode == 0, await output + await errors);

        try
        {
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(Paths.Order(StringComparer.Ordinal), rows.Select(r => r.GetProperty("path").GetString()!).Distinct().Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.True(r.GetProperty("value").GetDouble() > 0, $"{r.GetProperty("path")} {r.GetProperty("unit")} has no figure"));
            Assert.All(rows.Where(r => r.GetProperty("baselineValue").GetDouble() > 0), r => Assert.True(r.GetProperty("ratio").GetDouble() > 0));
            Assert.NotEmpty(report.RootElement.GetProperty("cpuPerCallMs").EnumerateArray());
            Assert.Contains("path", await output, StringComparison.Ordinal); // the printed table's header
        }
        finally
        {
            File.Delete(json);
        }
    }
}
