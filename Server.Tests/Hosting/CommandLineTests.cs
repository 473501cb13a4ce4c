using System.Diagnostics;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Hosting;

/// <summary>The built server run as a process with a command-line verb.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int ExitCode, string Output)> RunAsync(string folder, params string[] args)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "IdentityServer.dll");
        var projectDir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(projectDir, "IdentityServer.sln")))
        {
            projectDir = Path.GetDirectoryName(projectDir)!;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(projectDir, "Server"), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(serverDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["IdentityServer__Database__ConnectionString"] = $"Data Source={Path.Combine(folder, "cli.db")}";
        start.Environment["IdentityServer__Keys__Directory"] = folder;
        using var process = Process.Start(start)!;
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
