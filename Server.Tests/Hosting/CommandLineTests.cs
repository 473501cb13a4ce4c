using System.Diagnostics;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Hosting;

/// <summary>The built server run as a process with a command-line verb.</summary>
public sealed class CommandLineTests
{
    private static ProcessStartInfo Server(string folder, string[] args)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "IdentityServer.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(Repository.Root, "Server"), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(serverDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["IdentityServer__Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "cli.db")}";
        start.Environment["IdentityServer__Keys__Directory"] = folder;
        return start;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string folder, params string[] args)
    {
        using var process = Process.Start(Server(folder, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task PruneRunsOncePrintsWhatItRemovedAndExits()
    {
        var folder = ServerFactory.NewFolder();
        Directory.CreateDirectory(folder);
        try
        {
            var (code, output) = await RunAsync(folder, "prune");
            Assert.True(code == 0, output);
            Assert.Matches(@"Removed \d+ token\(s\), \d+ authorization\(s\) and \d+ session\(s\)", output);
            Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task AnOptionsValueIsNoCommand()
    {
        var folder = ServerFactory.NewFolder();
        Directory.CreateDirectory(folder);
        using var process = Process.Start(Server(folder, ["--urls", "http://127.0.0.1:0"]))!;
        try
        {
            // "dotnet run --project Server --urls http://…" once took the address for an unknown command.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null && !line.Contains("Now listening on: http://127.0.0.1:", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("Unknown command", line, StringComparison.Ordinal);
            }

            Assert.NotNull(line);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task AnUnknownCommandFailsWithTheListOfCommands()
    {
        var folder = ServerFactory.NewFolder();
        Directory.CreateDirectory(folder);
        try
        {
            var (code, output) = await RunAsync(folder, "frobnicate");
            Assert.Equal(2, code);
            Assert.Contains("Unknown command 'frobnicate'", output, StringComparison.Ordinal);
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }
}
