using IdentityServer.Configuration;
using IdentityServer.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace IdentityServer.Data;

internal static class DatabaseSetup
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, ServerOptions options, IHostEnvironment environment)
    {
        var connectionString = ResolveSqlitePath(options.Database.ConnectionString, environment.ContentRootPath);
        services.AddDbContext<ApplicationDbContext>(db =>
        {
            db.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__EFMigrationsHistory"));
            db.AddInterceptors(SqlitePragmas.Instance);
            db.UseOpenIddict();
        });
        // Registered first, so migrations run before any other hosted service (Data Protection's key ring
        // warm-up among them) touches the database.
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());
        services.AddDataProtection().SetApplicationName("IdentityServer").PersistKeysToDbContext<ApplicationDbContext>();
        return services;
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
