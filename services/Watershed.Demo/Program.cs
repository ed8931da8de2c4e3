using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Watershed.Demo;

// Loads the connected Pomacanchi demo into a running local system (scripts/run-local.sh calls it once every service
// answers health). Tokens are development tokens signed with the development key, as scripts/dev-token.sh makes them.
//   Watershed.Demo [--consultation URL] [--landuse URL] [--indicators URL] [--notifications URL] [--state FILE]
var options = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["consultation"] = "http://127.0.0.1:5101",
    ["landuse"] = "http://127.0.0.1:5102",
    ["indicators"] = "http://127.0.0.1:5103",
    ["notifications"] = "http://127.0.0.1:5104",
    ["state"] = ".local/demo.json",
};
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || !options.ContainsKey(args[i][2..]))
    {
        Console.Error.WriteLine($"unknown option {args[i]}; expected --consultation, --landuse, --indicators, --notifications or --state");
        return 2;
    }

    options[args[i][2..]] = args[i + 1];
}

var key = Convert.FromBase64String(Environment.GetEnvironmentVariable("WATERSHED_DEV_SIGNING_KEY") is { Length: > 0 } given
    ? given
    : "d2F0ZXJzaGVkLWxvY2FsLWRldmVsb3BtZW50LWtleS1ub3QtYS1zZWNyZXQ=");
var endpoints = new DemoEndpoints(new(options["consultation"]), new(options["landuse"]), new(options["indicators"]), new(options["notifications"]));
var demo = new PomacanchiDemo(endpoints, (role, watershed) => DevToken.Create(key, role, watershed), line => Console.WriteLine("  demo: " + line));

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
