using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Watershed.DevIdentity;

/// <summary>
/// What this provider decides itself (OpenIddict handles the protocol): who signs in, and which claims each token
/// carries — the ones the services read: <c>sub</c>, <c>role</c>, one <c>watershed</c> per code (<c>*</c> for all),
/// <c>person_id</c> for members, and the audience.
/// </summary>
public static partial class DevIdentityEndpoints
{
    /// <summary>Claim names the services read beyond the registered ones.</summary>
    public const string WatershedClaim = "watershed";

    public const string PersonIdClaim = "person_id";

    /// <summary>What a service's own identity is called in its tokens: <c>service:&lt;client&gt;</c>, role <c>service</c>, every watershed.</summary>
    public const string ServiceRole = "service";

    public static WebApplication MapDevIdentityEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/signin", SignInPage);
        app.MapPost("/signin", SignInAsync);
        app.MapGet("/connect/authorize", AuthorizeAsync);
        app.MapPost("/connect/authorize", AuthorizeAsync);
        app.MapPost("/connect/token", TokenAsync);
        app.MapGet("/connect/endsession", EndSessionAsync);
        app.MapPost("/connect/endsession", EndSessionAsync);
        app.MapGet("/dev/accounts", (IOptions<DevIdentityOptions> options) =>
            Results.Json(options.Value.AllAccounts().ToDictionary(a => a.Key, a => new { roles = a.Value.Roles, watersheds = a.Value.Watersheds, person_id = a.Value.PersonId })));
        // Development only: an account for a person registered in consultation (roles, watersheds, person_id), so the
        // person can sign in as themself; what an administrator does in Keycloak.
        app.MapPost("/dev/accounts/{name}", (string name, DevAccount account, IOptions<DevIdentityOptions> options) =>
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9._-]{0,63}$") || name == "admin"
                || account.Roles.Count == 0 || account.Watersheds.Count == 0)
            {
                return Results.BadRequest(new { error = "name: 1-64 of a-z 0-9 . _ - (not admin); roles and watersheds: at least one each" });
            }

            options.Value.PutAccount(name, account);
            return Results.Json(new { name, roles = account.Roles, watersheds = account.Watersheds, person_id = account.PersonId });
        });
        app.MapPost("/dev/keys/rotate", (SigningKeys keys, ILogger<SigningKeys> logger) =>
        {
            var key = keys.Rotate();
            LogRotated(logger, key.KeyId);
            return Results.Json(new { signing_kid = key.KeyId, published = keys.Published.Select(k => k.KeyId) });
        });
        app.MapPost("/dev/keys/retire", (SigningKeys keys, ILogger<SigningKeys> logger) =>
        {
            var retired = keys.RetireAllButNewest();
            LogRetired(logger, string.Join(", ", retired));
            return Results.Json(new { retired, published = keys.Published.Select(k => k.KeyId) });
        });
        return app;
    }

    private static IResult SignInPage(HttpContext http, IOptions<DevIdentityOptions> options, string? returnUrl, string? error)
    {
        var encode = HtmlEncoder.Default;
        var accounts = string.Join("\n", options.Value.AllAccounts().Select(a =>
            $"<li><code>{encode.Encode(a.Key)}</code>: {encode.Encode(string.Join(", ", a.Value.Roles))} in {encode.Encode(string.Join(", ", a.Value.Watersheds))}</li>"));
        var message = error is null ? string.Empty : "<p role=\"alert\">Unknown account or wrong password.</p>";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Watershed development sign-in</title></head>
            <body>
            <main>
            <h1>Watershed development sign-in</h1>
            <p>Development only: every account's password is the one in DevIdentity:Password (default <code>watershed</code>).</p>
            {message}
            <form method="post" action="/signin">
              <input type="hidden" name="returnUrl" value="{encode.Encode(returnUrl ?? "/")}">
              <p><label for="username">Account</label> <input id="username" name="username" autocomplete="username" required></p>
              <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button type="submit">Sign in</button></p>
            </form>
            <h2>Accounts</h2>
            <ul>
            {accounts}
            </ul>
            </main>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IOptions<DevIdentityOptions> options, ILogger<DevIdentityHost> logger)
    {
        var form = await http.Request.ReadFormAsync();
        var username = form["username"].ToString();
        var returnUrl = form["returnUrl"].ToString();
        if (!IsLocal(returnUrl))
        {
            returnUrl = "/";
        }

        if (!options.Value.AllAccounts().ContainsKey(username)
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(form["password"].ToString()), System.Text.Encoding.UTF8.GetBytes(options.Value.Password)))
        {
            LogSignInRefused(logger);
            return Results.Redirect($"/signin?error=1&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, username)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        LogSignedIn(logger, username);
        return Results.Redirect(returnUrl);
    }

    /// <summary>The authorization endpoint (code flow): a signed-in account gets a code; anyone else the sign-in page first.</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext http, IOptions<DevIdentityOptions> options)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var account = session.Succeeded && session.Principal.Identity?.Name is { } name && options.Value.AllAccounts().TryGetValue(name, out var found)
            ? (Name: name, Account: found)
            : default;
        if (account.Account is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "Nobody is signed in.");
            }

            var back = http.Request.PathBase + http.Request.Path + QueryString.Create(
                http.Request.HasFormContentType ? (await http.Request.ReadFormAsync()).ToList() : [.. http.Request.Query]);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = back }, [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        var identity = PersonIdentity(account.Name, account.Account, options.Value);
        identity.SetScopes(request.GetScopes());
        return SignIn(identity);
    }

    /// <summary>The token endpoint: client credentials for the services' own identities; codes and refresh tokens for people.</summary>
    private static async Task<IResult> TokenAsync(HttpContext http, IOptions<DevIdentityOptions> options, ILogger<DevIdentityHost> logger)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has checked the client's secret and its permission for this grant.
            var identity = NewIdentity();
            identity.SetClaim(Claims.Subject, $"service:{request.ClientId}");
            identity.SetClaim(Claims.Name, $"service:{request.ClientId}");
            identity.SetClaims(Claims.Role, [ServiceRole]);
            identity.SetClaims(WatershedClaim, ["*"]);
            identity.SetResources(options.Value.Audience);
            identity.SetScopes(request.GetScopes());
            SetDestinations(identity);
            LogIssued(logger, $"service:{request.ClientId}", request.ClientId ?? string.Empty, request.GrantType ?? string.Empty);
            return SignIn(identity);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token names the account; its claims are read again, as they stand now.
            var grant = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var name = grant.Principal?.GetClaim(Claims.Subject);
            if (name is null || !options.Value.AllAccounts().TryGetValue(name, out var account))
            {
                return Refuse(Errors.InvalidGrant, "The account no longer exists.");
            }

            var identity = PersonIdentity(name, account, options.Value);
            identity.SetScopes(grant.Principal!.GetScopes());
            LogIssued(logger, name, request.ClientId ?? string.Empty, request.GrantType ?? string.Empty);
            return SignIn(identity);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http, ILogger<DevIdentityHost> logger)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        LogSignedOut(logger);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static ClaimsIdentity PersonIdentity(string name, DevAccount account, DevIdentityOptions options)
    {
        var identity = NewIdentity();
        identity.SetClaim(Claims.Subject, name);
        identity.SetClaim(Claims.Name, name);
        identity.SetClaims(Claims.Role, [.. account.Roles]);
        identity.SetClaims(WatershedClaim, [.. account.Watersheds]);
        if (account.PersonId is { } person)
        {
            identity.SetClaim(PersonIdClaim, person.ToString());
        }

        identity.SetResources(options.Audience);
        SetDestinations(identity);
        return identity;
    }

    private static ClaimsIdentity NewIdentity() =>
        new(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);

    // Every claim goes into the access token (the services read it) and the identity token (the web app shows it).
    private static void SetDestinations(ClaimsIdentity identity) =>
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);

    private static IResult SignIn(ClaimsIdentity identity) =>
        Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed in {Account}")]
    private static partial void LogSignedIn(ILogger logger, string account);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed out")]
    private static partial void LogSignedOut(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: unknown account or wrong password")]
    private static partial void LogSignInRefused(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issued tokens for {Subject} to client {ClientId} ({GrantType})")]
    private static partial void LogIssued(ILogger logger, string subject, string clientId, string grantType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key rotated: {KeyId} signs now; older keys stay published")]
    private static partial void LogRotated(ILogger logger, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing keys retired: {KeyIds}")]
    private static partial void LogRetired(ILogger logger, string keyIds);
}
