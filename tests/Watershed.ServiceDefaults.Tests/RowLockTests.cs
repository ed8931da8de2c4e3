using Microsoft.EntityFrameworkCore;
using Watershed.ServiceDefaults.Data;
using Watershed.ServiceDefaults.Errors;
using Watershed.Testing;

namespace Watershed.ServiceDefaults.Tests;

/// <summary>
/// LoadForUpdateAsync holds the row until the transaction ends on both stores: a second command that locks the
/// same row waits, and then reads what the first one committed (without the lock it would read the old value
/// and both would decide on it).
/// </summary>
public sealed class RowLockTests
{
    public sealed class Counter
    {
        public Guid Id { get; set; }

        public int Value { get; set; }
    }

    private sealed class CounterContext(DbContextOptions<CounterContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder model) => model.Entity<Counter>().ToTable("counters");
    }

    private static async Task<Func<CounterContext>> DatabaseAsync(string provider)
    {
        DbContextOptions<CounterContext> options;
        if (provider == "Postgres")
        {
            var postgres = await PostgresServer.GetAsync();
            options = new DbContextOptionsBuilder<CounterContext>().UseNpgsql(await postgres.CreateDatabaseAsync("rowlock")).Options;
        }
        else
        {
            var file = Path.Combine(Path.GetTempPath(), $"rowlock-{Guid.NewGuid():N}.db");
            options = new DbContextOptionsBuilder<CounterContext>().UseSqlite($"Data Source={file};Default Timeout=30").Options;
        }

        await using var db = new CounterContext(options);
        await db.Database.EnsureCreatedAsync();
        return () => new CounterContext(options);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Increments_under_the_row_lock_are_never_lost(string provider)
    {
        var open = await DatabaseAsync(provider);
        var id = Guid.CreateVersion7();
        await using (var db = open())
        {
            db.Add(new Counter { Id = id, Value = 0 });
            await db.SaveChangesAsync();
        }

        // Each increment reads, yields (so the others interleave), then writes what it read plus one.
        const int increments = 12;
        await Task.WhenAll(Enumerable.Range(0, increments).Select(_ => Task.Run(async () =>
        {
            await using var db = open();
            await db.InTransactionAsync(async ct =>
            {
                var counter = await db.LoadForUpdateAsync<Counter>(id, "counter", ct);
                await Task.Yield();
                counter.Value++;
                await db.SaveChangesAsync(ct);
            }, CancellationToken.None);
        })));

        await using var check = open();
        Assert.Equal(increments, (await check.Set<Counter>().SingleAsync(c => c.Id == id)).Value);
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Locking_an_unknown_row_is_not_found(string provider)
    {
        var open = await DatabaseAsync(provider);
        await using var db = open();
        var missing = Guid.CreateVersion7();
        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            db.InTransactionAsync(ct => db.LoadForUpdateAsync<Counter>(missing, "counter", ct), CancellationToken.None));
        Assert.Equal(("counter", missing.ToString()), (error.ResourceType, error.ResourceName));
    }
}
