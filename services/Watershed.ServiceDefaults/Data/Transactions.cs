using Microsoft.EntityFrameworkCore;
using Watershed.ServiceDefaults.Errors;

namespace Watershed.ServiceDefaults.Data;

/// <summary>The unit of work of a command that must lock before it decides.</summary>
public static class Transactions
{
    /// <summary>
    /// Runs <paramref name="work"/> in one transaction under the provider's execution strategy and commits it;
    /// the work saves its own changes. Nothing is committed when it throws.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this DbContext db, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await work(ct);
            await transaction.CommitAsync(ct);
            return result;
        });
    }

    public static Task InTransactionAsync(this DbContext db, Func<CancellationToken, Task> work, CancellationToken ct) =>
        db.InTransactionAsync(async token =>
        {
            await work(token);
            return true;
        }, ct);

    /// <summary>
    /// Loads one entity fresh and holds its row lock until the transaction ends, so a command that checks an
    /// object's children and then changes the object cannot interleave with another such command:
    /// <c>SELECT … FOR UPDATE</c> on PostgreSQL (one round trip); on SQLite, which has no row locks, a no-op
    /// write to the row first takes the database's write lock. Call inside <see cref="InTransactionAsync{T}"/>.
    /// </summary>
    /// <exception cref="NotFoundException">No row has this id (<paramref name="resourceType"/> names it).</exception>
    public static async Task<T> LoadForUpdateAsync<T>(this DbContext db, Guid id, string resourceType, CancellationToken ct)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = entity.GetTableName();
        var key = entity.FindPrimaryKey()!.Properties.Single().GetColumnName();
        var tracked = db.ChangeTracker.Entries<T>().FirstOrDefault(e => Equals(e.Property(entity.FindPrimaryKey()!.Properties[0].Name).CurrentValue, id));
        if (tracked is not null)
        {
            tracked.State = EntityState.Detached;
        }

        T? loaded;
        if (db.Database.IsNpgsql())
        {
#pragma warning disable EF1002 // table and column names come from the model, the id is a parameter
            loaded = await db.Set<T>().FromSqlRaw($"SELECT * FROM \"{table}\" WHERE \"{key}\" = {{0}} FOR UPDATE", id).SingleOrDefaultAsync(ct);
        }
        else
        {
            // EF stores a Guid on SQLite as upper-case text.
            var touched = await db.Database.ExecuteSqlRawAsync(
                $"UPDATE \"{table}\" SET \"{key}\" = \"{key}\" WHERE \"{key}\" = {{0}}", [id.ToString().ToUpperInvariant()], ct);
#pragma warning restore EF1002
            loaded = touched == 0 ? null : await db.Set<T>().FindAsync([id], ct);
        }

        return loaded ?? throw new NotFoundException(resourceType, id.ToString());
    }
}
