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
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return new StartupLock(null);
        }

        // Its own unpooled session: a pooled one would keep the lock while idle in the pool. No command
        // timeout: another instance may be applying a long migration.
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false, CommandTimeout = 0 };
        var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new StartupLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await using (var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection))
            {
                await command.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }
}
