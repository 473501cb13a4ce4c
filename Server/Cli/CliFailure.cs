namespace IdentityServer.Cli;

/// <summary>A verb failed for a reason the caller can act on: its one-line message goes to stderr, and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliFailure(string message, int exitCode = CliFailure.Failed) : Exception(message)
{
    /// <summary>The verb ran and failed: not found, refused, invalid input, database unusable.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong: unknown verb, missing or malformed arguments.</summary>
    public const int Usage = 2;

    public int ExitCode => exitCode;
}
