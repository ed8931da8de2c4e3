using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Watershed.Consultation.V1;
using Watershed.Indicators.V1;
using Watershed.LandUse.V1;
using Watershed.Notifications.V1;
using Watershed.ServiceDefaults;
using Watershed.ServiceDefaults.Grpc;
using Watershed.ServiceDefaults.Security;

namespace Watershed.Web;

/// <summary>How the web app signs people in. Section: Web:Oidc. Locally the development provider; in production Keycloak.</summary>
public sealed class WebOidcOptions
{
    public const string Section = "Web:Oidc";

    /// <summary>The OpenID provider (a Keycloak realm's URL in production; appsettings.Development.json: the local one).</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "web";

    /// <summary>The web app's secret at the provider (Kubernetes: the Secret web-identity; never in appsettings.json).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>False only for a provider on loopback HTTP (development and tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

/// <summary>Section Web (the web app's own settings besides sign-in and the key ring).</summary>
public sealed class WebProxyOptions
{
    public const string Section = "Web";

    /// <summary>
    /// True where a gateway or ingress controller terminates TLS and forwards the request (Kubernetes): the scheme and
    /// client address come from its X-Forwarded-Proto and X-Forwarded-For, so sign-in sends people back to https://.
    /// Only for a pod that nothing but the gateway can reach (the network policies see to it): any sender's headers are
    /// believed.
    /// </summary>
    public bool BehindProxy { get; set; }
}

public static class WebHosting
{
    /// <summary>The languages offered; the first is the default.</summary>
    public static readonly string[] Languages = ["es", "qu", "en"];

    /// <summary>
    /// The web app's services. <paramref name="appId"/> is its Dapr app id (the deployment's and dapr.yaml's; it calls
    /// the services through its sidecar where Services:&lt;name&gt;:DaprAppId is set) and names its telemetry
    /// (watershed-&lt;app id&gt;).
    /// </summary>
    public static WebApplicationBuilder AddWebApp(this WebApplicationBuilder builder, string appId)
    {
        builder.AddTelemetry($"watershed-{appId}");
        // Drain in-flight requests on SIGTERM within the pod's grace period, as the services do.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        var keyRing = builder.Configuration.GetSection(WebKeyRingOptions.Section).Get<WebKeyRingOptions>() ?? new WebKeyRingOptions();
        WebKeyRing.Configure(builder.Services, keyRing);
        builder.Services.AddSingleton(keyRing);
        if (builder.Configuration.GetSection(WebProxyOptions.Section).Get<WebProxyOptions>()?.BehindProxy == true)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.ForwardLimit = 1;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
            });
        }

        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = Languages.Select(l => new CultureInfo(l)).ToList();
            o.DefaultRequestCulture = new RequestCulture("es");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            // Only the visitor's own choice (the cookie) changes the language: Spanish first, whatever the browser says.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Console");
            o.Conventions.AuthorizeFolder("/Member");
            o.Conventions.AuthorizeFolder("/Planner");
            o.Conventions.AuthorizeFolder("/Preferences");
            o.Conventions.AuthorizeFolder("/Analyst");
        }).AddViewLocalization();

        var oidc = builder.Configuration.GetSection(WebOidcOptions.Section).Get<WebOidcOptions>() ?? new WebOidcOptions();
        if (!Uri.TryCreate(oidc.Authority, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(oidc.ClientId) || string.IsNullOrWhiteSpace(oidc.ClientSecret))
        {
            throw new InvalidOperationException("Web:Oidc:Authority (an absolute URL), Web:Oidc:ClientId and Web:Oidc:ClientSecret must be set: the web app signs people in at that provider.");
        }

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "watershed.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = false;
            })
            .AddOpenIdConnect(o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = "role";
                // The provider lists this site's home page as where it may send people after signing out.
                o.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    var request = context.Request;
                    context.ProtocolMessage.PostLogoutRedirectUri = $"{request.Scheme}://{request.Host}{request.PathBase}/";
                    return Task.CompletedTask;
                };
            });
        builder.Services.AddAuthorization();

        // The web app calls the services only as the signed-in person (their access token, WebBackend); it has no
        // identity of its own to fall back on, so a call without a person fails instead of reading as a service.
        builder.Services.AddSingleton<IServiceTokenProvider, NoServiceToken>();
        builder.AddServiceClient<StakeholderService.StakeholderServiceClient>("consultation", CallIdentity.Service);
        builder.AddServiceClient<SpaceService.SpaceServiceClient>("consultation", CallIdentity.Service);
        builder.AddServiceClient<AssemblyService.AssemblyServiceClient>("consultation", CallIdentity.Service);
        builder.AddServiceClient<ProposalService.ProposalServiceClient>("consultation", CallIdentity.Service);
        builder.AddServiceClient<WatershedUnitService.WatershedUnitServiceClient>("landuse", CallIdentity.Service);
        builder.AddServiceClient<PlanService.PlanServiceClient>("landuse", CallIdentity.Service);
        builder.AddServiceClient<PreferenceService.PreferenceServiceClient>("notifications", CallIdentity.Service);
        builder.AddServiceClient<DeliveryService.DeliveryServiceClient>("notifications", CallIdentity.Service);
        builder.AddServiceClient<AreaService.AreaServiceClient>("indicators", CallIdentity.Service);
        builder.AddServiceClient<IndicatorService.IndicatorServiceClient>("indicators", CallIdentity.Service);
        builder.AddServiceClient<AggregateService.AggregateServiceClient>("indicators", CallIdentity.Service);
        builder.AddServiceClient<AlertService.AlertServiceClient>("indicators", CallIdentity.Service);
        builder.AddServiceClient<SurveyService.SurveyServiceClient>("indicators", CallIdentity.Service);
        builder.AddServiceClient<PlanTrackingService.PlanTrackingServiceClient>("indicators", CallIdentity.Service);
        builder.Services.AddScoped<WebBackend>();
        return builder;
    }

    public static WebApplication UseWebApp(this WebApplication app)
    {
        WebKeyRing.RequireUsableKey(app.Services, app.Services.GetRequiredService<WebKeyRingOptions>());
        if (app.Configuration.GetSection(WebProxyOptions.Section).Get<WebProxyOptions>()?.BehindProxy == true)
        {
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler("/Error");
        app.UseStatusCodePagesWithReExecute("/Error", "?code={0}");
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        // Every form post (language, sign-out, the console's entries) carries the page's anti-forgery token.
        app.UseAntiforgery();
        app.MapRazorPages();

        app.MapGet("/signin", (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOrHome(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapPost("/signout", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]))
            .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute());
        app.MapPost("/language", (HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] string? lang, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl) =>
        {
            var chosen = Languages.Contains(lang) ? lang! : Languages[0];
            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
            return Results.LocalRedirect(LocalOrHome(returnUrl));
        });
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }

    /// <summary>Only a path of this site; anything else (another host, "//x") goes home.</summary>
    public static string LocalOrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";

    private sealed class NoServiceToken : IServiceTokenProvider
    {
        public ValueTask<string> GetTokenAsync(CancellationToken ct) =>
            throw new RpcException(new Status(StatusCode.Unauthenticated, "The web app calls the services only for a signed-in person."));
    }
}
