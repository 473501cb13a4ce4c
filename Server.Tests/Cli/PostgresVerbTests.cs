using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Cli;

/// <summary><c>migrate</c> and start-up failures against a real, throwaway PostgreSQL.</summary>
public sealed class PostgresVerbTests(PostgresCluster postgres) : IClassFixture<PostgresCluster>
{
    [PostgresFact]
    public async Task MigrateCreatesAMissingDatabaseAndStartUpWithoutItNamesTheSetting()
    {
        using var cli = new CliProcess();
        cli.Environment["IdentityServer__Database__Provider"] = "Postgres";
        cli.Environment["IdentityServer__Database__ConnectionString"] = postgres.ConnectionString("made_by_migrate");

        var missing = (await cli.RunAsync("clients", "list")).FailedWithOneLine();
        Assert.StartsWith("IdentityServer:Database:ConnectionString:", missing, StringComparison.Ordinal);
        Assert.Contains("made_by_migrate", missing, StringComparison.Ordinal);
        Assert.Contains("migrate", missing, StringComparison.Ordinal);

        var migrated = (await cli.RunAsync("migrate")).Succeeded();
        Assert.Contains("Created the database 'made_by_migrate'.", migrated.Output, StringComparison.Ordinal);
        Assert.Matches(@"Applied \d+ migration\(s\)\.", migrated.Output);
        Assert.Equal("The database is up to date.", (await cli.RunAsync("migrate")).Succeeded().Output.Trim());
        Assert.Contains("web", (await cli.RunAsync("clients", "list")).Succeeded().Output, StringComparison.Ordinal);

        cli.Environment["IdentityServer__Database__ConnectionString"] = postgres.ConnectionString("made_by_migrate").Replace("Username=postgres", "Username=nobody", StringComparison.Ordinal);
        Assert.StartsWith("IdentityServer:Database:ConnectionString: the database refused the credentials", (await cli.RunAsync("users", "list")).FailedWithOneLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableDatabaseStopsTheServerWithOneLineNamingTheSetting()
    {
        using var cli = new CliProcess();
        cli.Environment["IdentityServer__Database__Provider"] = "Postgres";
        cli.Environment["IdentityServer__Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=identity;Username=identity";

        var server = await cli.RunAsync("--urls", "http://127.0.0.1:0");
        var line = server.FailedWithOneLine();
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
        Assert.StartsWith("IdentityServer:Database:ConnectionString: cannot reach the database", line, StringComparison.Ordinal);
        Assert.StartsWith("IdentityServer:Database:ConnectionString: cannot reach the database", (await cli.RunAsync("users", "list")).FailedWithOneLine(), StringComparison.Ordinal);
    }
}
