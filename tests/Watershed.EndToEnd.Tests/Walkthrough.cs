using System.Diagnostics;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>Runs one of the scripts/walkthrough-*.sh scripts (buf curl, development tokens) and returns what it printed.</summary>
internal static class Walkthrough
{
    public static async Task<string> RunAsync(string script, params Uri[] services)
    {
        var root = ServiceProcess.RepositoryRoot();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine(root, "scripts", script));
        foreach (var service in services)
        {
            start.ArgumentList.Add(service.ToString().TrimEnd('/'));
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}): {await errors}\n{text}");
        return text;
    }

    public static async Task<Dictionary<string, string>> PostgresSettingsAsync(string database)
    {
        var postgres = await PostgresServer.GetAsync();
        return new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync(database),
        };
    }
}
