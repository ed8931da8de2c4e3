using System.Security.Cryptography;
using System.Text;

namespace Watershed.DevIdentity;

/// <summary>Configuration of the development provider. Section: DevIdentity.</summary>
public sealed class DevIdentityOptions
{
    public const string Section = "DevIdentity";

    /// <summary>Where it listens (HTTP/1.1); a loopback address only.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5100";

    /// <summary>The issuer in its tokens and discovery document; empty means its own base address (http://127.0.0.1:5100/).</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience (<c>aud</c>) of every access token: what the services require as <c>Auth:Audience</c>.</summary>
    public string Audience { get; set; } = "watershed";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The one password of every development account.</summary>
    public string Password { get; set; } = "watershed";

    /// <summary>Watershed codes for which the per-watershed accounts are made (facilitator.pomacanchi, …); default pomacanchi and cachora.</summary>
    // Lists default to null and are filled in by their readers: the configuration binder appends to a list it finds.
    public List<string>? Watersheds { get; set; }

    /// <summary>Accounts added to (or replacing, by user name) the generated ones.</summary>
    public Dictionary<string, DevAccount> Accounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Client secret of each service identity (client credentials); unset ones are "&lt;client&gt;-dev-secret".</summary>
    public Dictionary<string, string> ClientSecrets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Where the web client may be sent back with a code (its redirect URIs); default http://127.0.0.1:5200/signin-oidc.</summary>
    public List<string>? WebRedirectUris { get; set; }

    /// <summary>Redirect URIs of the public client scripts use (code flow with PKCE; the code is read from the redirect, never followed).</summary>
    public List<string>? CliRedirectUris { get; set; }

    public IReadOnlyList<string> EffectiveWatersheds => Watersheds is { Count: > 0 } w ? w : ["pomacanchi", "cachora"];

    public IReadOnlyList<string> EffectiveWebRedirectUris => WebRedirectUris is { Count: > 0 } w ? w : ["http://127.0.0.1:5200/signin-oidc"];

    public IReadOnlyList<string> EffectiveCliRedirectUris => CliRedirectUris is { Count: > 0 } c ? c : ["http://127.0.0.1/callback"];

    /// <summary>The service identities: each a confidential client allowed the client-credentials grant.</summary>
    public static readonly string[] ServiceClients = ["consultation", "landuse", "indicators", "notifications", "web"];

    /// <summary>The public client for scripts and tools (code flow with PKCE, no secret).</summary>
    public const string CliClient = "cli";

    /// <summary>Roles the generated accounts have, one account per role and watershed.</summary>
    public static readonly string[] WatershedRoles = ["facilitator", "member", "viewer", "analyst"];

    public string SecretOf(string client) =>
        ClientSecrets.TryGetValue(client, out var secret) && !string.IsNullOrEmpty(secret) ? secret : $"{client}-dev-secret";

    /// <summary>
    /// Every account: <c>admin</c> (all watersheds), one per role and watershed (<c>facilitator.pomacanchi</c>,
    /// <c>member.cachora</c>, …; members carry a person_id derived from their user name), then the configured ones.
    /// </summary>
    public IReadOnlyDictionary<string, DevAccount> AllAccounts()
    {
        var accounts = new Dictionary<string, DevAccount>(StringComparer.Ordinal)
        {
            ["admin"] = new() { Roles = ["admin"], Watersheds = ["*"] },
        };
        foreach (var watershed in EffectiveWatersheds)
        {
            foreach (var role in WatershedRoles)
            {
                var name = $"{role}.{watershed}";
                accounts[name] = new DevAccount
                {
                    Roles = [role],
                    Watersheds = [watershed],
                    PersonId = role == "member" ? DerivedPersonId(name) : null,
                };
            }
        }

        lock (Accounts)
        {
            foreach (var (name, account) in Accounts)
            {
                accounts[name] = account;
            }
        }

        return accounts;
    }

    /// <summary>
    /// Adds or replaces an account while the provider runs (POST /dev/accounts/{name}): what an administrator does in
    /// Keycloak when a person registered in consultation gets a login, their user carrying the person's id.
    /// </summary>
    public void PutAccount(string name, DevAccount account)
    {
        lock (Accounts)
        {
            Accounts[name] = account;
        }
    }

    /// <summary>A stable UUID from the user name, so a development member keeps its person_id across restarts.</summary>
    public static Guid DerivedPersonId(string userName)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("watershed-dev-person:" + userName))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>A development account: what its tokens say about it.</summary>
public sealed class DevAccount
{
    public List<string> Roles { get; set; } = [];

    public List<string> Watersheds { get; set; } = [];

    /// <summary>The person in consultation this account is (members), carried as the person_id claim.</summary>
    public Guid? PersonId { get; set; }
}
