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
        await using var consultation = await ServiceProcess.StartAsync("Consultation", await Walkthrough.PostgresSettingsAsync("e2e_consultation"));

        var text = await Walkthrough.RunAsync("walkthrough-consultation.sh", consultation.Address);

        Assert.Contains("'votingMembersOnRoll': 5, 'votingMembersPresent': 4, 'required': 3, 'reached': True", text, StringComparison.Ordinal);
        Assert.Contains("1. Proteger el manantial de Sallma — APROBADA", text, StringComparison.Ordinal);
        Assert.Contains("Votos: 3 a favor, 1 en contra, 0 abstenciones", text, StringComparison.Ordinal);
        Assert.Matches("(?m)^[0-9A-Z]{5}-[0-9A-Z]{5}$", text);
    }
}
