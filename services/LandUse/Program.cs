using Watershed.Consultation.V1;
using Watershed.LandUse;
using Watershed.LandUse.Data;
using Watershed.LandUse.Grpc;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("watershed-landuse");
builder.AddServiceDatabase<LandUseDbContext>();
builder.AddServiceTelemetry<LandUseTelemetry>();
builder.AddServiceToken("landuse");
// ApprovePlanVersion asks consultation for the cited proposal with the user's token: consultation decides whether this
// user may read it (a decision of another watershed is refused, not revealed). Without a user, land use's own identity.
builder.AddServiceClient<ProposalService.ProposalServiceClient>("consultation", CallIdentity.UserOrService);
builder.Services.AddScoped<ConsultationDecisions>();
builder.AddServiceEvents<LandUseDbContext>("landuse")
    .On<ProposalDecided, ProposalDecidedHandler>();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGrpcService<WatershedUnitGrpcService>();
app.MapGrpcService<PlanGrpcService>()
    .RateLimit(RateLimitPolicies.Imports, Watershed.LandUse.V1.PlanService.Descriptor, "ImportPlanVersionZones");
app.MapServiceEvents<LandUseDbContext>();

return await app.RunServiceAsync(services => services.InitializeDatabaseAsync<LandUseDbContext>());

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
