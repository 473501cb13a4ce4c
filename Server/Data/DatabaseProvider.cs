namespace IdentityServer.Data;

/// <summary>SQLite, the embedded default for one machine; PostgreSQL for several instances.</summary>
internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
