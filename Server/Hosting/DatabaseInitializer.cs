using IdentityServer.Data;
using IdentityServer.Keys;
using IdentityServer.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityServer.Hosting;

/// <summary>
/// Runs before the server accepts requests: applies migrations (never EnsureCreated), switches SQLite to
/// WAL, re-applies the clients, scopes and users declared in configuration, and loads the signing keys (creating the first ones). It works in
/// <see cref="StartingAsync"/>, which the host runs for every hosted service before any service's
/// <c>StartAsync</c>: so the schema exists before anything else touches the database (Data Protection's key
/// ring warm-up, the prune scheduler), whatever order the services were registered in.
/// </summary>
internal sealed partial class DatabaseInitializer(IServiceProvider services, IOptions<DatabaseOptions> options, ILogger<DatabaseInitializer> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var exclusive = await StartupLock.AcquireAsync(options.Value, cancellationToken);
            await MigrateAsync(cancellationToken);
            var changes = await ConfigurationSeeder.SeedAsync(services, cancellationToken);
            LogSeeded(changes);
            await services.PrepareSigningKeysAsync(cancellationToken);
        }
        catch (Exception e) when (e is not StartupFailureException && DatabaseFailure.Describe(e) is { } reason)
        {
            // A database that cannot be used is a setting to fix, not a bug: one line naming it, no stack trace.
            throw new StartupFailureException(reason, e);
        }
    }

    /// <summary>Applies pending migrations (when enabled, or when <paramref name="force"/>d by the migrate command).</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken, bool force = false)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        // Nothing pending: skip Migrate, which would take the migrations lock and read the history again.
        if (pending > 0 && (force || options.Value.MigrateAtStartup))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        else if (pending > 0)
        {
            // Serving on an older schema fails later, request by request, with SQL errors nobody can read.
            throw new StartupFailureException(
                $"{DatabaseOptions.Section}:MigrateAtStartup is false and {pending} migration(s) are pending: run the 'migrate' command first.");
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers and the writer work at once; the setting is stored in the database file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        return pending;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Configuration applied: {Changes} client(s), scope(s) or user(s) created or updated")]
    private partial void LogSeeded(int changes);
}
