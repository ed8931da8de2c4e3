using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Indicators.Data;
using Watershed.Indicators.V1;
using Watershed.Testing;

namespace Watershed.Indicators.Tests.Api;

/// <summary>The real indicators host on a real database (PostgreSQL or SQLite), with real token validation.</summary>
public sealed class IndicatorsApp : WatershedApp<Program>
{
    private IndicatorsApp(string provider, string connectionString, bool kestrel, IDictionary<string, string?>? settings = null)
        : base(provider, connectionString, kestrel, settings)
    {
    }

    /// <summary>A host on a fresh database of the shared throwaway PostgreSQL cluster, called through the in-memory test server.</summary>
    public static async Task<IndicatorsApp> OnPostgresAsync(IDictionary<string, string?>? settings = null)
    {
        var postgres = await PostgresServer.GetAsync();
        return new IndicatorsApp("Postgres", await postgres.CreateDatabaseAsync("indicators"), kestrel: false, settings);
    }

    /// <summary>A host on a fresh PostgreSQL database with extra registrations, e.g. a logger provider that keeps what the service logs.</summary>
    public static async Task<IndicatorsApp> OnPostgresAsync(Action<IServiceCollection> configure)
    {
        var postgres = await PostgresServer.GetAsync();
        return new IndicatorsApp("Postgres", await postgres.CreateDatabaseAsync("indicators"), kestrel: false) { ConfigureTestServices = configure };
    }

    /// <summary>A host on a given PostgreSQL database, e.g. to start a second host on the first one's data.</summary>
    public static IndicatorsApp OnPostgres(string connectionString, IDictionary<string, string?>? settings = null) =>
        new("Postgres", connectionString, kestrel: false, settings);

    /// <summary>A host on a SQLite file listening on a real loopback socket.</summary>
    public static IndicatorsApp OnSqliteSocket(string file) =>
        new("Sqlite", $"Data Source={file}", kestrel: true);

    public async Task<int> SubmissionCountAsync(string roundId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        var id = Guid.Parse(roundId);
        return await db.Submissions.CountAsync(s => s.SurveyRoundId == id);
    }

    /// <summary>What the service wrote to its outbox, in order.</summary>
    public async Task<List<Watershed.ServiceDefaults.Events.OutboxMessage>> OutboxAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        return await db.Set<Watershed.ServiceDefaults.Events.OutboxMessage>().AsNoTracking().OrderBy(m => m.Sequence).ToListAsync();
    }

    public Clients ClientsFor(string? token) => new(Channel(), token);
}

/// <summary>The indicators clients sharing one channel and one bearer token.</summary>
public sealed class Clients(ChannelBase channel, string? token)
{
    private readonly CallInvoker _invoker = WatershedApp<Program>.Authorized(channel, token);

    public AreaService.AreaServiceClient Areas => new(_invoker);

    public IndicatorService.IndicatorServiceClient Indicators => new(_invoker);

    public SurveyService.SurveyServiceClient Surveys => new(_invoker);

    public AggregateService.AggregateServiceClient Aggregates => new(_invoker);

    public PlanTrackingService.PlanTrackingServiceClient Plans => new(_invoker);

    public AlertService.AlertServiceClient Alerts => new(_invoker);

    public Watershed.Events.V1.DeadLetterService.DeadLetterServiceClient DeadLetters => new(_invoker);
}

/// <summary>A test class whose tests share one indicators host on its own fresh PostgreSQL database.</summary>
public abstract class PostgresApiTest : IAsyncLifetime
{
    protected IndicatorsApp App { get; private set; } = null!;

    protected Scenario S { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await CreateAppAsync();
        S = await Scenario.CreateAsync(App);
    }

    protected virtual Task<IndicatorsApp> CreateAppAsync() => IndicatorsApp.OnPostgresAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
