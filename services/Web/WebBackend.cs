using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Watershed.Consultation.V1;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.Notifications.V1;

namespace Watershed.Web;

/// <summary>
/// The services as the signed-in person sees them: every call carries that person's access token, so each service
/// decides what they may read and do, exactly as for any other client.
/// </summary>
public sealed class WebBackend(
    IHttpContextAccessor http,
    StakeholderService.StakeholderServiceClient stakeholders,
    SpaceService.SpaceServiceClient spaces,
    AssemblyService.AssemblyServiceClient assemblies,
    ProposalService.ProposalServiceClient proposals,
    WatershedUnitService.WatershedUnitServiceClient units,
    PlanService.PlanServiceClient plans,
    PreferenceService.PreferenceServiceClient preferences,
    DeliveryService.DeliveryServiceClient deliveries,
    AreaService.AreaServiceClient areas,
    IndicatorService.IndicatorServiceClient indicatorCatalog,
    AggregateService.AggregateServiceClient aggregates,
    AlertService.AlertServiceClient alerts,
    SurveyService.SurveyServiceClient surveys,
    PlanTrackingService.PlanTrackingServiceClient planTracking)
{
    public PlanTrackingService.PlanTrackingServiceClient PlanTracking => planTracking;

    public SurveyService.SurveyServiceClient Surveys => surveys;

    public AreaService.AreaServiceClient Areas => areas;

    public IndicatorService.IndicatorServiceClient IndicatorCatalog => indicatorCatalog;

    public AggregateService.AggregateServiceClient Aggregates => aggregates;

    public AlertService.AlertServiceClient Alerts => alerts;

    public PreferenceService.PreferenceServiceClient Preferences => preferences;

    public DeliveryService.DeliveryServiceClient Deliveries => deliveries;

    public WatershedUnitService.WatershedUnitServiceClient Units => units;

    public PlanService.PlanServiceClient Plans => plans;

    public StakeholderService.StakeholderServiceClient Stakeholders => stakeholders;

    public SpaceService.SpaceServiceClient Spaces => spaces;

    public AssemblyService.AssemblyServiceClient Assemblies => assemblies;

    public ProposalService.ProposalServiceClient Proposals => proposals;

    /// <summary>Headers of a call made for the signed-in person.</summary>
    public async Task<Metadata> AsUserAsync()
    {
        var context = http.HttpContext ?? throw new InvalidOperationException("No request is being served.");
        var token = await context.GetTokenAsync("access_token");
        if (string.IsNullOrEmpty(token))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Not signed in."));
        }

        return new Metadata { { "authorization", $"Bearer {token}" } };
    }
}
