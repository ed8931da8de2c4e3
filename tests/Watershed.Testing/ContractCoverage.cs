using Google.Protobuf.Reflection;
using Xunit;

namespace Watershed.Testing;

/// <summary>Checks that a table of per-RPC test cases covers every RPC of a contract, so a new RPC cannot slip by.</summary>
public static class ContractCoverage
{
    /// <param name="caseNames">Case names whose first word is the RPC name, e.g. "CastVote empty".</param>
    public static void AssertEveryRpcHasACase(IEnumerable<ServiceDescriptor> services, IEnumerable<string> caseNames)
    {
        var covered = caseNames.Select(k => k.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        var uncovered = services.SelectMany(s => s.Methods).Select(m => m.Name).Where(r => !covered.Contains(r)).ToList();
        Assert.True(uncovered.Count == 0, $"RPCs without a case: {string.Join(", ", uncovered)}");
    }
}
