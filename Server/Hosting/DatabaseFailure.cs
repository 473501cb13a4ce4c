using Microsoft.Data.Sqlite;
using Npgsql;

namespace IdentityServer.Hosting;

/// <summary>
/// Turns what the database drivers throw when the database cannot be used at all (unreachable, missing, wrong
/// password, unreadable file) into one line naming the setting to look at. Anything else is not recognised (null).
/// </summary>
internal static class DatabaseFailure
{
    public const string ConnectionSetting = "IdentityServer:Database:ConnectionString";

    public static string? Describe(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } p:
                    return $"{ConnectionSetting}: {p.MessageText}; run the 'migrate' command to create it.";
                case PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } p:
                    return $"{ConnectionSetting}: the database refused the credentials ({p.MessageText}).";
                case PostgresException:
                    continue;
                case NpgsqlException n:
                    return $"{ConnectionSetting}: cannot reach the database ({Causes(n)}).";
                case SqliteException { SqliteErrorCode: 14 or 23 or 26 } s:
                    // SQLITE_CANTOPEN, SQLITE_AUTH, SQLITE_NOTADB: the file is missing a folder, unreadable or not a database.
                    return $"{ConnectionSetting}: cannot open the SQLite database ({s.Message}).";
            }
        }

        return null;
    }

    /// <summary>"Failed to connect to 127.0.0.1:1: Connection refused": the driver's words and the socket's.</summary>
    private static string Causes(Exception e)
    {
        var messages = new List<string>();
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            var message = inner.Message.TrimEnd('.');
            if (!messages.Contains(message, StringComparer.Ordinal))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages).ReplaceLineEndings(" ");
    }
}
