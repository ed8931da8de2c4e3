using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Watershed.DevIdentity;
using Watershed.ServiceDefaults.Security;
using Watershed.Testing;

namespace Watershed.Auth.Tests;

/// <summary>
/// How a service behaves where it is deployed: reflection only when asked for, no HS256 key of any kind outside
/// Development, a bad configuration ends the start with one line and exit code 78 (not a stack), and the published
/// output carries no development settings.
/// </summary>
public sealed class ProductionPostureTests
{
    private static readonly string[] Services = ["Consultation", "LandUse", "Indicators", "Notifications"];

    private static async Task<IReadOnlyList<string>> ListServicesAsync(Uri address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return [.. call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name)];
    }

    [Fact]
    public async Task Reflection_is_off_in_production_unless_configured_on()
    {
        await using var provider = await Identity.StartAsync();
        var settings = Identity.ServiceSettings(provider);
        settings["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"posture-{Guid.NewGuid():N}.db")}";
        await using (var quiet = await ServiceProcess.StartAsync("Consultation", settings))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => ListServicesAsync(quiet.Address));
            Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
        }

        settings["Grpc:Reflection"] = "true";
        await using var listed = await ServiceProcess.StartAsync("Consultation", settings);
        Assert.Contains("watershed.consultation.v1.ProposalService", await ListServicesAsync(listed.Address));
    }

    [Fact]
    public async Task Reflection_is_on_in_development()
    {
        await using var service = await ServiceProcess.StartAsync("Consultation", new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"posture-{Guid.NewGuid():N}.db")}",
        });
        Assert.Contains("watershed.consultation.v1.ProposalService", await ListServicesAsync(service.Address));
    }

    public static TheoryData<string, string, string> BadConfigurations() => new()
    {
        { "Production", "no authority", "Auth:Authority is required in the Production environment" },
        { "Production", "development key", "Auth:SigningKey is set in the Production environment: HS256 keys are for Development only" },
        { "Production", "development key beside an authority", "Auth:SigningKey is set in the Production environment" },
        { "Staging", "another hs256 key", "Auth:SigningKey is set in the Staging environment: HS256 keys are for Development only" },
        { "Testing", "development key", "Auth:SigningKey is the public development key, refused in the Testing environment." },
        { "Production", "malformed authority", "Auth:Authority must be an absolute http(s) URL" },
        { "Production", "malformed connection string", "Database:ConnectionString is not a valid Postgres connection string" },
        { "Production", "rate limit of zero", "RateLimits:imports:PermitLimit must be between 1 and 1000000000 (it is 0)." },
        { "Production", "no issuer", "Auth:Issuer (the issuer tokens must carry) is required." },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task A_bad_configuration_stops_every_service_with_one_line_naming_the_setting_and_exit_code_78(string environment, string fault, string expected)
    {
        foreach (var service in Services)
        {
            var settings = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["Auth:Issuer"] = "https://auth.example/realms/watershed",
                ["Auth:Audience"] = "watershed",
                ["Auth:Authority"] = "https://auth.example/realms/watershed",
                ["Auth:ClientId"] = service.ToLowerInvariant(),
                ["Auth:ClientSecret"] = "s3cret",
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = "Host=127.0.0.1;Port=9;Database=x;Username=x;Password=do-not-print-me",
                ["Services:consultation:Address"] = "http://consultation:8080",
            };
            switch (fault)
            {
                case "no authority":
                    settings.Remove("Auth:Authority");
                    break;
                case "development key":
                    settings.Remove("Auth:Authority");
                    settings["Auth:SigningKey"] = DevelopmentKeys.SigningKey;
                    break;
                case "development key beside an authority":
                    settings["Auth:SigningKey"] = DevelopmentKeys.SigningKey;
                    break;
                case "another hs256 key":
                    settings.Remove("Auth:Authority");
                    settings["Auth:SigningKey"] = TestTokens.SigningKey;
                    break;
                case "malformed authority":
                    settings["Auth:Authority"] = "auth.example/realms/watershed";
                    break;
                case "malformed connection string":
                    settings["Database:ConnectionString"] = "Host=127.0.0.1;Password=do-not-print-me;;=oops";
                    break;
                case "no issuer":
                    settings["Auth:Issuer"] = string.Empty;
                    break;
                case "rate limit of zero":
                    settings["RateLimits:imports:PermitLimit"] = "0";
                    break;
            }

            var (exitCode, stdout, stderr) = await RunToExitAsync(service, settings);

            Assert.True(exitCode == 78, $"{service} exited with {exitCode}:\n{stdout}\n{stderr}");
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith($"watershed-{service.ToLowerInvariant()}: configuration error: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.True(line.Split(expected).Length == 2, $"{service} says it more than once: {line}");
            Assert.DoesNotContain("do-not-print-me", stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"(?m)^\s+at \S+", stdout + stderr);
        }
    }

    /// <summary>A built service started as it would be deployed, until it exits by itself (60 s at most).</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string service, Dictionary<string, string> settings)
    {
        var root = ServiceProcess.RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.Combine(root, "services", service),
        };
        start.ArgumentList.Add(Path.Combine(root, "services", service, "bin", configuration, "net10.0", $"Watershed.{service}.dll"));
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.Combine(root, "services", service));
        start.Environment["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{service} did not stop by itself on a bad configuration:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_published_service_carries_its_settings_but_no_development_settings()
    {
        var root = ServiceProcess.RepositoryRoot();
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        foreach (var service in Services)
        {
            var output = Directory.CreateTempSubdirectory($"publish-{service}-");
            try
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var arg in new[] { "publish", Path.Combine(root, "services", service, $"Watershed.{service}.csproj"), "-c", configuration, "--no-build", "-o", output.FullName, "-nologo" })
                {
                    start.ArgumentList.Add(arg);
                }

                using var publish = Process.Start(start)!;
                var log = publish.StandardOutput.ReadToEndAsync();
                var errors = publish.StandardError.ReadToEndAsync();
                await publish.WaitForExitAsync();
                Assert.True(publish.ExitCode == 0, $"dotnet publish {service} failed:\n{await log}\n{await errors}");

                Assert.True(File.Exists(Path.Combine(output.FullName, "appsettings.json")), $"{service}: appsettings.json is published");
                Assert.True(File.Exists(Path.Combine(output.FullName, $"Watershed.{service}.dll")), $"{service}: the service is published");
                Assert.False(File.Exists(Path.Combine(output.FullName, "appsettings.Development.json")), $"{service}: appsettings.Development.json must not be published");
            }
            finally
            {
                output.Delete(recursive: true);
            }
        }
    }
}
