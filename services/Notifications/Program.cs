using Watershed.Consultation.V1;
using Watershed.Notifications;
using Watershed.Notifications.Data;
using Watershed.Notifications.Events;
using Watershed.Notifications.Grpc;
using Watershed.Notifications.Sending;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Events;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;
using ConsultationV1 = Watershed.Consultation.V1;
using IndicatorsV1 = Watershed.Indicators.V1;
using LandUseV1 = Watershed.LandUse.V1;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("watershed-notifications");
builder.AddServiceTelemetry<NotificationsTelemetry>();
builder.AddNotifications();
builder.AddServiceDatabase<NotificationsDbContext>();
builder.AddServiceToken("notifications");
// Contacts are read for events, never on a user's behalf: always with notifications' own identity (a service may read
// the roll's contacts; most users may not).
builder.AddServiceClient<ContactService.ContactServiceClient>("consultation", CallIdentity.Service);
builder.AddServiceEvents<NotificationsDbContext>("notifications")
    .On<ConsultationV1.AssemblyConvened, AssemblyConvenedHandler>()
    .On<ConsultationV1.BallotClosed, BallotClosedHandler>()
    .On<ConsultationV1.ProposalDecided, ProposalDecidedHandler>()
    .On<LandUseV1.PlanVersionSubmitted, PlanVersionSubmittedHandler>()
    .On<LandUseV1.PlanVersionApproved, PlanVersionApprovedHandler>()
    .On<IndicatorsV1.AlertRaised, AlertRaisedHandler>()
    .On<IndicatorsV1.AlertCleared, AlertClearedHandler>()
    .On<IndicatorsV1.SubmissionsImported, SubmissionsImportedHandler>();

var app = builder.Build();
app.MapServiceDefaults();
app.MapServiceEvents<NotificationsDbContext>();
app.MapGrpcService<WatcherGrpcService>()
    .RateLimit(RateLimitPolicies.Webhooks, Watershed.Notifications.V1.WatcherService.Descriptor, "CreateWatcher", "UpdateWatcher");
app.MapGrpcService<PreferenceGrpcService>();
app.MapGrpcService<DeliveryGrpcService>();

return await app.RunServiceAsync(services => services.InitializeDatabaseAsync<NotificationsDbContext>());

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
