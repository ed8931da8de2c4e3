using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Watershed.Testing;

/// <summary>
/// Every row of every table of a service's database, reduced to a count and a hash per table, so a test can
/// prove that a refused call changed nothing at all (not merely that row counts match).
/// </summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, string> Tables)
{
    public static async Task<DatabaseSnapshot> TakeAsync(string provider, string connectionString)
    {
        await using DbConnection connection = provider == "Postgres"
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var tables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (provider == "Postgres")
        {
            // One round trip, hashed by the server: a corpus takes a snapshot per call, so this is what its run time is made of.
            await foreach (var (table, digest) in PostgresDigestsAsync(connection))
            {
                tables[table] = digest;
            }

            return new DatabaseSnapshot(tables);
        }

        foreach (var table in await TableNamesAsync(connection, provider))
        {
            tables[table] = await DigestAsync(connection, provider, table);
        }

        return new DatabaseSnapshot(tables);
    }

    /// <summary>
    /// Per table of the current schema: its row count and the MD5 of its row versions (each row's physical place and
    /// the transaction that wrote it: ctid and xmin), each table's query built and run by the server (query_to_xml), so a
    /// snapshot is one round trip and its cost does not grow with the size of the values (a corpus stores 1 MB ones).
    /// Any insert, update or delete changes it, also an update that writes the same values again (a refused call must
    /// not write at all); a row lock (SELECT ... FOR UPDATE) does not.
    /// </summary>
    private static async IAsyncEnumerable<(string Table, string Digest)> PostgresDigestsAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.relname,
                   (xpath('/row/d/text()', query_to_xml(format(
                       'SELECT count(*) || '' rows '' || coalesce(md5(string_agg(tableoid || '':'' || ctid || '':'' || xmin, '','' ORDER BY tableoid, ctid)), '''') AS d FROM %I.%I',
                       n.nspname, c.relname), false, true, '')))[1]::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
            """;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            yield return (reader.GetString(0), reader.GetString(1));
        }
    }

    /// <summary>The tables whose content differs, for a readable failure.</summary>
    public IReadOnlyList<string> Differences(DatabaseSnapshot other) =>
        [.. Tables.Keys.Union(other.Tables.Keys).Where(t => Tables.GetValueOrDefault(t) != other.Tables.GetValueOrDefault(t)).Order(StringComparer.Ordinal)];

    public bool Equals(DatabaseSnapshot? other) => other is not null && Differences(other).Count == 0;

    public override int GetHashCode() => Tables.Count;

    private static async Task<List<string>> TableNamesAsync(DbConnection connection, string provider)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = provider == "Postgres"
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<string> DigestAsync(DbConnection connection, string provider, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.GetValue(i);
                row.Append(value switch
                {
                    DBNull => "∅",
                    byte[] bytes => Convert.ToHexString(bytes),
                    IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                }).Append('\u001f');
            }

            rows.Add(row.ToString());
        }

        rows.Sort(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows)));
        return $"{rows.Count} rows {Convert.ToHexString(hash)[..16]}";
    }
}
