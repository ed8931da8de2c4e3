using Google.Rpc;
using Grpc.Core;
using Xunit;

namespace Watershed.Testing;

/// <summary>Asserts on a failed call's status code and its google.rpc details.</summary>
public static class GrpcStatusAssert
{
    public static async Task<RpcException> ThrowsAsync(StatusCode expected, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(expected == ex.StatusCode, $"Expected {expected}, got {ex.StatusCode}: {ex.Status.Detail}");
        return ex;
    }

    /// <summary>INVALID_ARGUMENT whose BadRequest names every one of <paramref name="fields"/>.</summary>
    public static async Task<BadRequest> InvalidArgumentAsync(Func<Task> call, params string[] fields)
    {
        var ex = await ThrowsAsync(StatusCode.InvalidArgument, call);
        var status = ex.GetRpcStatus() ?? throw new Xunit.Sdk.XunitException("No google.rpc.Status in the trailers.");
        var badRequest = status.GetDetail<BadRequest>() ?? throw new Xunit.Sdk.XunitException("No BadRequest detail.");
        var named = badRequest.FieldViolations.Select(v => v.Field).ToHashSet();
        foreach (var field in fields)
        {
            Assert.True(named.Contains(field), $"No violation for '{field}'; got: {string.Join(", ", named)}");
        }

        return badRequest;
    }
}
