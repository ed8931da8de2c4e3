using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Watershed.ServiceDefaults.Security;

/// <summary>
/// How bearer tokens are validated. In production an OIDC authority (e.g. a Keycloak realm) signs tokens (RS256) and
/// its keys are fetched from its discovery document and JWKS; in Development (and the test host) a shared HS256 key may
/// sign them instead (scripts/dev-token.sh mints such tokens). Section: Auth.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>OIDC authority URL; when set, keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    /// <summary>The issuer (<c>iss</c>) tokens must carry; required.</summary>
    public string Issuer { get; set; } = string.Empty;

    /// <summary>The audience (<c>aud</c>) tokens must carry; required.</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>Base64 HS256 key of at least 32 bytes, for Development only; used only when no Authority is set.</summary>
    public string? SigningKey { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How often the authority's discovery document and keys are read again (a retired key stops passing then): 5 minutes to 1 day.</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A token naming a key the service has not seen (the authority rotated its keys) makes it read the keys at once,
    /// but at most once in this gap, so unknown keys cannot make it hammer the authority: 1 second to 1 hour.
    /// </summary>
    public TimeSpan KeyRefreshMinimumGap { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>The development signing key: what scripts/dev-token.sh, the demo loader and appsettings.Development.json use.</summary>
public static class DevelopmentKeys
{
    /// <summary>Public in the repository, so it proves nothing: refused outside Development even when set by hand.</summary>
    public const string SigningKey = "d2F0ZXJzaGVkLWxvY2FsLWRldmVsb3BtZW50LWtleS1ub3QtYS1zZWNyZXQ=";

    /// <summary>The environment the test host runs in; like Development it may use an HS256 key (its own, never the development one).</summary>
    public const string TestingEnvironment = "Testing";
}

/// <summary>
/// The rules of <see cref="AuthOptions"/> that depend on where the service runs: an HS256 key of any kind only in
/// Development (and the test host's Testing environment); the public development key only in Development; everywhere
/// else an authority, and no HS256 key beside it.
/// </summary>
public sealed class AuthOptionsValidation(IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var development = environment.IsDevelopment();
        var symmetricAllowed = development || environment.IsEnvironment(DevelopmentKeys.TestingEnvironment);
        var hasKey = !string.IsNullOrWhiteSpace(options.SigningKey);
        var hasAuthority = !string.IsNullOrWhiteSpace(options.Authority);

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add("Auth:Issuer (the issuer tokens must carry) is required.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Auth:Audience (the audience tokens must carry) is required.");
        }

        if (options.KeyRefreshInterval < TimeSpan.FromMinutes(5) || options.KeyRefreshInterval > TimeSpan.FromDays(1))
        {
            failures.Add("Auth:KeyRefreshInterval must be between 00:05:00 and 1.00:00:00.");
        }

        if (options.KeyRefreshMinimumGap < TimeSpan.FromSeconds(1) || options.KeyRefreshMinimumGap > TimeSpan.FromHours(1))
        {
            failures.Add("Auth:KeyRefreshMinimumGap must be between 00:00:01 and 01:00:00.");
        }

        if (hasAuthority && (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
            || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add("Auth:Authority must be an absolute http(s) URL such as https://auth.example/realms/watershed.");
        }

        if (hasKey && !symmetricAllowed)
        {
            failures.Add($"Auth:SigningKey is set in the {environment.EnvironmentName} environment: HS256 keys are for Development only; configure Auth:Authority (an OIDC authority such as a Keycloak realm) and remove Auth:SigningKey.");
        }
        else if (hasKey && !development && string.Equals(options.SigningKey!.Trim(), DevelopmentKeys.SigningKey, StringComparison.Ordinal))
        {
            failures.Add($"Auth:SigningKey is the public development key, refused in the {environment.EnvironmentName} environment.");
        }
        else if (!hasAuthority && !hasKey)
        {
            failures.Add(symmetricAllowed
                ? "Auth:Authority (an OIDC authority) or, in Development only, Auth:SigningKey (base64, at least 32 bytes) is required."
                : $"Auth:Authority is required in the {environment.EnvironmentName} environment: tokens are validated against an OIDC authority (e.g. https://auth.example/realms/watershed).");
        }
        else if (hasKey && !hasAuthority && !IsKeyOfAtLeast32Bytes(options.SigningKey!))
        {
            failures.Add("Auth:SigningKey must be base64 of at least 32 bytes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKeyOfAtLeast32Bytes(string key)
    {
        var bytes = new byte[key.Length];
        return Convert.TryFromBase64String(key, bytes, out var written) && written >= 32;
    }
}
