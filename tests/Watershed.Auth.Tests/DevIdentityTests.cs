using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Watershed.DevIdentity;

namespace Watershed.Auth.Tests;

/// <summary>
/// The development provider as a client meets it: discovery and JWKS, the code flow with PKCE for people (the later
/// web app's path), client credentials for the service identities, and what it refuses. Tokens are checked against
/// the keys its discovery document names, with IdentityModel's own validation, not the provider's code.
/// </summary>
public sealed class DevIdentityTests : IAsyncLifetime
{
    private static readonly Guid MemberPerson = Guid.Parse("0193a0c4-1f1e-7c2a-9d41-6a8e0f3b2c11");
    private DevIdentityHost _provider = null!;

    public async Task InitializeAsync() => _provider = await Identity.StartAsync(new Dictionary<string, string?>
    {
        ["DevIdentity:Accounts:rosa:Roles:0"] = "member",
        ["DevIdentity:Accounts:rosa:Watersheds:0"] = "pomacanchi",
        ["DevIdentity:Accounts:rosa:PersonId"] = MemberPerson.ToString(),
        ["DevIdentity:Accounts:ana:Roles:0"] = "facilitator",
        ["DevIdentity:Accounts:ana:Roles:1"] = "analyst",
        ["DevIdentity:Accounts:ana:Watersheds:0"] = "pomacanchi",
        ["DevIdentity:Accounts:ana:Watersheds:1"] = "cachora",
    });

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private async Task<TokenValidationResult> ValidateAsync(string token)
    {
        var metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(_provider.Address, ".well-known/openid-configuration").AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = false });
        var configuration = await metadata.GetConfigurationAsync(CancellationToken.None);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = Identity.Audience,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
    }

    [Fact]
    public async Task Discovery_names_its_endpoints_rs256_and_pkce_and_the_jwks_publishes_the_signing_key()
    {
        using var http = new HttpClient();
        var discovery = await http.GetFromJsonAsync<JsonElement>(new Uri(_provider.Address, ".well-known/openid-configuration"));
        Assert.Equal(_provider.Address.AbsoluteUri, discovery.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(_provider.Address, "connect/token").AbsoluteUri, discovery.GetProperty("token_endpoint").GetString());
        Assert.Equal(new Uri(_provider.Address, "connect/authorize").AbsoluteUri, discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(["authorization_code", "client_credentials", "refresh_token"],
            discovery.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        Assert.Contains("S256", discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));

        var jwks = await http.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString());
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal((_provider.Keys.Current.KeyId, "RSA", "RS256", "sig"),
            (key.GetProperty("kid").GetString(), key.GetProperty("kty").GetString(), key.GetProperty("alg").GetString(), key.GetProperty("use").GetString()));
        Assert.False(key.TryGetProperty("d", out _), "the JWKS must not publish the private part");
    }

    [Fact]
    public async Task The_code_flow_with_pkce_signs_an_account_in_and_issues_an_rs256_access_token_with_the_claims_the_services_read()
    {
        var (_, token) = await new CodeFlow(_provider).SignInAsync("rosa");

        Assert.NotNull(token?.AccessToken);
        var result = await ValidateAsync(token.AccessToken);
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(("RS256", _provider.Keys.Current.KeyId), (jwt.Alg, jwt.Kid));
        Assert.Equal(("rosa", _provider.Issuer), (jwt.Subject, jwt.Issuer));
        Assert.Equal([Identity.Audience], jwt.Audiences);
        Assert.Equal(["member"], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(["pomacanchi"], jwt.Claims.Where(c => c.Type == "watershed").Select(c => c.Value));
        Assert.Equal(MemberPerson.ToString(), jwt.GetClaim("person_id").Value);
        Assert.Equal(TimeSpan.FromHours(1), jwt.ValidTo - jwt.IssuedAt);
        Assert.NotNull(token.IdToken);
    }

    [Fact]
    public async Task An_account_with_several_roles_and_watersheds_carries_one_claim_for_each()
    {
        var jwt = Identity.Read(await Identity.UserTokenAsync(_provider, "ana"));
        Assert.Equal(["analyst", "facilitator"], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value).Order(StringComparer.Ordinal));
        Assert.Equal(["cachora", "pomacanchi"], jwt.Claims.Where(c => c.Type == "watershed").Select(c => c.Value).Order(StringComparer.Ordinal));
        Assert.False(jwt.TryGetClaim("person_id", out _));
    }

    [Fact]
    public async Task The_generated_accounts_cover_every_role_in_every_watershed_and_members_keep_a_stable_person_id()
    {
        var accounts = new DevIdentityOptions().AllAccounts();
        string[] expected = ["admin", .. new[] { "pomacanchi", "cachora" }.SelectMany(w => DevIdentityOptions.WatershedRoles.Select(r => $"{r}.{w}"))];
        Assert.Equal(expected.Order(StringComparer.Ordinal), accounts.Keys.Order(StringComparer.Ordinal));

        var member = Identity.Read(await Identity.UserTokenAsync(_provider, "member.cachora"));
        Assert.Equal(DevIdentityOptions.DerivedPersonId("member.cachora").ToString(), member.GetClaim("person_id").Value);
        Assert.Equal(8, Guid.Parse(member.GetClaim("person_id").Value).Version); // RFC 9562's custom version: derived, not random
        var admin = Identity.Read(await Identity.UserTokenAsync(_provider, "admin"));
        Assert.Equal(["admin"], admin.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(["*"], admin.Claims.Where(c => c.Type == "watershed").Select(c => c.Value));
    }

    [Fact]
    public async Task A_wrong_password_goes_back_to_the_sign_in_page_and_no_code_is_issued()
    {
        var flow = new CodeFlow(_provider);
        var authorize = flow.AuthorizeUrl();
        (await flow.GetAsync(authorize)).Dispose();
        var next = await flow.PostSignInAsync("rosa", "not-the-password", "/" + authorize);
        Assert.StartsWith("/signin?error=1", next!.OriginalString, StringComparison.Ordinal);

        using var again = await flow.GetAsync(authorize);
        Assert.StartsWith("/signin", again.Headers.Location!.IsAbsoluteUri ? again.Headers.Location.AbsolutePath : again.Headers.Location.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_needs_its_verifier_and_is_redeemed_once()
    {
        var flow = new CodeFlow(_provider);
        var (code, token) = await flow.SignInAsync("rosa");
        Assert.NotNull(token);

        using var replay = await flow.RedeemAsync(code, flow.Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.Content.ReadFromJsonAsync<TokenResponse>())!.Error);

        var other = new CodeFlow(_provider);
        var authorize = other.AuthorizeUrl();
        (await other.GetAsync(authorize)).Dispose();
        var back = await other.PostSignInAsync("rosa", Identity.Password, "/" + authorize);
        using var redirect = await other.GetAsync(back!.OriginalString);
        var secondCode = System.Web.HttpUtility.ParseQueryString(redirect.Headers.Location!.Query)["code"]!;
        using var wrongVerifier = await other.RedeemAsync(secondCode, flow.Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.StatusCode);
        Assert.Equal("invalid_grant", (await wrongVerifier.Content.ReadFromJsonAsync<TokenResponse>())!.Error);
    }

    [Fact]
    public async Task Without_pkce_or_with_an_unregistered_redirect_no_code_is_issued()
    {
        var flow = new CodeFlow(_provider);
        Assert.NotNull((await flow.SignInAsync("rosa")).Token);

        // Signed in, so only the missing code_challenge stands between this request and a code.
        using var withoutPkce = await flow.GetAsync(flow.AuthorizeUrl(pkce: false));
        Assert.Equal(HttpStatusCode.BadRequest, withoutPkce.StatusCode);
        Assert.Null(withoutPkce.Headers.Location);

        using var elsewhere = await flow.GetAsync(flow.AuthorizeUrl(redirect: "http://127.0.0.1:9/steal"));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Null(elsewhere.Headers.Location);
    }

    [Theory]
    [InlineData("consultation")]
    [InlineData("landuse")]
    [InlineData("indicators")]
    [InlineData("notifications")]
    [InlineData("web")]
    public async Task Each_service_identity_gets_a_client_credentials_token_with_the_service_role_in_every_watershed(string client)
    {
        var result = await ValidateAsync(await Identity.ServiceTokenAsync(_provider, client));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal($"service:{client}", jwt.Subject);
        Assert.Equal(["service"], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(["*"], jwt.Claims.Where(c => c.Type == "watershed").Select(c => c.Value));
        Assert.Equal([Identity.Audience], jwt.Audiences);
    }

    [Fact]
    public async Task Client_credentials_need_the_clients_secret_and_a_confidential_client()
    {
        using var wrongSecret = await Identity.ClientCredentialsAsync(_provider, "landuse", "notifications-dev-secret");
        Assert.Equal("invalid_client", (await wrongSecret.Content.ReadFromJsonAsync<TokenResponse>())!.Error);
        Assert.False(wrongSecret.IsSuccessStatusCode);

        using var unknown = await Identity.ClientCredentialsAsync(_provider, "intruder", "x");
        Assert.Equal("invalid_client", (await unknown.Content.ReadFromJsonAsync<TokenResponse>())!.Error);

        using var publicClient = await Identity.ClientCredentialsAsync(_provider, "cli", string.Empty);
        Assert.False(publicClient.IsSuccessStatusCode);
    }

    [Fact]
    public async Task The_web_client_signs_people_in_with_its_secret_and_pkce()
    {
        var options = new DevIdentityOptions();
        var flow = new CodeFlow(_provider, "web", options.EffectiveWebRedirectUris[0], "web-dev-secret");
        var (_, token) = await flow.SignInAsync("facilitator.pomacanchi");
        Assert.Equal("facilitator.pomacanchi", Identity.Read(token!.AccessToken!).Subject);
    }

    [Fact]
    public async Task The_web_client_refreshes_its_tokens_with_the_accounts_claims_as_they_stand()
    {
        var web = new DevIdentityOptions().EffectiveWebRedirectUris[0];
        var (_, token) = await new CodeFlow(_provider, "web", web, "web-dev-secret", "openid profile offline_access").SignInAsync("member.pomacanchi");
        Assert.NotNull(token?.RefreshToken);

        using var http = new HttpClient();
        using var refreshed = await http.PostAsync(new Uri(_provider.Address, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = "web", ["client_secret"] = "web-dev-secret", ["refresh_token"] = token.RefreshToken,
        }));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var again = Identity.Read((await refreshed.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken!);
        Assert.Equal(("member.pomacanchi", DevIdentityOptions.DerivedPersonId("member.pomacanchi").ToString()), (again.Subject, again.GetClaim("person_id").Value));

        // The cli client may not ask for refresh tokens at all.
        var cli = new CodeFlow(_provider, scope: "openid profile offline_access");
        using var refused = await cli.GetAsync(cli.AuthorizeUrl());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task A_rotated_key_signs_new_tokens_while_the_old_one_stays_published_until_retired()
    {
        var first = _provider.Keys.Current.KeyId;
        var before = await Identity.ServiceTokenAsync(_provider, "landuse");
        var second = _provider.Keys.Rotate().KeyId;
        var after = await Identity.ServiceTokenAsync(_provider, "landuse");

        Assert.Equal((first, second), (Identity.Read(before).Kid, Identity.Read(after).Kid));
        Assert.True((await ValidateAsync(before)).IsValid);
        Assert.True((await ValidateAsync(after)).IsValid);

        Assert.Equal([first], _provider.Keys.RetireAllButNewest());
        Assert.False((await ValidateAsync(before)).IsValid);
        Assert.True((await ValidateAsync(after)).IsValid);
    }
}
