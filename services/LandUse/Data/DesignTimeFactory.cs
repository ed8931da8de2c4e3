using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Watershed.LandUse.Data;

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL model without a running database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<LandUseDbContext>
{
    public LandUseDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LandUseDbContext>()
            .UseNpgsql("Host=localhost;Database=landuse_design", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .Options);
}
