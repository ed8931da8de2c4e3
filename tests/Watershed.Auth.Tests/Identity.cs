using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Watershed.DevIdentity;
using Watershed.Testing;

namespace Watershed.Auth.Tests;

/// <summary>The development provider in the test process on a loopback port, and ways to get its tokens as clients do.</summary>
internal static class Identity
{
    public const string Audience = "watershed";
    public const string Password = "watershed";
    public const string CliRedirect = "http://127.0.0.1/callback";

    /// <summary>Starts a provider on a free loopback port; <paramref name="settings"/> are DevIdentity settings (accounts, secrets…).</summary>
    public static Task<DevIdentityHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["DevIdentity:Url"] = "http://127.0.0.1:0" };
        return DevIdentityHost.StartAsync([], all);
    }

    /// <summary>What a service needs to validate this provider's tokens exactly as production validates Keycloak's, in Production.</summary>
    public static Dictionary<string, string> ServiceSettings(DevIdentityHost provider, string? clientId = null, string? clientSecret = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth:Authority"] = provider.Address.ToString(),
            ["Auth:Issuer"] = provider.Issuer,
            ["Auth:Audience"] = Audience,
            // The provider listens on loopback HTTP; production's authority is HTTPS and keeps the default (true).
            ["Auth:RequireHttpsMetadata"] = "false",
            // A token naming an unknown key makes the service read the keys again, here as often as once a second.
            ["Auth:KeyRefreshMinimumGap"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (clientId is not null)
        {
            settings["Auth:ClientId"] = clientId;
            settings["Auth:ClientSecret"] = clientSecret ?? $"{clientId}-dev-secret";
        }

        return settings;
    }

    /// <summary>The client-credentials grant, as a service asks for its own token.</summary>
    public static async Task<HttpResponseMessage> ClientCredentialsAsync(DevIdentityHost provider, string clientId, string secret)
    {
        using var http = new HttpClient();
        return await http.PostAsync(new Uri(provider.Address, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
    }

    public static async Task<string> ServiceTokenAsync(DevIdentityHost provider, string clientId)
    {
        using var response = await ClientCredentialsAsync(provider, clientId, $"{clientId}-dev-secret");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken!;
    }

    /// <summary>A person's access token through the code flow with PKCE, signed in on the provider's page.</summary>
    public static async Task<string> UserTokenAsync(DevIdentityHost provider, string account) =>
        (await new CodeFlow(provider).SignInAsync(account)).Token!.AccessToken!;

    /// <summary>
    /// A token signed with the provider's own current key, with the claims and checks of a real one except what
    /// <paramref name="change"/> alters: to prove each check (issuer, audience, lifetime, algorithm) refuses on its own.
    /// </summary>
    public static string Forge(DevIdentityHost provider, Action<SecurityTokenDescriptor>? change = null, string subject = "forged-admin")
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = provider.Issuer,
            Audience = Audience,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddMinutes(30),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = "admin", ["watershed"] = "*" },
            SigningCredentials = provider.Keys.Current.Credentials,
        };
        change?.Invoke(descriptor);
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    /// <summary>A token signed by a key nobody publishes, under a key id nobody knows: it makes a service read the keys again.</summary>
    public static string Stranger(DevIdentityHost provider)
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var key = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = $"stranger-{Guid.NewGuid():N}" };
        return Forge(provider, d => d.SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256), "stranger");
    }

    public static CallInvoker Invoker(Uri address, string? token) =>
        WatershedApp<IdentityMarker>.Authorized(GrpcChannel.ForAddress(address), token);

    public static JsonWebToken Read(string token) => new(token);
}

/// <summary>Only names a type for the generic test host's static helpers; no host is built from it.</summary>
internal sealed class IdentityMarker;

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>
/// The authorization code flow as a browser and a client drive it, over HTTP with cookies and no automatic redirects:
/// authorize → sign-in page → signed in → authorize again → redirect with the code → token endpoint with the verifier.
/// </summary>
internal sealed class CodeFlow(DevIdentityHost provider, string clientId = "cli", string redirectUri = Identity.CliRedirect, string? clientSecret = null, string scope = "openid profile")
{
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        BaseAddress = provider.Address,
    };

    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Challenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public string AuthorizeUrl(bool pkce = true, string? redirect = null) =>
        "connect/authorize?" + string.Join('&', new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["redirect_uri"] = redirect ?? redirectUri,
            ["state"] = "state-1",
            ["code_challenge"] = pkce ? Challenge : null,
            ["code_challenge_method"] = pkce ? "S256" : null,
        }.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));

    public async Task<HttpResponseMessage> GetAsync(string url) => await _browser.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));

    /// <summary>Posts the sign-in form as the page would; returns where the provider sends the browser next.</summary>
    public async Task<Uri?> PostSignInAsync(string account, string password, string returnUrl)
    {
        using var response = await _browser.PostAsync(new Uri("signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = account, ["password"] = password, ["returnUrl"] = returnUrl,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location;
    }

    /// <summary>The whole flow; the code is read from the redirect to the client, as the client would.</summary>
    public async Task<(string Code, TokenResponse? Token)> SignInAsync(string account, string password = Identity.Password)
    {
        var authorize = AuthorizeUrl();
        using var first = await GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var signInPage = first.Headers.Location!;
        Assert.StartsWith("/signin", signInPage.IsAbsoluteUri ? signInPage.AbsolutePath : signInPage.OriginalString, StringComparison.Ordinal);
        var back = await PostSignInAsync(account, password, "/" + authorize);
        using var second = await GetAsync(back!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var redirect = second.Headers.Location!;
        Assert.StartsWith(redirectUri, redirect.AbsoluteUri, StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Query);
        Assert.Equal("state-1", query["state"]);
        var code = query["code"] ?? throw new Xunit.Sdk.XunitException($"No code in {redirect}");
        using var token = await RedeemAsync(code, Verifier);
        return (code, token.IsSuccessStatusCode ? await token.Content.ReadFromJsonAsync<TokenResponse>() : null);
    }

    public async Task<HttpResponseMessage> RedeemAsync(string code, string verifier)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        };
        if (clientSecret is not null)
        {
            form["client_secret"] = clientSecret;
        }

        using var client = new HttpClient();
        return await client.PostAsync(new Uri(provider.Address, "connect/token"), new FormUrlEncodedContent(form));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
