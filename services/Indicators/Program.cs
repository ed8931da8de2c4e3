using Watershed.Indicators;
using Watershed.Indicators.V1;
using Watershed.Indicators.Data;
using Watershed.Indicators.Demo;
using Watershed.Indicators.Events;
using Watershed.Indicators.Grpc;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;
using Watershed.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("watershed-indicators");
builder.AddServiceTelemetry<IndicatorsTelemetry>();
builder.AddServiceDatabase<IndicatorsDbContext>();
builder.Services.AddScoped<AreaFigures>();
builder.Services.AddScoped<AlertEvaluation>();
builder.Services.AddScoped<SubmissionIngest>();
builder.Services.AddScoped<SubmissionRemovals>();
builder.Services.AddScoped<DemoSeeder>();
builder.AddServiceEvents<IndicatorsDbContext>("indicators")
    .On<Watershed.LandUse.V1.PlanVersionApproved, PlanVersionApprovedHandler>();
builder.Services.AddOptions<DemoOptions>().Bind(builder.Configuration.GetSection(DemoOptions.Section));

var app = builder.Build();
app.MapServiceDefaults();
app.MapServiceEvents<IndicatorsDbContext>();
app.MapGrpcService<AreaGrpcService>();
app.MapGrpcService<IndicatorGrpcService>();
app.MapGrpcService<SurveyGrpcService>()
    .RateLimit(RateLimitPolicies.Imports, SurveyService.Descriptor, "ImportSubmissions", "UploadSubmissions", "RemoveSubmission", "RemoveImportBatch");
app.MapGrpcService<AggregateGrpcService>();
app.MapGrpcService<PlanTrackingGrpcService>();
app.MapGrpcService<AlertGrpcService>();

return await app.RunServiceAsync(
    services => services.InitializeDatabaseAsync<IndicatorsDbContext>(),
    services => services.SeedDemoIfAskedAsync());

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
