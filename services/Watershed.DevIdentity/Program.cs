// Watershed DevIdentity: a DEVELOPMENT OpenID provider, for local runs and tests only. Never deployed: production
// validates tokens of a real authority (a Keycloak realm) and the services are configured with Auth:Authority.
//
// Why: the services validate tokens of an OIDC authority (discovery, JWKS, RS256, issuer and audience) and call each
// other with their own identities (client credentials); this provider lets tests and a local run exercise exactly that
// path without a Keycloak. It is OpenIddict's server, so the protocol (authorization code with PKCE, client
// credentials, refresh tokens, discovery, JWKS) is a certified implementation's, not ours.
//
// What it serves (HTTP/1.1 on DevIdentity:Url, a loopback address only, default http://127.0.0.1:5100):
//   /.well-known/openid-configuration, /.well-known/jwks     discovery and the published signing keys
//   /connect/authorize, /connect/token, /connect/endsession  the code flow (PKCE required), client credentials, refresh
//   /signin                                                  a plain sign-in page for the development accounts
//   /dev/accounts, POST /dev/keys/rotate, POST /dev/keys/retire   development only: list accounts, rotate and retire keys
//
// Run: dotnet run --project services/Watershed.DevIdentity (accounts, clients and settings: its README.md).
using Watershed.DevIdentity;

await using var provider = await DevIdentityHost.StartAsync(args);
Console.WriteLine($"DevIdentity (development OpenID provider) on {provider.Address}, issuer {provider.Issuer}");
await provider.WaitForShutdownAsync();
