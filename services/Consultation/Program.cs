using Watershed.Consultation;
using Watershed.Consultation.V1;
using Watershed.Consultation.Data;
using Watershed.Consultation.Grpc;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;
using Watershed.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("watershed-consultation");
builder.AddServiceDatabase<ConsultationDbContext>();
builder.AddServiceTelemetry<ConsultationTelemetry>();
builder.Services.AddSingleton<VoteCommitter>();
// Consultation only publishes: no subscriptions.
builder.AddServiceEvents<ConsultationDbContext>("consultation");

var app = builder.Build();
app.MapServiceDefaults();
app.MapServiceEvents<ConsultationDbContext>();
app.MapGrpcService<StakeholderGrpcService>();
app.MapGrpcService<SpaceGrpcService>()
    .RateLimit(RateLimitPolicies.Imports, SpaceService.Descriptor, "ImportRoll");
app.MapGrpcService<AssemblyGrpcService>();
app.MapGrpcService<ProposalGrpcService>()
    .RateLimit(RateLimitPolicies.Votes, ProposalService.Descriptor, "CastVote")
    .RateLimit(RateLimitPolicies.Proposals, ProposalService.Descriptor, "CreateProposal");
app.MapGrpcService<ContactGrpcService>();

return await app.RunServiceAsync(services => services.InitializeDatabaseAsync<ConsultationDbContext>());

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
