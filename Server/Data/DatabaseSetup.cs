using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace IdentityServer.Data;

internal static class DatabaseSetup
{
    public static bool IsPostgres(string? provider) =>
        provider is not null && (provider.Contains("Npgsql", StringComparison.OrdinalIgnoreCase) || provider.StartsWith("Postgres", StringComparison.OrdinalIgnoreCase));

    public static IServiceCollection AddDatabase(this IServiceCollection services, DatabaseOptions options, IHostEnvironment environment)
    {
        var postgres = options.Provider == DatabaseProvider.Postgres;
        var connectionString = postgres ? PostgresDefaults(options.ConnectionString) : ResolveSqlitePath(options.ConnectionString, environment.ContentRootPath);
        if (!postgres)
        {
            CreateOwnerOnly(connectionString);
        }

        // Pooled: a request reuses a context (and its options) instead of building both anew; measured in bench/README.md.
        services.AddDbContextPool<ApplicationDbContext>(db =>
        {
            if (postgres)
            {
                // Transient failures (a restart, a failover) are retried briefly; beyond that the request fails fast with 503.
                db.UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure(2, TimeSpan.FromMilliseconds(500), null));
            }
            else
            {
                db.UseSqlite(connectionString);
                db.AddInterceptors(SqlitePragmas.Instance);

                // The model compiled ahead of time (CompiledModels/Sqlite): building it at run time was the
                // largest part of a cold start. ModelMigrationsTests fails when it no longer matches the code.
                db.UseModel(CompiledModels.Sqlite.ApplicationDbContextModel.Instance);
            }

            db.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
            db.UseOpenIddict();
        });

        // One key ring for every instance: cookies, anti-forgery tokens, codes and refresh tokens work wherever they land.
        services.AddDataProtection().SetApplicationName("IdentityServer").PersistKeysToDbContext<ApplicationDbContext>();
        return services;
    }

    /// <summary>Short connect and command timeouts unless the connection string says otherwise: fail fast, not hang.</summary>
    private static string PostgresDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 3;
            builder.CommandTimeout = 15;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The database holds password hashes, sessions and the key ring. SQLite would create a missing file with
    /// the process's default mode (0644 under the usual umask); it keeps an existing file's mode, and its -wal
    /// and -shm files copy the database's. So a missing file is first created empty and owner-only (0600),
    /// in one step, and SQLite fills it.
    /// </summary>
    private static void CreateOwnerOnly(string connectionString)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var builder = new SqliteConnectionStringBuilder(connectionString);
        var file = builder.DataSource;
        if (builder.Mode != SqliteOpenMode.ReadWriteCreate || file is "" or ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            || File.Exists(file) || !Directory.Exists(Path.GetDirectoryName(file)))
        {
            return;
        }

        try
        {
            new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it first; its mode is its own.
        }
    }

    /// <summary>A relative SQLite file is placed under the content root, not wherever the process was started.</summary>
    private static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } file && file != ":memory:" && !Path.IsPathRooted(file)
            && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, file));
        }

        return builder.ToString();
    }
}
