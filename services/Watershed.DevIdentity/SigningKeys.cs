using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Watershed.DevIdentity;

/// <summary>
/// The provider's RS256 signing keys, newest first: the newest signs, every key here is published in the JWKS.
/// Rotation is what a real provider does over weeks, on request: <see cref="Rotate"/> adds a new signing key and keeps
/// publishing the old ones (tokens they signed stay valid); <see cref="RetireAllButNewest"/> stops publishing them.
/// Keys live in memory only: a restarted provider has new keys, and tokens of the old process are refused.
/// </summary>
public sealed class SigningKeys
{
    private readonly Lock _lock = new();
    private readonly List<SigningKey> _keys = [];
    private readonly IOptionsMonitorCache<OpenIddictServerOptions> _serverOptions;
    private readonly TimeProvider _clock;
    private int _generation;

    public SigningKeys(IOptionsMonitorCache<OpenIddictServerOptions> serverOptions, TimeProvider clock)
    {
        _serverOptions = serverOptions;
        _clock = clock;
        _keys.Add(Create());
    }

    /// <summary>Every published key, newest (the signing one) first.</summary>
    public IReadOnlyList<SigningKey> Published
    {
        get
        {
            lock (_lock)
            {
                return [.. _keys];
            }
        }
    }

    /// <summary>The key new tokens are signed with.</summary>
    public SigningKey Current => Published[0];

    public SigningKey Rotate()
    {
        lock (_lock)
        {
            _keys.Insert(0, Create());
        }

        Reload();
        return Current;
    }

    /// <summary>Stops publishing every key but the signing one; returns the key ids retired.</summary>
    public IReadOnlyList<string> RetireAllButNewest()
    {
        List<string> retired;
        lock (_lock)
        {
            retired = [.. _keys.Skip(1).Select(k => k.KeyId)];
            if (_keys.Count > 1)
            {
                _keys.RemoveRange(1, _keys.Count - 1);
            }
        }

        Reload();
        return retired;
    }

    // OpenIddict reads its options (keys included) afresh for each request once the cached instance is dropped.
    private void Reload() => _serverOptions.TryRemove(Options.DefaultName);

    private SigningKey Create()
    {
        var generation = ++_generation;
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Watershed DevIdentity signing key {generation}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));

        // OpenIddict signs with the certificate that expires last: a newer key must end later than every older one.
        var now = _clock.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1).AddMinutes(generation));
        var keyId = $"dev-{generation}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        return new SigningKey(keyId, new X509SecurityKey(certificate, keyId));
    }
}

/// <summary>One published key: its id (<c>kid</c>) and the key with its private part.</summary>
public sealed record SigningKey(string KeyId, X509SecurityKey Key)
{
    public SigningCredentials Credentials => new(Key, SecurityAlgorithms.RsaSha256);
}

/// <summary>Gives OpenIddict the key ring's keys each time its options are built.</summary>
public sealed class SigningKeysConfiguration(SigningKeys keys) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        foreach (var key in keys.Published)
        {
            options.SigningCredentials.Add(key.Credentials);
        }
    }
}
