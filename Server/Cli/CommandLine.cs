using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using IdentityServer.Hosting;

namespace IdentityServer.Cli;

/// <summary>
/// Command-line verbs (<c>dotnet IdentityServer.dll clients list</c>, <c>-- migrate</c>, …; README "Command line"):
/// each does its work against the configured database and exits instead of serving. Exit codes: 0 done,
/// 1 failed (one line on stderr says why), 2 the command line is wrong.
/// </summary>
internal static class CommandLine
{
    /// <summary>
    /// Only the first argument names a verb: "--urls http://…" is an option and its value, not a command, and
    /// "Key=value" is a configuration override.
    /// </summary>
    public static string? VerbOf(string[] args) => args switch
    {
        ["--help" or "-h" or "-?"] => args[0],
        [var first, ..] when !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal) => first,
        _ => null,
    };

    /// <summary>
    /// Before the server is built: a verb's stdout is its result (a script may parse its JSON), so the server's
    /// console log is off unless <c>--verbose</c> asks for it, on stderr.
    /// </summary>
    public static WebApplicationBuilder UseCommandLine(this WebApplicationBuilder builder, string[] args)
    {
        if (VerbOf(args) is not null)
        {
            builder.Logging.ClearProviders();
            if (args.Contains("--verbose", StringComparer.Ordinal))
            {
                builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            }
        }

        return builder;
    }

    public static async Task<bool> TryRunCommandAsync(this WebApplication app, string[] args)
    {
        if (VerbOf(args) is not { } verb)
        {
            return false;
        }

        var root = CliVerbs.Root(new CliHost(app));
        if (!verb.StartsWith('-') && !root.Subcommands.Any(c => c.Name == verb))
        {
            return Fail($"Unknown command '{verb}'. Commands: {string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))} (--help for more).", CliFailure.Usage);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
        {
            return Fail($"{parsed.Errors[0].Message} See '{PathOf(parsed.CommandResult)} --help'.", CliFailure.Usage);
        }

        try
        {
            Environment.ExitCode = await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliFailure failure)
        {
            Fail(failure.Message, failure.ExitCode);
        }
        catch (Exception e) when (StartupFailures.Describe(e) is { } reason)
        {
            Fail(reason, CliFailure.Failed);
        }
        catch (Exception e)
        {
            // A bug, not a setting: still one line; --verbose adds the log and the stack trace to report it with.
            if (args.Contains("--verbose", StringComparer.Ordinal))
            {
                Console.Error.WriteLine(e);
            }

            Fail($"{verb} failed: {e.GetType().Name}: {e.Message}".ReplaceLineEndings(" "), CliFailure.Failed);
        }

        return true;
    }

    /// <summary>"clients add": the words that named the command, without the program's.</summary>
    private static string PathOf(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult { Parent: not null } named; result = result.Parent)
        {
            names.Insert(0, named.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static bool Fail(string message, int exitCode)
    {
        Console.Error.WriteLine(message);
        Environment.ExitCode = exitCode;
        return true;
    }
}
