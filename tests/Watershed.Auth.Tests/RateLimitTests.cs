using Google.Rpc;
using Grpc.Core;
using Watershed.Testing;
using ConsultationV1 = Watershed.Consultation.V1;
using IndicatorsV1 = Watershed.Indicators.V1;
using LandUseV1 = Watershed.LandUse.V1;
using NotificationsV1 = Watershed.Notifications.V1;

namespace Watershed.Auth.Tests;

/// <summary>
/// Every rate-limited RPC of every service, with a limit of 2 calls per caller an hour: the third call of one caller
/// answers RESOURCE_EXHAUSTED with a retry hint, while another caller, and the same caller's other RPCs, go on.
/// A call counts whatever its answer (the requests here are refused as invalid, which costs the service nothing else).
/// </summary>
public sealed class RateLimitTests(RateLimitedServices services) : IClassFixture<RateLimitedServices>
{
    public static TheoryData<string, string> Limited() => new()
    {
        { "Consultation", "CastVote" },
        { "Consultation", "CreateProposal" },
        { "Consultation", "ImportRoll" },
        { "Indicators", "RemoveSubmission" },
        { "Indicators", "RemoveImportBatch" },
        { "Indicators", "ImportSubmissions" },
        { "Indicators", "UploadSubmissions" },
        { "LandUse", "ImportPlanVersionZones" },
        { "Notifications", "CreateWatcher" },
        { "Notifications", "UpdateWatcher" },
    };

