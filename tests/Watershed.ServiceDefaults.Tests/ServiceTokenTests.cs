using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Watershed.ServiceDefaults.Security;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>The service's own token: self-signed without an authority, client credentials with one, refused at start when half-configured.</summary>
public sealed class ServiceTokenTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings, TimeProvider clock)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section));
        builder.Services.AddSingleton(clock);
        builder.AddServiceToken("probe");
        return builder.Services.BuildServiceProvider();
    }

    [Fact]
    public async Task Without_an_authority_the_service_signs_a_short_lived_token_the_services_accept_and_renews_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = Services(new()
        {
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
        }, clock);
        var provider = services.GetRequiredService<IServiceTokenProvider>();

        var token = await provider.GetTokenAsync(CancellationToken.None);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = TestTokens.Issuer,
            ValidAudience = TestTokens.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(TestTokens.SigningKey)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("service:probe", jwt.Subject);
        Assert.Equal(["service"], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.Equal(["*"], jwt.Claims.Where(c => c.Type == "watershed").Select(c => c.Value));
        Assert.Equal(TimeSpan.FromMinutes(5), jwt.ValidTo - jwt.ValidFrom);

        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(token, await provider.GetTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotEqual(token, await provider.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task With_an_authority_the_service_uses_client_credentials_at_the_discovered_token_endpoint_and_keeps_the_token()
    {
        var grants = new ConcurrentQueue<IFormCollection>();
        var server = WebApplication.CreateBuilder();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        await using var idp = server.Build();
        idp.MapGet("/realms/watershed/.well-known/openid-configuration", (HttpContext http) =>
            Results.Json(new Dictionary<string, string> { ["token_endpoint"] = $"{http.Request.Scheme}://{http.Request.Host}/realms/watershed/token" }));
        idp.MapPost("/realms/watershed/token", async (HttpContext http) =>
        {
            grants.Enqueue(await http.Request.ReadFormAsync());
            return Results.Json(new Dictionary<string, object> { ["access_token"] = $"issued-{grants.Count}", ["expires_in"] = 300, ["token_type"] = "Bearer" });
        });
        await idp.StartAsync();

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = Services(new()
        {
            ["Auth:Authority"] = $"{idp.Urls.First()}/realms/watershed",
            ["Auth:Issuer"] = "x",
            ["Auth:Audience"] = "watershed",
            ["Auth:ClientId"] = "notifications",
            ["Auth:ClientSecret"] = "s3cret",
        }, clock);
        var provider = services.GetRequiredService<IServiceTokenProvider>();

        Assert.Equal("issued-1", await provider.GetTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal("issued-1", await provider.GetTokenAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal("issued-2", await provider.GetTokenAsync(CancellationToken.None));

        var grant = grants.First();
        Assert.Equal(("client_credentials", "notifications", "s3cret"), (grant["grant_type"].ToString(), grant["client_id"].ToString(), grant["client_secret"].ToString()));
        await idp.StopAsync();
    }

    [Fact]
    public void With_an_authority_and_no_client_the_start_fails_naming_the_settings()
    {
        using var services = Services(new()
        {
            ["Auth:Authority"] = "https://idp.example/realms/watershed",
            ["Auth:Issuer"] = "x",
            ["Auth:Audience"] = "watershed",
            ["Auth:ClientId"] = "notifications",
        }, TimeProvider.System);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ServiceTokenOptions>>().Value);
        Assert.Contains("Auth:ClientId and Auth:ClientSecret are required when Auth:Authority is set", failure.Message, StringComparison.Ordinal);
    }
}
