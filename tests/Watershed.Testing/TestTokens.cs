using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Watershed.Testing;

/// <summary>Mints HS256 tokens the services validate for real (issuer, audience, lifetime, signature).</summary>
public static class TestTokens
{
    public const string Issuer = "watershed-test";
    public const string Audience = "watershed";

    /// <summary>Base64 of a 32-byte key used only by tests.</summary>
    public static readonly string SigningKey = Convert.ToBase64String("watershed-test-signing-key-32byt"u8.ToArray());

    public static string Create(
        string subject,
        IEnumerable<string> roles,
        IEnumerable<string> watersheds,
        Guid? personId = null,
        string? signingKey = null,
        string issuer = Issuer,
        TimeSpan? lifetime = null)
    {
        var claims = new List<Claim> { new("sub", subject) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        claims.AddRange(watersheds.Select(w => new Claim("watershed", w)));
        if (personId is { } person)
        {
            claims.Add(new Claim("person_id", person.ToString()));
        }

        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = issuer,
            Audience = Audience,
            NotBefore = expires < now ? expires.AddMinutes(-5) : now.AddMinutes(-1),
            IssuedAt = expires < now ? expires.AddMinutes(-5) : now.AddMinutes(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Convert.FromBase64String(signingKey ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static string Admin() => Create("admin@test", ["admin"], ["*"]);

    public static string Facilitator(params string[] watersheds) => Create("facilitator@test", ["facilitator"], watersheds);

    public static string Member(Guid personId, params string[] watersheds) =>
        Create($"person:{personId}", ["member"], watersheds, personId);
}
