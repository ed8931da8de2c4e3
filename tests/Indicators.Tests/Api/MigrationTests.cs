using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Indicators.Data;

namespace Watershed.Indicators.Tests.Api;

public sealed class MigrationTests
{
    [Fact]
    public async Task The_migrations_match_the_model_and_apply_to_an_empty_postgres_database()
    {
        await using var app = await IndicatorsApp.OnPostgresAsync();
        app.StartServer();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IndicatorsDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures: add a migration.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
    }
}
