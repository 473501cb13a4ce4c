using System.CommandLine;
using IdentityServer.Data;
using IdentityServer.Hosting;
using IdentityServer.Jobs;
using Microsoft.Extensions.Options;

namespace IdentityServer.Cli;

/// <summary><c>migrate</c> (creating a missing PostgreSQL database first) and <c>prune</c>.</summary>
internal static class DatabaseVerbs
{
    public static Command Migrate(CliHost host)
    {
        var command = new Command("migrate", "Create the database if it is missing (PostgreSQL), apply pending migrations, and exit.");
        command.SetAction(async (parsed, ct) =>
        {
            var options = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var created = await PostgresDatabase.CreateIfMissingAsync(options, ct);
            int applied;
            await using (await StartupLock.AcquireAsync(options, ct))
            {
                applied = await host.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync(ct, force: true);
            }

            return CliOutput.Print(parsed, new { created, applied }, r => [
                .. created is null ? Array.Empty<string>() : [$"Created the database '{created}'."],
                applied == 0 ? "The database is up to date." : $"Applied {applied} migration(s).",
            ]);
        });
        return command;
    }

    public static Command Prune(CliHost host)
    {
        var command = new Command("prune", "Remove expired tokens, authorizations, sessions and unused registered clients once, and exit.");
        command.SetAction(async (parsed, ct) =>
        {
            await host.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync(ct);
            var result = await host.Services.GetRequiredService<PruneJob>().RunAsync(ct)
                ?? throw new CliFailure("Prune failed; run it again with --verbose to see the log.");
            return CliOutput.Print(parsed, result, r => [
                $"Removed {r.Tokens} token(s), {r.Authorizations} authorization(s) and {r.Sessions} session(s) in {r.Duration.TotalSeconds:F1} s.",
                $"Removed {r.Clients} registered client(s) that never signed anyone in.",
            ]);
        });
        return command;
    }
}
