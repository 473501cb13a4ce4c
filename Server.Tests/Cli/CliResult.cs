namespace IdentityServer.Tests.Cli;

/// <summary>What a verb printed, and how it exited.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Succeeded, or fails the test with everything the process printed.</summary>
    public CliResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}\n{Output}\n{Error}");
        return this;
    }

    /// <summary>Failed with <paramref name="exitCode"/> and exactly one line on stderr, which is returned.</summary>
    public string FailedWithOneLine(int exitCode = 1)
    {
        Assert.True(ExitCode == exitCode, $"exit {ExitCode}, expected {exitCode}\n{Output}\n{Error}");
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr:\n" + Error);
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
        return lines[0];
    }
}
