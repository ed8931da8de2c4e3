using Watershed.Auth.Tests;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Web.Tests;

/// <summary>
/// Indicators for the analyst's dashboard: its own process on the collection's PostgreSQL cluster, started with its
/// Pomacanchi demo (areas, a baseline and a follow-up survey round loaded from the demo CSV files at start).
/// </summary>
public sealed partial class WebSystem
{
    private ServiceProcess? _indicators;

    private async Task<ServiceProcess> StartIndicatorsAsync(PostgresServer postgres)
    {
        var settings = Identity.ServiceSettings(_provider!, "indicators");
        settings["Database:Provider"] = "Postgres";
        settings["Database:ConnectionString"] = await postgres.CreateDatabaseAsync("web_in");
        settings["Events:RelayEnabled"] = "false";
        settings["DAPR_GRPC_ENDPOINT"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        settings["Demo:Seed"] = "true";
        return await ServiceProcess.StartAsync("Indicators", settings);
    }

    /// <summary>Indicators' survey API as the given development account.</summary>
    public async Task<SurveyService.SurveyServiceClient> SurveysAsAsync(string account) =>
        new(Identity.Invoker(_indicators!.Address, await Identity.UserTokenAsync(_provider!, account)));

    /// <summary>Indicators as the given development account sees it.</summary>
    public async Task<(AreaService.AreaServiceClient Areas, AggregateService.AggregateServiceClient Aggregates)> IndicatorsAsAsync(string account)
    {
        var invoker = Identity.Invoker(_indicators!.Address, await Identity.UserTokenAsync(_provider!, account));
        return (new AreaService.AreaServiceClient(invoker), new AggregateService.AggregateServiceClient(invoker));
    }
}
