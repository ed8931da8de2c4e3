using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Watershed.DevIdentity;

/// <summary>
/// The development provider as a started web application. Program runs it; tests start it in-process on a port of
/// their choosing (0 for any) and read back where it listens.
/// </summary>
public sealed class DevIdentityHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SqliteConnection _store;

    private DevIdentityHost(WebApplication app, SqliteConnection store, Uri address)
    {
        _app = app;
        _store = store;
        Address = address;
    }

    /// <summary>Its base address; the issuer is this with a trailing slash unless DevIdentity:Issuer says otherwise.</summary>
    public Uri Address { get; }

    /// <summary>The issuer its tokens carry (what the services need as Auth:Issuer).</summary>
    public string Issuer => _app.Services.GetRequiredService<IOptions<DevIdentityOptions>>().Value.Issuer is { Length: > 0 } issuer
        ? issuer
        : Address.AbsoluteUri;

    /// <summary>Its signing keys: rotate and retire them as a real provider would (tests, /dev/keys).</summary>
    public SigningKeys Keys => _app.Services.GetRequiredService<SigningKeys>();

    /// <param name="args">Command-line configuration, as for any ASP.NET Core host.</param>
    /// <param name="settings">Configuration that overrides every other source (tests).</param>
    public static async Task<DevIdentityHost> StartAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);

        var section = builder.Configuration.GetSection(DevIdentityOptions.Section);
        var configured = section.Get<DevIdentityOptions>() ?? new DevIdentityOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Only DevIdentity:Url: a Kestrel section beside it (a service's appsettings.json in a test's output) is not ours.
            kestrel.Configure(new ConfigurationBuilder().Build());
            kestrel.Listen(LoopbackEndPoint(configured.Url), listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
        });
        builder.Services.AddOptions<DevIdentityOptions>().Bind(section);
        builder.Services.AddSingleton(TimeProvider.System);

        // The client and token stores are OpenIddict's own, on an in-memory SQLite database that lives with this host.
        var store = new SqliteConnection($"Data Source=devidentity-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");
        await store.OpenAsync();
        builder.Services.AddDbContext<DevIdentityDbContext>(options =>
        {
            options.UseSqlite(store.ConnectionString);
            options.UseOpenIddict();
        });

        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/signin";
                cookie.Cookie.Name = "watershed-devidentity";
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        builder.Services.AddAuthorization();

        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, SigningKeysConfiguration>();
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<DevIdentityDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowClientCredentialsFlow()
                    .AllowRefreshTokenFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess);
                server.SetAccessTokenLifetime(configured.AccessTokenLifetime);
                if (!string.IsNullOrWhiteSpace(configured.Issuer))
                {
                    server.SetIssuer(new Uri(configured.Issuer));
                }

                // Access tokens are plain signed JWTs (RS256), as Keycloak issues them: the services validate them with
                // the JWKS. Codes and refresh tokens stay encrypted, readable by this provider only.
                server.DisableAccessTokenEncryption();
                server.AddEncryptionKey(new SymmetricSecurityKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Loopback HTTP only (the listener refuses anything else); a real provider is reached over TLS.
                    .DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDevIdentityEndpoints();
        try
        {
            await ClientRegistration.RegisterAsync(app.Services);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await store.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DevIdentityHost(app, store, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    /// <summary>Only a loopback address: this provider signs tokens for anyone who asks with a development password.</summary>
    private static IPEndPoint LoopbackEndPoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp
            || !IPAddress.TryParse(uri.Host, out var ip) || !IPAddress.IsLoopback(ip))
        {
            throw new OptionsValidationException(DevIdentityOptions.Section, typeof(DevIdentityOptions),
                [$"DevIdentity:Url must be http:// on a loopback address such as http://127.0.0.1:5100 (it was '{url}'): the development provider is never exposed."]);
        }

        return new IPEndPoint(ip, uri.Port);
    }
}

/// <summary>OpenIddict's tables (applications, authorizations, scopes, tokens) and nothing else.</summary>
public sealed class DevIdentityDbContext(DbContextOptions<DevIdentityDbContext> options) : DbContext(options);
