using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Watershed.Consultation.Data;
using Watershed.Consultation.V1;
using Watershed.Testing;

namespace Watershed.Consultation.Tests.Api;

/// <summary>
/// Expected outcomes are not errors: a duplicate vote, a duplicate watershed or organisation, a person already on the
/// roll and a new database's first migration log nothing at Warning or above, and run no SQL statement that fails
/// (PostgreSQL would log each as an ERROR in its own log, whatever the service's log filters say).
/// </summary>
public sealed class ExpectedOutcomeLogTests
{
    /// <summary>Every log entry the host writes (after its own filters), and every failed SQL statement on one database.</summary>
    private sealed class Observed : ILoggerProvider, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        private readonly string _database;
        private readonly List<IDisposable> _subscriptions = [];

        public Observed(string connectionString)
        {
            _database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Logs { get; } = new();

        public ConcurrentQueue<string> FailedStatements { get; } = new();

        // The start-up notice that Dapr's callbacks run without an app API token (as the test hosts do) is about the
        // deployment, not about the outcomes under test.
        public IEnumerable<string> Loud => Logs.Where(l => l.Level >= LogLevel.Warning && l.Category != typeof(Watershed.ServiceDefaults.Events.DaprAppToken).FullName)
            .Select(l => $"{l.Level} {l.Category}: {l.Message} {l.Exception?.GetType().Name}");

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandError.Name && value.Value is CommandErrorEventData error
                && error.Command.Connection?.Database == _database)
            {
                FailedStatements.Enqueue($"{error.Exception.Message} in: {error.Command.CommandText}");
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }

        private sealed class Logger(Observed observed, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                observed.Logs.Enqueue((logLevel, category, formatter(state, exception), exception));
        }
    }

    private static async Task<(ConsultationApp App, Observed Observed)> StartAsync()
    {
        Observed? observed = null;
        var app = await ConsultationApp.OnPostgresAsync(services => services.AddSingleton<ILoggerProvider>(observed!));
        observed = new Observed(app.ConnectionString);
        app.StartServer();
        return (app, observed);
    }

    [Fact]
    public async Task A_new_database_migrates_without_a_failed_statement_or_a_loud_log()
    {
        var (app, observed) = await StartAsync();
        await using (app)
        using (observed)
        {
            Assert.Empty(observed.FailedStatements);
            Assert.Empty(observed.Loud);
            Assert.Contains(observed.Logs, l => l.Category == "Microsoft.Hosting.Lifetime");

            // The watch is live: a statement that does fail on this database is seen.
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConsultationDbContext>();
            await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync("SELECT * FROM no_such_table"));
            Assert.Single(observed.FailedStatements);
        }
    }

    [Fact]
    public async Task Duplicates_answered_already_exists_or_replayed_run_no_failed_statement_and_log_nothing_loud()
    {
        var (app, observed) = await StartAsync();
        await using (app)
        using (observed)
        {
            var s = await Scenario.CreateAsync(app, voters: 3);
            await s.OpenAssemblyAsync(present: 3);
            var ballot = await s.OpenBallotAsync(await s.ProposalOnAgendaAsync(ProposalType.General));
            var first = await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "request-0001");
            Assert.Empty(observed.FailedStatements);

            Assert.Equal(first.Receipt, (await s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.Yes, "request-0001")).Receipt);
            await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () => s.RecordVoteAsync(ballot, s.Voters[0], VoteChoice.No, "request-0002"));
            await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
                s.Admin.Stakeholders.CreateWatershedAsync(new CreateWatershedRequest { Code = "pomacanchi", Name = "Otra" }).ResponseAsync);
            await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
                s.Facilitator.Stakeholders.CreateOrganizationAsync(new CreateOrganizationRequest
                {
                    WatershedId = s.Watershed.Id, Name = s.Community!.Name, Kind = OrganizationKind.Community,
                }).ResponseAsync);
            await GrpcStatusAssert.ThrowsAsync(StatusCode.AlreadyExists, () =>
                s.Facilitator.Spaces.AddMemberAsync(new AddMemberRequest { SpaceId = s.Space.Id, PersonId = s.Voters[1].PersonId, Role = MemberRole.Observer }).ResponseAsync);

            Assert.Empty(observed.FailedStatements);
            Assert.Empty(observed.Loud);
            var live = await s.Facilitator.Proposals.ListBallotParticipantsAsync(new ListBallotParticipantsRequest { BallotId = ballot.Id });
            Assert.Single(live.Participants);
        }
    }
}
