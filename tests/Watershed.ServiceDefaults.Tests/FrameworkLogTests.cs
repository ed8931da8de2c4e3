using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watershed.Consultation.V1;
using Watershed.ServiceDefaults.Errors;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// No personal data in logs at the level a service is configured with: a host set up by AddServiceDefaults, with a
/// service's own logging configuration (appsettings.json: Information by default), answers refusals whose messages
/// name a person, over real gRPC calls; nothing logged at Information or above repeats the name, whether the level is
/// set for every provider or for one provider alone. An operator who asks grpc-dotnet's category for Information by
/// name sees the details again (which also proves the capture sees them).
/// </summary>
public sealed class FrameworkLogTests
{
    private const string Person = "Ana Quispe Huaman";

    /// <summary>Refuses each call with a message naming <see cref="Person"/>, one status per RPC.</summary>
    private sealed class PersonalRefusals : SpaceService.SpaceServiceBase
    {
        public override Task<CreateSpaceResponse> CreateSpace(CreateSpaceRequest request, ServerCallContext context) =>
            throw new AlreadyExistsException("member", "members/1", $"{Person} is on this space's roll already");

        public override Task<GetSpaceResponse> GetSpace(GetSpaceRequest request, ServerCallContext context) =>
            throw new InvalidArgumentException("name", $"'{Person}' is already the name of another space");

        public override Task<ListSpacesResponse> ListSpaces(ListSpacesRequest request, ServerCallContext context) =>
            throw new PreconditionFailedException("ON_ROLL", "members/1", $"{Person} has voted already");

        public override Task<AddMemberResponse> AddMember(AddMemberRequest request, ServerCallContext context) =>
            throw new NotFoundException("person", Person);

        public override Task<RemoveMemberResponse> RemoveMember(RemoveMemberRequest request, ServerCallContext context) =>
            throw new PermissionDeniedException($"{Person} may not be removed by this caller");
    }

    [ProviderAlias("Capture")]
    private sealed class CaptureProvider : ILoggerProvider
    {
        public List<(string Category, LogLevel Level, string Message)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CaptureProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (provider.Entries)
                {
                    provider.Entries.Add((category, logLevel, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
                }
            }
        }
    }

    public static TheoryData<string, string?, string?> Configurations() => new()
    {
        // The service's appsettings.json as shipped.
        { "appsettings.json", null, null },

        // A provider-specific level: it beats every general rule of any category, the framework's filters included.
        { "Logging:Capture:LogLevel:Default = Information", "Logging:Capture:LogLevel:Default", "Information" },
        { "Logging:Capture:LogLevel:Grpc = Information", "Logging:Capture:LogLevel:Grpc", "Information" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Refusals_naming_a_person_leave_no_trace_of_the_name_at_information_or_above(string configuration, string? key, string? value)
    {
        var (capture, statuses) = await RunRefusalsAsync(key is null ? [] : new() { [key] = value });

        Assert.Equal([StatusCode.AlreadyExists, StatusCode.InvalidArgument, StatusCode.FailedPrecondition, StatusCode.NotFound, StatusCode.PermissionDenied],
            statuses.Select(s => s.StatusCode));
        Assert.All(statuses.Take(4), s => Assert.Contains(Person, s.Status.Detail, StringComparison.Ordinal));

        var visible = capture.Entries.Where(e => e.Level >= LogLevel.Information).ToList();
        Assert.DoesNotContain(visible, e => e.Message.Contains("Quispe", StringComparison.Ordinal));

        // The refusal an operator should see is there, without the message: method and caller only.
        Assert.Contains(visible, e => e.Message.Contains("/watershed.consultation.v1.SpaceService/RemoveMember refused with PermissionDenied for subject admin@test", StringComparison.Ordinal));
        Assert.True(visible.Count > 0, configuration);
    }

    [Fact]
    public async Task Asking_for_grpc_dotnet_s_category_by_name_shows_its_details_again()
    {
        var (capture, _) = await RunRefusalsAsync(new() { ["Logging:LogLevel:Grpc.AspNetCore.Server.ServerCallHandler"] = "Information" });
        Assert.Contains(capture.Entries, e => e.Level == LogLevel.Information && e.Category == "Grpc.AspNetCore.Server.ServerCallHandler"
            && e.Message.Contains(Person, StringComparison.Ordinal));
    }

    private static async Task<(CaptureProvider Capture, List<RpcException> Statuses)> RunRefusalsAsync(Dictionary<string, string?> settings)
    {
        var capture = new CaptureProvider();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.AddJsonFile(Path.Combine(ServiceProcess.RepositoryRoot(), "services", "Consultation", "appsettings.json"), optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = TestTokens.Issuer,
            ["Auth:Audience"] = TestTokens.Audience,
            ["Auth:SigningKey"] = TestTokens.SigningKey,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(capture);
        builder.AddServiceDefaults("watershed-log-test");
        await using var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGrpcService<PersonalRefusals>();
        await app.StartAsync();

        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = app.GetTestServer().CreateHandler() });
        var spaces = new SpaceService.SpaceServiceClient(WatershedApp<FrameworkLogTests>.Authorized(channel, TestTokens.Admin()));
        var statuses = new List<RpcException>
        {
            await Assert.ThrowsAsync<RpcException>(() => spaces.CreateSpaceAsync(new CreateSpaceRequest { Name = Person }).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => spaces.GetSpaceAsync(new GetSpaceRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => spaces.ListSpacesAsync(new ListSpacesRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => spaces.AddMemberAsync(new AddMemberRequest()).ResponseAsync),
            await Assert.ThrowsAsync<RpcException>(() => spaces.RemoveMemberAsync(new RemoveMemberRequest()).ResponseAsync),
        };
        await app.StopAsync();
        return (capture, statuses);
    }
}