    private Task<StatusCode> CallAsync(string service, string rpc, string caller)
    {
        var invoker = Identity.Invoker(services.Address(service), TestTokens.Create(caller, ["admin"], ["*"]));
        return StatusOf(rpc switch
        {
            "CastVote" => new ConsultationV1.ProposalService.ProposalServiceClient(invoker).CastVoteAsync(new ConsultationV1.CastVoteRequest()).ResponseAsync,
            "CreateProposal" => new ConsultationV1.ProposalService.ProposalServiceClient(invoker).CreateProposalAsync(new ConsultationV1.CreateProposalRequest()).ResponseAsync,
            "GetProposal" => new ConsultationV1.ProposalService.ProposalServiceClient(invoker).GetProposalAsync(new ConsultationV1.GetProposalRequest()).ResponseAsync,
            "ImportRoll" => new ConsultationV1.SpaceService.SpaceServiceClient(invoker).ImportRollAsync(new ConsultationV1.ImportRollRequest()).ResponseAsync,
            "RemoveSubmission" => new IndicatorsV1.SurveyService.SurveyServiceClient(invoker).RemoveSubmissionAsync(new IndicatorsV1.RemoveSubmissionRequest()).ResponseAsync,
            "RemoveImportBatch" => new IndicatorsV1.SurveyService.SurveyServiceClient(invoker).RemoveImportBatchAsync(new IndicatorsV1.RemoveImportBatchRequest()).ResponseAsync,
            "ImportSubmissions" => new IndicatorsV1.SurveyService.SurveyServiceClient(invoker).ImportSubmissionsAsync(new IndicatorsV1.ImportSubmissionsRequest()).ResponseAsync,
            "UploadSubmissions" => UploadNothingAsync(new IndicatorsV1.SurveyService.SurveyServiceClient(invoker)),
            "ImportPlanVersionZones" => new LandUseV1.PlanService.PlanServiceClient(invoker).ImportPlanVersionZonesAsync(new LandUseV1.ImportPlanVersionZonesRequest()).ResponseAsync,
            "CreateWatcher" => new NotificationsV1.WatcherService.WatcherServiceClient(invoker).CreateWatcherAsync(new NotificationsV1.CreateWatcherRequest()).ResponseAsync,
            "UpdateWatcher" => new NotificationsV1.WatcherService.WatcherServiceClient(invoker).UpdateWatcherAsync(new NotificationsV1.UpdateWatcherRequest()).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null),
        });
    }

    private static async Task<IndicatorsV1.UploadSubmissionsResponse> UploadNothingAsync(IndicatorsV1.SurveyService.SurveyServiceClient client)
    {
        using var call = client.UploadSubmissions();
        try
        {
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // Refused before the stream was read: the status is in the response.
        }

        return await call.ResponseAsync;
    }

    private static async Task<StatusCode> StatusOf(Task call)
    {
        try
        {
            await call;
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    [Theory]
    [MemberData(nameof(Limited))]
    public async Task The_call_over_the_limit_is_resource_exhausted_with_a_retry_hint_and_another_caller_goes_on(string service, string rpc)
    {
        var caller = $"busy-{service}-{rpc}";
        Assert.NotEqual(StatusCode.ResourceExhausted, await CallAsync(service, rpc, caller));
        Assert.NotEqual(StatusCode.ResourceExhausted, await CallAsync(service, rpc, caller));

        Assert.Equal(StatusCode.ResourceExhausted, await CallAsync(service, rpc, caller));

        Assert.NotEqual(StatusCode.ResourceExhausted, await CallAsync(service, rpc, $"other-{service}-{rpc}"));
    }

    [Fact]
    public async Task The_refusal_says_when_to_try_again_and_which_limit_it_hit()
    {
        var caller = "busy-detail";
        var proposals = new ConsultationV1.ProposalService.ProposalServiceClient(Identity.Invoker(services.Address("Consultation"), TestTokens.Create(caller, ["facilitator"], ["pomacanchi"])));
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => proposals.CastVoteAsync(new ConsultationV1.CastVoteRequest()).ResponseAsync);
        }

        var refused = await Assert.ThrowsAsync<RpcException>(() => proposals.CastVoteAsync(new ConsultationV1.CastVoteRequest()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.StartsWith("Too many CastVote calls from this caller: at most 2 per 01:00:00. Try again in ", refused.Status.Detail, StringComparison.Ordinal);
        var status = refused.GetRpcStatus()!;
        Assert.Equal((int)StatusCode.ResourceExhausted, status.Code);
        var retry = status.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan();
        Assert.InRange(retry, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        var quota = Assert.Single(status.GetDetail<QuotaFailure>()!.Violations);
        Assert.Equal(("caller", "rate limit 'votes': 2 calls per 01:00:00"), (quota.Subject, quota.Description));

        // The same caller's other RPCs, limited by another policy or not at all, are not refused.
        Assert.NotEqual(StatusCode.ResourceExhausted, await StatusOf(proposals.CreateProposalAsync(new ConsultationV1.CreateProposalRequest()).ResponseAsync));
        for (var i = 0; i < 4; i++)
        {
            Assert.NotEqual(StatusCode.ResourceExhausted, await StatusOf(proposals.GetProposalAsync(new ConsultationV1.GetProposalRequest()).ResponseAsync));
        }
    }
}

/// <summary>The four services as processes on PostgreSQL with every rate limit at 2 calls per caller an hour.</summary>
public sealed class RateLimitedServices : IAsyncLifetime
{
    private readonly Dictionary<string, ServiceProcess> _services = [];

    public Uri Address(string service) => _services[service].Address;

    public async Task InitializeAsync()
    {
        var postgres = await PostgresServer.GetAsync();
        foreach (var name in new[] { "Consultation", "Indicators", "LandUse", "Notifications" })
        {
            var settings = new Dictionary<string, string>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = await postgres.CreateDatabaseAsync($"auth_rl_{name.ToLowerInvariant()}"),
                ["Auth:Issuer"] = TestTokens.Issuer,
                ["Auth:SigningKey"] = TestTokens.SigningKey,
                ["Events:RelayEnabled"] = "false",
                ["Services:consultation:Address"] = "http://127.0.0.1:9",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            foreach (var policy in new[] { "votes", "proposals", "imports", "webhooks" })
            {
                settings[$"RateLimits:{policy}:PermitLimit"] = "2";
                settings[$"RateLimits:{policy}:Window"] = "01:00:00";
            }

            _services[name] = await ServiceProcess.StartAsync(name, settings);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services.Values)
        {
            await service.DisposeAsync();
        }
    }
}
