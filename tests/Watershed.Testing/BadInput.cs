using Xunit;

namespace Watershed.Testing;

/// <summary>
/// The bad-input check every service's table of cases goes through: the case must reach the RPC its name
/// starts with, be answered INVALID_ARGUMENT naming exactly the expected fields, and leave every row of the
/// database as it was.
/// </summary>
public static class BadInput
{
    public static async Task AssertRefusedAsync(Func<Task<DatabaseSnapshot>> snapshot, string caseName, Func<Task> call, IReadOnlyCollection<string> fields)
    {
        var rpc = caseName.Split(' ')[0];
        var before = await snapshot();
        using (var calls = CallRecorder.Start())
        {
            var badRequest = await GrpcStatusAssert.InvalidArgumentAsync(call);
            Assert.True(calls.Methods.Count > 0 && calls.Methods[^1] == rpc,
                $"The case '{caseName}' should call {rpc}; it called {string.Join(", ", calls.Methods)}.");
            var named = badRequest.FieldViolations.Select(v => v.Field).Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.Equal(fields.Distinct().Order(StringComparer.Ordinal).ToList(), named);
        }

        var after = await snapshot();
        Assert.True(before.Equals(after), $"The refused call changed: {string.Join(", ", before.Differences(after))}");
    }
}
