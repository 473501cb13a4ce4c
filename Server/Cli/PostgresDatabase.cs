using IdentityServer.Data;
using Npgsql;

namespace IdentityServer.Cli;

/// <summary>
/// <c>migrate</c> on a PostgreSQL server where the database does not exist yet: it connects to the
/// <c>postgres</c> maintenance database with the same credentials and creates it (migrations cannot: they run inside it).
/// </summary>
internal static class PostgresDatabase
{
    /// <returns>The name of the database created; null when it existed, or for SQLite (which creates its file itself).</returns>
    public static async Task<string?> CreateIfMissingAsync(DatabaseOptions options, CancellationToken ct)
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return null;
        }

        var target = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (target.Database is not { Length: > 0 } name || name == "postgres")
        {
            return null;
        }

        var maintenance = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ToString());
        await connection.OpenAsync(ct);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = name });
            if (await exists.ExecuteScalarAsync(ct) is not null)
            {
                return null;
            }
        }

        // CREATE DATABASE takes no parameters: the name is quoted as an identifier instead.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another instance's migrate created it a moment ago.
            return null;
        }

        return name;
    }
}
