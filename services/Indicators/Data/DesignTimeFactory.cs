using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Watershed.Indicators.Data;

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL model without a running database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<IndicatorsDbContext>
{
    public IndicatorsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IndicatorsDbContext>()
            .UseNpgsql("Host=localhost;Database=indicators_design", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .Options);
}
