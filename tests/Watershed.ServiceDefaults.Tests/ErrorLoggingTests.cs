using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Watershed.ServiceDefaults.Errors;
using Watershed.ServiceDefaults.Grpc;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// Each failure is logged once by the interceptor, at the level its meaning deserves, and a refusal's message
/// (which may name a person) never reaches a log at Information or above.
/// </summary>
public sealed class ErrorLoggingTests
{
    private const string PersonalDetail = "Ana Quispe Huaman is on this space's roll already";

    private static async Task<(RpcException Error, List<LogEntry> Log)> FailWith(Exception failure)
    {
        var log = new List<LogEntry>();
        var interceptor = new ErrorMappingInterceptor(new ListLogger(log));
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            interceptor.UnaryServerHandler<string, string>("request", new FakeCallContext("/watershed.test.v1.TestService/Do"),
                (_, _) => Task.FromException<string>(failure)));
        return (error, log);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.AlreadyExists)]
    [InlineData(StatusCode.FailedPrecondition)]
    public async Task Expected_refusals_are_logged_at_debug_only(StatusCode code)
    {
        Exception failure = code switch
        {
            StatusCode.InvalidArgument => new InvalidArgumentException("full_name", PersonalDetail),
            StatusCode.NotFound => new NotFoundException("person", PersonalDetail),
            StatusCode.AlreadyExists => new AlreadyExistsException("member", "m", PersonalDetail),
            _ => new PreconditionFailedException("NOT_ELIGIBLE", "members/1", PersonalDetail),
        };
        var (error, log) = await FailWith(failure);
        Assert.Equal(code, error.StatusCode);
        var entry = Assert.Single(log);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Null(entry.Exception);
    }

    [Fact]
    public async Task Permission_denied_is_logged_at_information_without_the_message()
    {
        var (error, log) = await FailWith(new PermissionDeniedException(PersonalDetail));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        var entry = Assert.Single(log);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("/watershed.test.v1.TestService/Do", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Quispe", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_dependency_is_a_warning_carrying_its_own_error()
    {
        var cause = new RpcException(new Status(StatusCode.Unavailable, "connection refused"));
        var (error, log) = await FailWith(new DependencyUnavailableException("consultation", "Consultation cannot be reached.", cause));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        var entry = Assert.Single(log);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Same(cause, entry.Exception);
        Assert.Contains("consultation", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_failure_is_an_error_with_its_stack_and_answers_internal_without_it()
    {
        var failure = new InvalidOperationException("Host=db;Password=secret");
        var (error, log) = await FailWith(failure);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
        var entry = Assert.Single(log);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(failure, entry.Exception);
    }

    [Fact]
    public async Task A_lost_race_on_create_is_already_exists_like_a_second_create()
    {
        var unique = new DbUpdateException("save failed", new SqliteException("UNIQUE constraint failed: watersheds.Code", 19, 2067));
        var (error, log) = await FailWith(unique);
        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal(LogLevel.Debug, Assert.Single(log).Level);
    }

    [Fact]
    public async Task A_concurrency_conflict_is_aborted()
    {
        var (error, log) = await FailWith(new ConcurrencyConflictException("plan", "plans/1"));
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(LogLevel.Information, Assert.Single(log).Level);
    }

    public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    private sealed class ListLogger(List<LogEntry> entries) : ILogger<ErrorMappingInterceptor>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
    }

    internal sealed class FakeCallContext(string method) : ServerCallContext
    {
        protected override string MethodCore => method;

        protected override string HostCore => "127.0.0.1";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore { get; } = new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
            throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
