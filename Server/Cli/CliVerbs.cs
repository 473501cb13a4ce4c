using System.CommandLine;

namespace IdentityServer.Cli;

/// <summary>
/// The verbs, in the order <c>--help</c> lists them. A new verb is a class in this
/// folder with a <c>Create(CliHost)</c> that returns its <see cref="Command"/>, and one line here.
/// </summary>
internal static class CliVerbs
{
    public static RootCommand Root(CliHost host)
    {
        var root = new RootCommand("IdentityServer: with no command, serves; with one, does it and exits.")
        {
            CliOutput.Json,
            new Option<bool>("--verbose") { Description = "Show the server's log on stderr.", Recursive = true },
        };

        Command[] verbs =
        [
            DatabaseVerbs.Migrate(host),
            DatabaseVerbs.Prune(host),
            ClientVerbs.Create(host),
            UserVerbs.Create(host),
            SessionVerbs.Create(host),
            KeyVerbs.Create(host),
            ConfigVerbs.Create(host),
            ResetVerb.Create(host),
            TokenVerb.Create(host),
        ];
        foreach (var verb in verbs)
        {
            root.Add(verb);
        }

        return root;
    }
}
