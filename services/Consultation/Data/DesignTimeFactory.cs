using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Watershed.Consultation.Data;

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL model without a running database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ConsultationDbContext>
{
    public ConsultationDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConsultationDbContext>()
            .UseNpgsql("Host=localhost;Database=consultation_design", npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .Options);
}
