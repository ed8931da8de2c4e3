using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.ServiceDefaults.Security;

/// <summary>
/// A bearer token for the service itself. Service clients (<see cref="Grpc.ServiceClients"/>) send it on every call of
/// a client declared <see cref="Grpc.CallIdentity.Service"/>, and on the calls of a
/// <see cref="Grpc.CallIdentity.UserOrService"/> client that no user makes (event handlers, background work).
/// </summary>
public interface IServiceTokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken ct);
}

/// <summary>The OAuth2 client the service authenticates as when an authority issues tokens. Section: Auth.</summary>
public sealed class ServiceTokenOptions
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Scopes to ask for, space-separated; empty asks for the client's defaults.</summary>
    public string? Scope { get; set; }
}

/// <summary>Who the service is in its own tokens: subject <c>service:&lt;name&gt;</c>.</summary>
public sealed record ServiceTokenIdentity(string Subject);

public static class ServiceTokens
{
    /// <summary>How long a self-signed service token lives; it is renewed a minute before it ends.</summary>
    public static readonly TimeSpan SignedLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gives the service a token of its own: without <c>Auth:Authority</c> (development, tests) a short-lived
    /// HS256 token signed with <c>Auth:SigningKey</c> (subject <c>service:&lt;name&gt;</c>, role <c>service</c>,
    /// watershed <c>*</c>); with an authority, the OAuth2 client-credentials grant at the token endpoint its
    /// discovery document names, as <c>Auth:ClientId</c> / <c>Auth:ClientSecret</c> (the start fails without them).
    /// The authority must put the role and watershed claims in that client's tokens.
    /// </summary>
    public static IHostApplicationBuilder AddServiceToken(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddSingleton(new ServiceTokenIdentity($"service:{serviceName}"));
        builder.Services.AddOptions<ServiceTokenOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .Validate<IOptions<AuthOptions>>(
                (o, auth) => string.IsNullOrWhiteSpace(auth.Value.Authority)
                    || (!string.IsNullOrWhiteSpace(o.ClientId) && !string.IsNullOrWhiteSpace(o.ClientSecret)),
                "Auth:ClientId and Auth:ClientSecret are required when Auth:Authority is set: the service asks the authority for its own token (client credentials) for calls no user makes.")
            .ValidateOnStart();
        builder.Services.AddHttpClient(ClientCredentialsServiceTokenProvider.HttpClientName);
        builder.Services.AddSingleton<IServiceTokenProvider>(sp =>
            string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<AuthOptions>>().Value.Authority)
                ? ActivatorUtilities.CreateInstance<SignedServiceTokenProvider>(sp)
                : ActivatorUtilities.CreateInstance<ClientCredentialsServiceTokenProvider>(sp));
        return builder;
    }
}

/// <summary>Development and tests: the service signs its own token with the shared HS256 key the services accept.</summary>
public sealed class SignedServiceTokenProvider(IOptions<AuthOptions> auth, ServiceTokenIdentity identity, TimeProvider clock) : IServiceTokenProvider
{
    private readonly Lock _lock = new();
    private (string Token, DateTimeOffset RenewAt)? _current;

    public ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_current is not { } current || now >= current.RenewAt)
            {
                current = (Sign(now), now + ServiceTokens.SignedLifetime - TimeSpan.FromMinutes(1));
                _current = current;
            }

            return ValueTask.FromResult(current.Token);
        }
    }

    private string Sign(DateTimeOffset now)
    {
        var options = auth.Value;
        var key = new SymmetricSecurityKey(Convert.FromBase64String(options.SigningKey
            ?? throw new InvalidOperationException("Auth:SigningKey is required to sign the service's own token.")));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", identity.Subject),
                new Claim(WatershedClaims.Role, Roles.Service),
                new Claim(WatershedClaims.Watershed, "*"),
            ]),
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + ServiceTokens.SignedLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>
/// Production: the OAuth2 client-credentials grant (RFC 6749 §4.4) at the authority's token endpoint, found in
/// its OpenID discovery document. The token is kept until a minute before it expires.
/// </summary>
public sealed class ClientCredentialsServiceTokenProvider(
    IHttpClientFactory http,
    IOptions<AuthOptions> auth,
    IOptions<ServiceTokenOptions> options,
    TimeProvider clock) : IServiceTokenProvider
{
    public const string HttpClientName = "watershed-service-token";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Uri? _tokenEndpoint;
    private (string Token, DateTimeOffset RenewAt)? _current;

    public async ValueTask<string> GetTokenAsync(CancellationToken ct)
    {
        if (_current is { } current && clock.GetUtcNow() < current.RenewAt)
        {
            return current.Token;
        }

        await _refresh.WaitAsync(ct);
        try
        {
            if (_current is { } refreshed && clock.GetUtcNow() < refreshed.RenewAt)
            {
                return refreshed.Token;
            }

            var client = http.CreateClient(HttpClientName);
            _tokenEndpoint ??= await DiscoverAsync(client, ct);
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = options.Value.ClientId!,
                ["client_secret"] = options.Value.ClientSecret!,
            };
            if (!string.IsNullOrWhiteSpace(options.Value.Scope))
            {
                form["scope"] = options.Value.Scope;
            }

            var requestedAt = clock.GetUtcNow();
            using var response = await Send(() => client.PostAsync(_tokenEndpoint, new FormUrlEncodedContent(form), ct));
            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(ct);
            if (string.IsNullOrEmpty(token?.AccessToken))
            {
                throw new DependencyUnavailableException("identity-provider", "The token endpoint answered without an access token.");
            }

            var lifetime = TimeSpan.FromSeconds(token.ExpiresIn is > 0 ? token.ExpiresIn.Value : 60);
            var margin = lifetime > TimeSpan.FromMinutes(2) ? TimeSpan.FromMinutes(1) : lifetime / 2;
            _current = (token.AccessToken, requestedAt + lifetime - margin);
            return token.AccessToken;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<Uri> DiscoverAsync(HttpClient client, CancellationToken ct)
    {
        var authority = auth.Value.Authority!.TrimEnd('/');
        using var response = await Send(() => client.GetAsync(new Uri($"{authority}/.well-known/openid-configuration"), ct));
        var discovery = await response.Content.ReadFromJsonAsync<Discovery>(ct);
        return Uri.TryCreate(discovery?.TokenEndpoint, UriKind.Absolute, out var endpoint)
            ? endpoint
            : throw new DependencyUnavailableException("identity-provider", $"The discovery document of {authority} names no token endpoint.");
    }

    private static async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> send)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (HttpRequestException ex)
        {
            throw new DependencyUnavailableException("identity-provider", "The identity provider did not answer.", ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new DependencyUnavailableException("identity-provider", $"The identity provider answered HTTP {status}.");
        }

        return response;
    }

    private sealed record Discovery([property: JsonPropertyName("token_endpoint")] string? TokenEndpoint);

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn);
}
