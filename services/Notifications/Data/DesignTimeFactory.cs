using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Watershed.Notifications.Data;

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL model without a running database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<NotificationsDbContext>
{
    public NotificationsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NotificationsDbContext>()
            .UseNpgsql("Host=localhost;Database=notifications_design", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .Options);
}
