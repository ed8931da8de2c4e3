using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Watershed.ServiceDefaults;

/// <summary>
/// Minimum levels for framework log categories that would log personal data or expected failures, applied after
/// configuration for the general rule and for every provider that configuration names (a provider-specific rule
/// beats a general one, whatever its category). A rule the configuration sets for the category itself, or a
/// narrower one, is the operator's choice and stays.
/// </summary>
public sealed class QuietFrameworkLogs : IPostConfigureOptions<LoggerFilterOptions>
{
    /// <summary>The categories and the least level they log at.</summary>
    public static readonly IReadOnlyList<(string Category, LogLevel Minimum)> Categories =
    [
        // grpc-dotnet logs every non-OK status with its detail at Information ("Error status code ... with detail ...").
        ("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.Warning),

        // The gRPC client logs another service's status message at Information; ServiceClients reports the failure itself.
        ("Grpc.Net.Client.Internal.GrpcCall", LogLevel.Warning),
        ("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical),
        ("Microsoft.EntityFrameworkCore.Update", LogLevel.Critical),
        ("Microsoft.EntityFrameworkCore.Query", LogLevel.Critical),
    ];

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        var providers = options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList();
        foreach (var (category, minimum) in Categories)
        {
            foreach (var provider in providers)
            {
                var chosen = options.Rules.Any(r => r.ProviderName == provider
                    && r.CategoryName is { } ruled && ruled.StartsWith(category, StringComparison.Ordinal));
                if (!chosen)
                {
                    options.Rules.Add(new LoggerFilterRule(provider, category, minimum, null));
                }
            }
        }
    }
}
