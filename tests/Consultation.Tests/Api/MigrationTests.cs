using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watershed.Consultation.Data;

namespace Watershed.Consultation.Tests.Api;

public sealed class MigrationTests
{
    [Fact]
    public async Task The_migrations_match_the_model_and_apply_to_an_empty_postgres_database()
    {
        await using var app = await ConsultationApp.OnPostgresAsync();
        app.StartServer();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConsultationDbContext>();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures: add a migration.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(["20261123083635_Initial", "20261204153118_ListIndexesAndMemberKeys", "20261204161844_EventsAndContacts", "20261204211553_ClosedAssembliesStayClosed", "20261204215017_VoidedVotes", "20261204220313_SecretCountsAndReceiptFreeBallots", "20261204222223_PaperBallots", "20261204223938_Proxies", "20261204225555_LandActsConvened", "20261204230824_RollImport", "20261204232238_ActaToSign"], db.Database.GetMigrations());
    }
}
