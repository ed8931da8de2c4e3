namespace Watershed.Consultation.Tests.Api;

/// <summary>A test class whose tests share one consultation host on its own fresh PostgreSQL database.</summary>
public abstract class PostgresApiTest : IAsyncLifetime
{
    protected ConsultationApp App { get; private set; } = null!;

    public virtual async Task InitializeAsync() => App = await ConsultationApp.OnPostgresAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}
