using Watershed.Consultation;
using Watershed.Consultation.Data;
using Watershed.Consultation.Grpc;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("watershed-consultation");
builder.AddServiceDatabase<ConsultationDbContext>();
builder.AddServiceTelemetry<ConsultationTelemetry>();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGrpcService<StakeholderGrpcService>();
app.MapGrpcService<SpaceGrpcService>();
app.MapGrpcService<AssemblyGrpcService>();
app.MapGrpcService<ProposalGrpcService>();

await app.Services.InitializeDatabaseAsync<ConsultationDbContext>();
await app.RunAsync();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
