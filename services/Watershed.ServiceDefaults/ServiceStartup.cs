using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Watershed.ServiceDefaults;

/// <summary>How a service host starts: configuration checked first, then its start-up work, then calls.</summary>
public static class ServiceStartup
{
    /// <summary>The exit code of a start refused for its configuration (EX_CONFIG of sysexits.h).</summary>
    public const int ConfigurationErrorExitCode = 78;

    /// <summary>
    /// Checks every validated setting (each <c>ValidateOnStart</c> option: auth, database, rate limits, service clients…)
    /// before anything else runs, then the start-up work (schema migration, demo data), then serves until stopped.
    /// A bad configuration ends the process with one line on standard error naming the settings and exit code 78,
    /// not an unhandled exception with a stack.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app, params Func<IServiceProvider, Task>[] beforeStart)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception ex) when (Failures(ex) is { Count: > 0 } failures)
        {
            var service = app.Services.GetService<ServiceIdentity>()?.Name ?? app.Environment.ApplicationName;
            // One option's validation may read another's and report its failure again: each failure is said once.
            await Console.Error.WriteLineAsync($"{service}: configuration error: {string.Join(" ", failures.Select(OneLine).Distinct(StringComparer.Ordinal))}");
            return ConfigurationErrorExitCode;
        }

        // A later AddGrpc would bind every method a second time (two endpoints per route): refuse to start instead.
        Grpc.MalformedRequests.AssertBound(app.Services);

        foreach (var step in beforeStart)
        {
            await step(app.Services);
        }

        await app.RunAsync();
        return 0;
    }

    private static List<string> Failures(Exception ex) => ex switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => [],
    };

    private static string OneLine(string failure) => failure.ReplaceLineEndings(" ").Trim();
}
