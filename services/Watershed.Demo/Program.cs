using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Watershed.Demo;

// Loads the connected Pomacanchi demo into a running local system (scripts/run-local.sh calls it once every service
// answers health). Tokens are development tokens signed with the development key, as scripts/dev-token.sh makes them,
// or, with --identity, access tokens of the development OpenID provider's accounts (admin, facilitator.pomacanchi) got
// through its code flow, as scripts/dev-oidc-token.sh gets them (scripts/run-local.sh --oidc).
//   Watershed.Demo [--consultation URL] [--landuse URL] [--indicators URL] [--notifications URL] [--state FILE] [--identity URL]
var options = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["consultation"] = "http://127.0.0.1:5101",
    ["landuse"] = "http://127.0.0.1:5102",
    ["indicators"] = "http://127.0.0.1:5103",
    ["notifications"] = "http://127.0.0.1:5104",
    ["state"] = ".local/demo.json",
    ["identity"] = string.Empty,
};
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || !options.ContainsKey(args[i][2..]))
    {
        Console.Error.WriteLine($"unknown option {args[i]}; expected --consultation, --landuse, --indicators, --notifications, --state or --identity");
        return 2;
    }

    options[args[i][2..]] = args[i + 1];
}

var key = Convert.FromBase64String(Environment.GetEnvironmentVariable("WATERSHED_DEV_SIGNING_KEY") is { Length: > 0 } given
    ? given
    : "d2F0ZXJzaGVkLWxvY2FsLWRldmVsb3BtZW50LWtleS1ub3QtYS1zZWNyZXQ=");
var endpoints = new DemoEndpoints(new(options["consultation"]), new(options["landuse"]), new(options["indicators"]), new(options["notifications"]));
Func<string, string, string> token = (role, watershed) => DevToken.Create(key, role, watershed);
if (options["identity"].Length > 0)
{
    // The demo acts as the provider's admin and as Pomacanchi's facilitator.
    var identity = new Uri(options["identity"].TrimEnd('/') + "/");
    var issued = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (var account in new[] { "admin", "facilitator.pomacanchi" })
    {
        issued[account] = await DevIdentityToken.SignInAsync(identity, account);
    }

    token = (role, watershed) => issued[role == "admin" ? "admin" : $"{role}.{watershed}"];
}

var demo = new PomacanchiDemo(endpoints, token, line => Console.WriteLine("  demo: " + line));

if (await demo.IsLoadedAsync(CancellationToken.None))
{
    Console.WriteLine(File.Exists(options["state"])
        ? "  demo: Pomacanchi is loaded already (" + options["state"] + "); remove .local/ to start again"
        : "  demo: a watershed 'pomacanchi' exists already; nothing loaded");
    return 0;
}

try
{
    var result = await demo.LoadAsync(CancellationToken.None);
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options["state"]))!);
    await File.WriteAllTextAsync(options["state"], JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"  demo: loaded; ids in {options["state"]}");
    return 0;
}
catch (Grpc.Core.RpcException ex)
{
    Console.Error.WriteLine($"  demo: a call failed: {ex.Status.StatusCode} {ex.Status.Detail}");
    return 1;
}

/// <summary>An HS256 development token with the claims the services read (role, watershed), as scripts/dev-token.sh makes.</summary>
internal static class DevToken
{
    public static string Create(byte[] key, string role, string watershed)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = $"demo-{role}", ["role"] = role, ["watershed"] = watershed, ["iss"] = "watershed-dev", ["aud"] = "watershed",
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
        }));
        var signature = Base64Url(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// An access token of a development account through the development provider's code flow with PKCE (public client
/// "cli"), as scripts/dev-oidc-token.sh gets one: authorize, sign in on its page, read the code from the redirect, redeem.
/// </summary>
internal static class DevIdentityToken
{
    private const string Redirect = "http://127.0.0.1/callback";

    public static async Task<string> SignInAsync(Uri provider, string account)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = provider };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"connect/authorize?client_id=cli&response_type=code&scope=openid%20profile&redirect_uri={Uri.EscapeDataString(Redirect)}&code_challenge={challenge}&code_challenge_method=S256&state=demo";
        (await http.GetAsync(new Uri(authorize, UriKind.Relative))).Dispose();
        (await http.PostAsync(new Uri("signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = account, ["password"] = Environment.GetEnvironmentVariable("WATERSHED_DEV_PASSWORD") ?? "watershed", ["returnUrl"] = "/" + authorize,
        }))).Dispose();
        using var redirect = await http.GetAsync(new Uri(authorize, UriKind.Relative));
        var code = redirect.Headers.Location is { } location && location.AbsoluteUri.StartsWith(Redirect, StringComparison.Ordinal)
            ? System.Web.HttpUtility.ParseQueryString(location.Query)["code"]
            : null;
        if (code is null)
        {
            throw new InvalidOperationException($"The development provider at {provider} gave no code for '{account}'.");
        }

        using var response = await http.PostAsync(new Uri("connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = "cli", ["code"] = code, ["code_verifier"] = verifier, ["redirect_uri"] = Redirect,
        }));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
