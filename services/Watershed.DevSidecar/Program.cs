// Watershed dev sidecar: a DEVELOPMENT STAND-IN for the Dapr sidecar (daprd), for local runs and tests only.
//
// Why: daprd cannot be installed where Watershed is developed (no Docker, no downloads beyond package
// registries), yet the services talk to Dapr. This process speaks the real Dapr contracts for the parts
// Watershed uses, so a service runs against it exactly as against daprd: the .NET DaprClient points at it with
// DAPR_GRPC_ENDPOINT (default http://127.0.0.1:50001), and each subscribing app serves Dapr's AppCallback
// service on its own gRPC port (app protocol grpc). It is never deployed: Kubernetes runs the real daprd.
//
// What it serves:
//   gRPC (Sidecar:GrpcUrl, h2c)   dapr.proto.runtime.v1.Dapr/PublishEvent and /InvokeBinding; every other
//                                 Dapr method answers UNIMPLEMENTED.
//   HTTP (Sidecar:HttpUrl)        GET /v1.0/healthz (204, as daprd) and, stand-in only, GET /dev/topics/{pubsub}/{topic},
//                                 /dev/deliveries?state=pending|delivered|dead and /dev/subscriptions to read the store.
//
// Pub/sub works like daprd in front of a durable broker: subscriptions come from each app's
// ListTopicSubscriptions (asked at start and again until the app answers) or from Sidecar:Subscriptions;
// a published event is committed to SQLite (Sidecar:DataDirectory) before OK and delivered to each subscriber
// in publish order with daprd's CloudEvent, retries with backoff, dead-letter topics and trace context.
// Output bindings bindings.twilio.sms and bindings.smtp write readable files instead of sending.
//
// Run: dotnet run --project services/Watershed.DevSidecar -- --Sidecar:Apps:consultation:Address=http://127.0.0.1:5101
// Configuration keys, daprd behaviours followed and what is left out: services/Watershed.DevSidecar/README.md.
using Watershed.DevSidecar;

await using var sidecar = await SidecarHost.StartAsync(args);
await sidecar.WaitForShutdownAsync();
