using System.Text.Json;

namespace IdentityServer.Tests.Cli;

/// <summary><c>keys list|rotate</c> against a fresh database.</summary>
public sealed class KeyVerbTests
{
    [Fact]
    public async Task KeysAreListedAndRotatedOnDemand()
    {
        using var cli = new CliProcess();
        using var listed = JsonDocument.Parse((await cli.RunAsync("keys", "list", "--json")).Succeeded().Output);
        var first = Assert.Single(listed.RootElement.EnumerateArray());
        Assert.Equal(("RS256", "active", "generated"), (first.GetProperty("algorithm").GetString(), first.GetProperty("state").GetString(), first.GetProperty("origin").GetString()));
        var active = first.GetProperty("kid").GetString()!;

        // Announced now, signing after the propagation period; a second rotate has nothing to do.
        var rotated = (await cli.RunAsync("keys", "rotate")).Succeeded().Output;
        Assert.Matches(@"RS256 \S+: generated; announced, signs from ", rotated);
        Assert.Contains("already announced", (await cli.RunAsync("keys", "rotate")).Succeeded().Output, StringComparison.Ordinal);

        // --now: a new key signs at once, the announced one is withdrawn, and the old one is retired but published.
        (await cli.RunAsync("keys", "rotate", "--now")).Succeeded();
        var table = (await cli.RunAsync("keys", "list")).Succeeded().Output;
        Assert.Matches($@"{active}\s+RS256\s+retired", table);
        Assert.Single(table.Split('\n'), l => l.Contains(" active ", StringComparison.Ordinal));
        Assert.DoesNotContain("announced", table, StringComparison.Ordinal);

        cli.Environment["IdentityServer__Keys__Rotation__Enabled"] = "false";
        Assert.Contains("Rotation:Enabled is false", (await cli.RunAsync("keys", "rotate")).FailedWithOneLine(), StringComparison.Ordinal);
    }
}
