using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Auth.Tests;
using Watershed.Testing;
using Watershed.Web;

namespace Watershed.Web.Tests;

/// <summary>
/// What the web app needs to run as several replicas behind a TLS-terminating gateway (Kubernetes): one key ring that
/// every replica reads and none writes, and the scheme the gateway forwards. No browser: the hosts themselves.
/// </summary>
public sealed class WebHostingTests : IDisposable
{
    private readonly string _keyRing = Directory.CreateTempSubdirectory("watershed-key-ring-").FullName;

    public void Dispose() => Directory.Delete(_keyRing, recursive: true);

    private static WebApplication Build(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "Watershed.Web",
            ContentRootPath = Path.Combine(ServiceProcess.RepositoryRoot(), "services", "Web"),
            EnvironmentName = "Production",
        });
        var all = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}",
            ["Web:Oidc:Authority"] = "http://127.0.0.1:9/",
            ["Web:Oidc:ClientSecret"] = "web-dev-secret",
            ["Web:Oidc:RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(all);
        builder.AddWebApp("web");
        var app = builder.Build();
        app.UseWebApp();
        return app;
    }

    private Dictionary<string, string?> WithKeyRing() => new() { ["Web:DataProtection:KeyRingPath"] = _keyRing };

    [Fact]
    public async Task Replicas_reading_one_key_ring_read_each_others_cookies_and_write_no_key_of_their_own()
    {
        var file = WebKeyRing.CreateKey(_keyRing, 30);
        await using var one = Build(WithKeyRing());
        await using var other = Build(WithKeyRing());

        // The session cookie's own protector (cookie authentication's purpose chain), through each replica's provider.
        const string purpose = "Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware";
        var written = one.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose, "Cookies", "v2").Protect("session of Rosa");
        var read = other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose, "Cookies", "v2").Unprotect(written);

        Assert.Equal("session of Rosa", read);
        Assert.Equal([file], Directory.GetFiles(_keyRing));
        var key = Assert.Single(other.Services.GetRequiredService<IKeyManager>().GetAllKeys());
        Assert.InRange(key.ExpirationDate - key.ActivationDate, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30.1));
    }

    [Fact]
    public void A_replica_with_a_configured_key_ring_and_no_key_valid_now_refuses_to_start()
    {
        var empty = Assert.Throws<InvalidOperationException>(() => Build(WithKeyRing()));
        Assert.Contains("holds no key valid now", empty.Message, StringComparison.Ordinal);

        // An expired key is no better: a replica would otherwise protect nothing, or mint keys the others cannot read.
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(WebKeyRing.ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(_keyRing)).DisableAutomaticKeyGeneration();
        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IKeyManager>().CreateNewKey(DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddDays(-1));
        }

        var expired = Assert.Throws<InvalidOperationException>(() => Build(WithKeyRing()));
        Assert.Contains("1 expired, revoked or not yet active", expired.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?> { ["Web:DataProtection:KeyRingPath"] = Path.Combine(_keyRing, "absent") }));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Web:Oidc:ClientSecret", "")]
    [InlineData("Web:Oidc:Authority", "")]
    [InlineData("Web:Oidc:Authority", "auth.watershed.example")]
    public void Without_its_provider_or_secret_the_web_app_refuses_to_start(string key, string value)
    {
        // appsettings.json holds neither: outside Development they come from the deployment (the secret from a Secret).
        var refused = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains("must be set", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "https")]
    [InlineData(false, "http")]
    public async Task Behind_the_gateway_sign_in_sends_people_back_to_the_scheme_the_gateway_forwarded(bool behindProxy, string scheme)
    {
        await using var provider = await Identity.StartAsync();
        var port = ServiceProcess.FreePort();
        var app = Build(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{port}",
            ["Web:Oidc:Authority"] = provider.Address.ToString(),
            ["Web:Oidc:RequireHttpsMetadata"] = "false",
            ["Web:BehindProxy"] = behindProxy ? "true" : "false",
        });
        await app.StartAsync();
        try
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/signin");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
            Assert.Equal($"{scheme}://127.0.0.1:{port}/signin-oidc", query["redirect_uri"]);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
