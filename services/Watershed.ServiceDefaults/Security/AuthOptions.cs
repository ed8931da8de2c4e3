using System.ComponentModel.DataAnnotations;

namespace Watershed.ServiceDefaults.Security;

/// <summary>
/// How bearer tokens are validated. In production an OIDC authority (e.g. a Keycloak realm) signs
/// tokens and its keys are fetched from its metadata; for local runs and tests a shared HS256 key
/// signs them (scripts/dev-token.sh mints such tokens).
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>OIDC authority URL; when set, keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    [Required]
    public string Issuer { get; set; } = string.Empty;

    [Required]
    public string Audience { get; set; } = string.Empty;

    /// <summary>Base64 HS256 key of at least 32 bytes; used only when no Authority is set.</summary>
    public string? SigningKey { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Authority))
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            yield return new ValidationResult(
                "Auth:SigningKey (base64, at least 32 bytes) is required when Auth:Authority is not set.",
                [nameof(SigningKey)]);
            yield break;
        }

        byte[]? key = null;
        try
        {
            key = Convert.FromBase64String(SigningKey);
        }
        catch (FormatException)
        {
        }

        if (key is null || key.Length < 32)
        {
            yield return new ValidationResult(
                "Auth:SigningKey must be base64 of at least 32 bytes.", [nameof(SigningKey)]);
        }
    }
}
