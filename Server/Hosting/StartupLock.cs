using IdentityServer.Configuration;
using IdentityServer.Data;
using Npgsql;

namespace IdentityServer.Hosting;

/// <summary>
/// Instances starting together against one PostgreSQL take turns to migrate and seed (a session-level
/// advisory lock); SQLite has one process and needs none.
/// </summary>
internal sealed class StartupLock : IAsyncDisposable
{
    private const long LockKey = 0x1D5E_4E40_0001;
    private readonly NpgsqlConnection? connection;

    private StartupLock(NpgsqlConnection? connection) => this.connection = connection;

    public static async Task<StartupLock> AcquireAsync(DatabaseOptions database, CancellationToken cancellationToken)
    {
        if (!DatabaseSetup.IsPostgres(database.Provider))
        {
            return new StartupLock(null);
        }

        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new StartupLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            // Closing the session releases the advisory lock.
            await connection.DisposeAsync();
        }
    }
}
