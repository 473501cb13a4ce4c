using System.Diagnostics;
using Npgsql;

namespace IdentityServer.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster (initdb + pg_ctl from the installed postgresql package) on a free
/// loopback port, removed afterwards. A watchdog process removes it too if the test host dies.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private readonly string folder = Path.Combine("/tmp", "idsrv-pg-" + Guid.NewGuid().ToString("N"));
    private Process? watchdog;

    public static string? BinDirectory => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
        : null;

    public int Port { get; private set; }

    private string Data => Path.Combine(folder, "data");

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    public async Task InitializeAsync()
    {
        if (BinDirectory is null)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        await RunAsync("chown", "postgres:", folder);
        await AsPostgresAsync("initdb", "-D", Data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C");
        Port = LoopbackPort.Free();
        await File.AppendAllTextAsync(Path.Combine(Data, "postgresql.conf"),
            $"\nport={Port}\nunix_socket_directories='{folder}'\nlisten_addresses='127.0.0.1'\nfsync=off\nsynchronous_commit=off\nfull_page_writes=off\nshared_buffers=32MB\nmax_connections=200\n");
        await StartAsync();
        watchdog = Process.Start(new ProcessStartInfo("setsid")
        {
            ArgumentList = { "sh", "-c", $"cat >/dev/null; runuser -u postgres -- {BinDirectory}/pg_ctl -D {Data} -m immediate -w stop; rm -rf {folder}" },
            RedirectStandardInput = true,
        });
    }

    public Task StartAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "30", "start");

    public Task StopAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "stop");

    public Task RestartAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(folder, "server.log"), "-m", "fast", "-w", "-t", "30", "restart");

    public async Task<string> CreateDatabaseAsync(string name)
    {
        // Not pooled: after a test stops or restarts the cluster, a pooled connection is a dead one.
        await using var connection = new NpgsqlConnection(ConnectionString("postgres").Replace("Pooling=true", "Pooling=false", StringComparison.Ordinal));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        if (watchdog is not null)
        {
            NpgsqlConnection.ClearAllPools();
            watchdog.StandardInput.Close();
            await watchdog.WaitForExitAsync();
        }
    }

    private static Task AsPostgresAsync(string tool, params string[] args) =>
        RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory!, tool), .. args]);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await output}{await error}");
        }
    }

}

/// <summary>Runs where PostgreSQL's binaries are installed; skipped with a reason elsewhere, never in CI.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresCluster.BinDirectory is null && Environment.GetEnvironmentVariable("CI") is null)
        {
            Skip = "PostgreSQL binaries are not installed (apt-get install postgresql).";
        }
    }
}
