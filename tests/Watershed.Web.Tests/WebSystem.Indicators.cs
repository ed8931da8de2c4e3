using Watershed.Auth.Tests;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Web.Tests;

/// <summary>
/// Indicators for the analyst's pages: its own process on the collection's PostgreSQL cluster, started with its Pomacanchi
/// demo (WebSystem.InitializeAsync).
/// </summary>
public sealed partial class WebSystem
{
    private ServiceProcess? _indicators;

    /// <summary>Indicators' survey API as the given development account.</summary>
    public async Task<SurveyService.SurveyServiceClient> SurveysAsAsync(string account) =>
        new(Identity.Invoker(_indicators!.Address, await Identity.UserTokenAsync(_provider!, account)));

    /// <summary>Indicators as the given development account sees it.</summary>
    public async Task<(AreaService.AreaServiceClient Areas, AggregateService.AggregateServiceClient Aggregates)> IndicatorsAsAsync(string account)
    {
        var invoker = Identity.Invoker(_indicators!.Address, await Identity.UserTokenAsync(_provider!, account));
        return (new AreaService.AreaServiceClient(invoker), new AggregateService.AggregateServiceClient(invoker));
    }

    /// <summary>Indicators' plan tracking as the given development account.</summary>
    public async Task<PlanTrackingService.PlanTrackingServiceClient> PlanTrackingAsAsync(string account) =>
        new(Identity.Invoker(_indicators!.Address, await Identity.UserTokenAsync(_provider!, account)));
}
