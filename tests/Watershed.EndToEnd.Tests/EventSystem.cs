using Grpc.Core;
using Grpc.Net.Client;
using Watershed.Testing;

namespace Watershed.EndToEnd.Tests;

/// <summary>
/// Services as their own processes on PostgreSQL, publishing and receiving events through the development
/// sidecar process, and called over real sockets with tokens their configuration accepts.
/// </summary>
internal static class EventSystem
{
    public static async Task<Dictionary<string, string>> SettingsAsync(string database, SidecarProcess? sidecar, int? deadSidecarPort = null)
    {
        var settings = await Walkthrough.PostgresSettingsAsync(database);
        settings["Auth:SigningKey"] = TestTokens.SigningKey;
        settings["Auth:Issuer"] = TestTokens.Issuer;
        settings["Auth:Audience"] = TestTokens.Audience;
        settings["DAPR_GRPC_ENDPOINT"] = sidecar?.GrpcAddress.ToString().TrimEnd('/') ?? $"http://127.0.0.1:{deadSidecarPort ?? ServiceProcess.FreePort()}";
        settings["Events:IdlePoll"] = "00:00:00.500";

        // The services accept AppCallback calls only with the sidecar's app API token, as in a cluster that sets it.
        if (sidecar is not null)
        {
            settings["APP_API_TOKEN"] = sidecar.AppApiToken;
        }

        return settings;
    }

    public static CallInvoker Invoker(Uri address, string token) =>
        WatershedApp<EventSystemMarker>.Authorized(GrpcChannel.ForAddress(address), token);
}

/// <summary>Only names a type for the generic test host's static helpers; no host is built from it.</summary>
internal sealed class EventSystemMarker;
