using System.Text.Json;

namespace IdentityServer.Tests.Cli;

/// <summary><c>config export|check</c>, <c>reset</c>, and what a wrong command line gets.</summary>
public sealed class ConfigAndResetVerbTests
{
    [Fact]
    public async Task ConfigExportWritesTheClientsAndUsersUnderTheirSettingsWithoutSecrets()
    {
        using var cli = new CliProcess();

        var export = (await cli.RunAsync("config", "export")).Succeeded();
        using var document = JsonDocument.Parse(export.Output);
        var root = document.RootElement.GetProperty("IdentityServer");
        var clients = root.GetProperty("Clients").EnumerateArray().Select(c => c.GetProperty("ClientId").GetString()).ToList();
        Assert.Contains("web", clients);
        Assert.Contains("spa", clients);
        Assert.Contains("alice", root.GetProperty("Users").EnumerateArray().Select(u => u.GetProperty("UserName").GetString()));
        Assert.DoesNotContain("secret-change-me", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Secret\"", export.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Password\"", export.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheckPassesWithTheDefaultsAndNamesABadSetting()
    {
        using var cli = new CliProcess();
        Assert.Equal("Configuration is valid.", (await cli.RunAsync("config", "check")).Succeeded().Output.Trim());

        cli.Environment["IdentityServer__Tokens__AccessTokenLifetime"] = "-1";
        var failure = (await cli.RunAsync("config", "check")).FailedWithOneLine();
        Assert.StartsWith("IdentityServer:Tokens:AccessTokenLifetime: must be between", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResetDeletesTheDatabaseInDevelopmentOnlyAndAsksFirst()
    {
        using var cli = new CliProcess();
        (await cli.RunAsync("clients", "list")).Succeeded();
        Assert.True(File.Exists(cli.DatabaseFile));

        Assert.Equal("Nothing deleted.", (await cli.RunWithInputAsync("n", "reset")).FailedWithOneLine());
        Assert.True(File.Exists(cli.DatabaseFile));

        cli.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        cli.Environment["IdentityServer__Issuer"] = "https://id.example.com/";
        cli.Environment["IdentityServer__Keys__GenerateMissing"] = "true";
        Assert.StartsWith("reset deletes data and runs only in Development", (await cli.RunAsync("reset", "--yes")).FailedWithOneLine(), StringComparison.Ordinal);
        Assert.StartsWith("token runs only in Development", (await cli.RunAsync("token", "--client", "machine")).FailedWithOneLine(), StringComparison.Ordinal);
        Assert.True(File.Exists(cli.DatabaseFile));

        cli.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var reset = (await cli.RunAsync("reset", "--yes")).Succeeded();
        Assert.Contains($"Deleted {cli.DatabaseFile}", reset.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.DatabaseFile));
    }

    [Fact]
    public async Task PendingMigrationsWithMigrateAtStartupOffStopWithOneLineUntilMigrateRuns()
    {
        using var cli = new CliProcess();
        cli.Environment["IdentityServer__Database__MigrateAtStartup"] = "false";

        var pending = (await cli.RunAsync("clients", "list")).FailedWithOneLine();
        Assert.StartsWith("IdentityServer:Database:MigrateAtStartup is false and", pending, StringComparison.Ordinal);
        Assert.Equal(pending, (await cli.RunAsync("--urls", "http://127.0.0.1:0")).FailedWithOneLine());

        Assert.Matches(@"Applied \d+ migration\(s\)\.", (await cli.RunAsync("migrate")).Succeeded().Output);
        Assert.Contains("web", (await cli.RunAsync("clients", "list")).Succeeded().Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "clients", "add")]
    [InlineData(2, "clients", "list", "--frobnicate")]
    [InlineData(2, "token")]
    [InlineData(2, "token", "--client", "machine", "--lifetime", "soon")]
    [InlineData(2, "sessions", "end")]
    public async Task AWrongCommandLineFailsWithOneLine(int exitCode, params string[] args)
    {
        using var cli = new CliProcess();
        var line = (await cli.RunAsync(args)).FailedWithOneLine(exitCode);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryVerbHasHelp()
    {
        using var cli = new CliProcess();
        var help = (await cli.RunAsync("--help")).Succeeded().Output;
        foreach (var verb in new[] { "migrate", "prune", "clients", "users", "sessions", "config", "reset", "token" })
        {
            Assert.Matches($@"(?m)^\s+{verb}\s", help);
        }

        Assert.Contains("rotate-secret", (await cli.RunAsync("clients", "--help")).Succeeded().Output, StringComparison.Ordinal);
    }
}
