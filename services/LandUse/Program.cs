using Watershed.Consultation.V1;
using Watershed.LandUse;
using Watershed.LandUse.Data;
using Watershed.LandUse.Grpc;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;
using Watershed.ServiceDefaults.Grpc;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("watershed-landuse");
builder.AddServiceDatabase<LandUseDbContext>();
builder.AddServiceTelemetry<LandUseTelemetry>();
builder.AddServiceClient<ProposalService.ProposalServiceClient>("consultation");
builder.Services.AddScoped<ConsultationDecisions>();
builder.AddServiceEvents<LandUseDbContext>("landuse")
    .On<ProposalDecided, ProposalDecidedHandler>();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGrpcService<WatershedUnitGrpcService>();
app.MapGrpcService<PlanGrpcService>();
app.MapServiceEvents<LandUseDbContext>();

await app.Services.InitializeDatabaseAsync<LandUseDbContext>();
await app.RunAsync();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
