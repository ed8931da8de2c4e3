using System.Diagnostics;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// The README's promise: with buf curl and a development token a person runs a whole assembly.
/// The consultation service runs as its own process on PostgreSQL; the client is buf, not .NET.
/// </summary>
public sealed class ConsultationWalkthroughTests
{
    [Fact]
    public async Task The_buf_curl_walkthrough_runs_a_whole_assembly_and_prints_the_acta()
    {
        var postgres = await PostgresServer.GetAsync();
        await using var consultation = await ServiceProcess.StartAsync("Consultation", new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync("e2e_consultation"),
        });

        var root = ServiceProcess.RepositoryRoot();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "walkthrough-consultation.sh"));
        start.ArgumentList.Add(consultation.Address.ToString().TrimEnd('/'));
        using var script = Process.Start(start)!;
        var output = script.StandardOutput.ReadToEndAsync();
        var errors = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();

        var text = await output;
        Assert.True(script.ExitCode == 0, $"walkthrough failed ({script.ExitCode}): {await errors}\n{text}\n{consultation.Output}");
        Assert.Contains("'votingMembersOnRoll': 5, 'votingMembersPresent': 4, 'required': 3, 'reached': True", text, StringComparison.Ordinal);
        Assert.Contains("1. Proteger el manantial de Sallma — APROBADA", text, StringComparison.Ordinal);
        Assert.Contains("Votos: 3 a favor, 1 en contra, 0 abstenciones", text, StringComparison.Ordinal);
        Assert.Matches("(?m)^[0-9A-Z]{5}-[0-9A-Z]{5}$", text);
    }
}
