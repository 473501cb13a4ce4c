using IdentityServer.Data;
using IdentityServer.Hosting;
using IdentityServer.Jobs;
using Microsoft.Extensions.Options;

namespace IdentityServer.Cli;

/// <summary>
/// Command-line verbs: <c>dotnet run --project Server -- migrate</c> applies migrations, <c>-- prune</c>
/// prunes once; each prints what it did and exits.
/// </summary>
internal static class CommandLine
{
    public static async Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        // Only the first argument names a verb: "--urls http://…" is an option and its value, not a command.
        var verb = args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal) ? args[0] : null;
        switch (verb)
        {
            case null:
                return false;
            case "migrate":
                await using (await StartupLock.AcquireAsync(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value, CancellationToken.None))
                {
                    var applied = await app.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None, force: true);
                    Console.WriteLine(applied == 0 ? "The database is up to date." : $"Applied {applied} migration(s).");
                }

                return true;
            case "prune":
                await app.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync(CancellationToken.None);
                var result = await app.Services.GetRequiredService<PruneJob>().RunAsync(CancellationToken.None);
                if (result is null)
                {
                    Console.Error.WriteLine("Prune failed; see the log above.");
                    Environment.ExitCode = 1;
                    return true;
                }

                Console.WriteLine($"Removed {result.Tokens} token(s), {result.Authorizations} authorization(s) and {result.Sessions} session(s) in {result.Duration.TotalSeconds:F1} s.");
                Console.WriteLine($"Removed {result.Clients} registered client(s) that never signed anyone in.");
                return true;
            default:
                Console.Error.WriteLine($"Unknown command '{verb}'. Commands: migrate, prune.");
                Environment.ExitCode = 2;
                return true;
        }
    }
}
