using System.Diagnostics;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Cli;

/// <summary>The built server run as a process with a verb, against its own SQLite file, keys and mail folder in a temp folder.</summary>
internal sealed class CliProcess : IDisposable
{
    public CliProcess()
    {
        Directory.CreateDirectory(Folder);
        Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        Environment["IdentityServer__Database__ConnectionString"] = $"Data Source={DatabaseFile}";
        Environment["IdentityServer__Keys__Directory"] = Folder;
        Environment["IdentityServer__Accounts__Email__PickupDirectory"] = MailFolder;
    }

    public string Folder { get; } = ServerFactory.NewFolder();

    public string DatabaseFile => Path.Combine(Folder, "cli.db");

    public string MailFolder => Path.Combine(Folder, "mail");

    public Dictionary<string, string> Environment { get; } = [];

    public static ProcessStartInfo Start(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(Repository.Root, "Server"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IdentityServer.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public async Task<CliResult> RunWithInputAsync(string? input, params string[] args)
    {
        using var process = Process.Start(Start(Environment, args))!;
        if (input is not null)
        {
            await process.StandardInput.WriteLineAsync(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    public void Dispose() => ServerFactory.DeleteFolder(Folder);
}
