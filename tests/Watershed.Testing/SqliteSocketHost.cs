using Grpc.Net.Client;
using Microsoft.Data.Sqlite;

namespace Watershed.Testing;

/// <summary>
/// A service on its local default: a SQLite file of its own in the temp folder, served by Kestrel on a
/// loopback socket; disposing stops the host and removes the file.
/// </summary>
public sealed class SqliteSocketHost<TProgram> : IAsyncDisposable
    where TProgram : class
{
    private readonly string _file;

    private SqliteSocketHost(string file, WatershedApp<TProgram> app)
    {
        _file = file;
        App = app;
        Channel = GrpcChannel.ForAddress(app.SocketAddress());
    }

    public WatershedApp<TProgram> App { get; }

    public GrpcChannel Channel { get; }

    /// <param name="create">Builds the service's socket host on the SQLite file it is given.</param>
    public static SqliteSocketHost<TProgram> Start(string service, Func<string, WatershedApp<TProgram>> create)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{service}-smoke-{Guid.NewGuid():N}.db");
        return new SqliteSocketHost<TProgram>(file, create(file));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await App.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}
