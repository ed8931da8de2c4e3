using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Watershed.Testing;
using DaprRuntime = Dapr.Client.Autogen.Grpc.v1.Dapr;
using PublishEventRequest = Dapr.Client.Autogen.Grpc.v1.PublishEventRequest;

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

    /// <summary>
    /// Publishes a ProposalDecided CloudEvent with <paramref name="data"/> straight to the sidecar, as consultation's
    /// relay would (structured JSON, the outbox row's id as the event id).
    /// </summary>
    public static async Task PublishDecisionAsync(SidecarProcess sidecar, string id, JsonNode data)
    {
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcAddress);
        await new DaprRuntime.DaprClient(channel).PublishEventAsync(new PublishEventRequest
        {
            PubsubName = "pubsub",
            Topic = "consultation.proposal_decided.v1",
            DataContentType = "application/cloudevents+json",
            Data = ByteString.CopyFromUtf8(new JsonObject
            {
                ["specversion"] = "1.0", ["id"] = id, ["source"] = "watershed-consultation", ["type"] = "watershed.consultation.v1.ProposalDecided",
                ["subject"] = $"proposals/{id}", ["datacontenttype"] = "application/json", ["data"] = data,
            }.ToJsonString()),
        });
    }

    /// <summary>A general proposal of watershed <paramref name="code"/> approved, as ProposalDecided's JSON data.</summary>
    public static JsonObject Approved(string code, string title) => new()
    {
        ["proposalId"] = Guid.CreateVersion7().ToString(),
        ["scope"] = new JsonObject { ["watershedId"] = Guid.CreateVersion7().ToString(), ["watershedCode"] = code, ["spaceId"] = Guid.CreateVersion7().ToString() },
        ["title"] = title, ["type"] = "PROPOSAL_TYPE_GENERAL", ["state"] = "PROPOSAL_STATE_APPROVED",
    };
}

/// <summary>Only names a type for the generic test host's static helpers; no host is built from it.</summary>
internal sealed class EventSystemMarker;
