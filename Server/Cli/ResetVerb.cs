using System.CommandLine;
using IdentityServer.Accounts.Email;
using IdentityServer.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace IdentityServer.Cli;

/// <summary>
/// <c>reset</c>, for a developer's machine only: deletes the local SQLite database (and its -wal/-shm files) and
/// the mail pickup folder, after asking. The next start creates a fresh database from configuration.
/// </summary>
internal static class ResetVerb
{
    public static Command Create(CliHost host)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var reset = new Command("reset", "Development only: delete the local SQLite database and the mail folder, after a y/N question.") { yes };
        reset.SetAction(async (parsed, ct) =>
        {
            if (!host.HostEnvironment.IsDevelopment())
            {
                throw new CliFailure($"reset deletes data and runs only in Development (this is {host.HostEnvironment.EnvironmentName}).");
            }

            var database = host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            if (database.Provider != DatabaseProvider.Sqlite)
            {
                throw new CliFailure($"reset deletes a local SQLite file; {DatabaseOptions.Section}:Provider is {database.Provider}.");
            }

            var file = DatabaseFile(database.ConnectionString, host.HostEnvironment.ContentRootPath);
            var mail = Path.GetFullPath(Path.Combine(host.HostEnvironment.ContentRootPath,
                host.Services.GetRequiredService<IOptions<EmailOptions>>().Value.PickupDirectory ?? "mail"));
            var targets = file is null ? [] : new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists).ToList();
            if (targets.Count == 0 && !Directory.Exists(mail))
            {
                return CliOutput.Print(parsed, new { deleted = Array.Empty<string>() }, _ => ["Nothing to delete."]);
            }

            if (!parsed.GetValue(yes))
            {
                Console.Out.Write($"Delete {string.Join(", ", targets.Append(mail + "/"))}? [y/N] ");
                var answer = (await Console.In.ReadLineAsync(ct))?.Trim();
                if (answer is not ("y" or "Y" or "yes" or "Yes"))
                {
                    throw new CliFailure("Nothing deleted.");
                }
            }

            SqliteConnection.ClearAllPools();
            targets.ForEach(File.Delete);
            if (Directory.Exists(mail))
            {
                Directory.Delete(mail, recursive: true);
                targets.Add(mail);
            }

            return CliOutput.Print(parsed, new { deleted = targets }, d => d.deleted.Select(path => $"Deleted {path}"));
        });
        return reset;
    }

    /// <summary>The database file as the server resolves it (relative to the content root); null for an in-memory database.</summary>
    private static string? DatabaseFile(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.DataSource is { Length: > 0 } source && source != ":memory:" && builder.Mode != SqliteOpenMode.Memory
            && !source.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(Path.Combine(contentRoot, source))
            : null;
    }
}
