using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Watershed.Web;

/// <summary>
/// Where the web app keeps the keys that protect its cookies (the session, the sign-in's correlation and nonce, the
/// forms' anti-forgery tokens). Section: Web:DataProtection.
/// </summary>
public sealed class WebKeyRingOptions
{
    public const string Section = "Web:DataProtection";

    /// <summary>
    /// A directory of key files (key-&lt;id&gt;.xml) that every replica reads, so a cookie written by one replica is read by
    /// any other. In Kubernetes a Secret mounted read-only (README); the app then never writes a key of its own and
    /// refuses to start without a key valid now. Empty: the framework's default (keys of this machine's user profile,
    /// or in memory), which suits one process only.
    /// </summary>
    public string? KeyRingPath { get; set; }
}

/// <summary>The key ring's set-up and the command that writes a new key for it.</summary>
public static class WebKeyRing
{
    /// <summary>Cookies protected under one application name are read by every replica with the same keys.</summary>
    public const string ApplicationName = "watershed-web";

    /// <summary>How long a key written by <see cref="CreateKey"/> is used for new cookies, unless told otherwise.</summary>
    public const int DefaultDays = 180;

    public static void Configure(IServiceCollection services, WebKeyRingOptions options)
    {
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (string.IsNullOrWhiteSpace(options.KeyRingPath))
        {
            return;
        }

        protection.PersistKeysToFileSystem(new DirectoryInfo(options.KeyRingPath));
        // Replicas must not each mint their own key into a shared (and, in Kubernetes, read-only) ring: keys are made
        // by the operator (CreateKey) and rotated by adding a new file beside the old ones.
        protection.DisableAutomaticKeyGeneration();
    }

    /// <summary>Fails the start when a key ring is configured but holds no key that may protect a cookie now.</summary>
    public static void RequireUsableKey(IServiceProvider services, WebKeyRingOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.KeyRingPath))
        {
            return;
        }

        if (!Directory.Exists(options.KeyRingPath))
        {
            throw new InvalidOperationException($"Web:DataProtection:KeyRingPath {options.KeyRingPath} does not exist: create the key ring first (README, \"The web app's key ring\").");
        }

        var now = DateTimeOffset.UtcNow;
        var keys = services.GetRequiredService<IKeyManager>().GetAllKeys();
        if (!keys.Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now))
        {
            throw new InvalidOperationException(
                $"The key ring at {options.KeyRingPath} holds no key valid now ({keys.Count} expired, revoked or not yet active): add a new key (README, \"The web app's key ring\").");
        }
    }

    /// <summary>
    /// Writes one new key file into <paramref name="directory"/>, active now and used for new cookies for
    /// <paramref name="days"/> days (cookies it protected stay readable while the file stays in the ring).
    /// Answers the file written.
    /// </summary>
    public static string CreateKey(string directory, int days)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 7);
        Directory.CreateDirectory(directory);
        var before = Directory.GetFiles(directory, "key-*.xml").ToHashSet();
        var services = new ServiceCollection();
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToFileSystem(new DirectoryInfo(directory))
            .DisableAutomaticKeyGeneration();
        using var provider = services.BuildServiceProvider();
        var now = DateTimeOffset.UtcNow;
        provider.GetRequiredService<IKeyManager>().CreateNewKey(now, now.AddDays(days));
        return Directory.GetFiles(directory, "key-*.xml").Single(f => !before.Contains(f));
    }
}
