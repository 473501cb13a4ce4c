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

        // A leaked key, replaced with --now, is revoked: gone from the list (and the JWKS); the active key cannot be.
        Assert.Contains("revoked", (await cli.RunAsync("keys", "revoke", active)).Succeeded().Output, StringComparison.Ordinal);
        Assert.DoesNotContain(active, (await cli.RunAsync("keys", "list")).Succeeded().Output, StringComparison.Ordinal);
        Assert.Equal($"No signing key with the kid '{active}'.", (await cli.RunAsync("keys", "revoke", active)).FailedWithOneLine());
        using var now = JsonDocument.Parse((await cli.RunAsync("keys", "list", "--json")).Succeeded().Output);
        var current = Assert.Single(now.RootElement.EnumerateArray()).GetProperty("kid").GetString()!;
        Assert.Contains("rotate with --now first", (await cli.RunAsync("keys", "revoke", current)).FailedWithOneLine(), StringComparison.Ordinal);

        cli.Environment["IdentityServer__Keys__Rotation__Enabled"] = "false";
        Assert.Contains("Rotation:Enabled is false", (await cli.RunAsync("keys", "rotate")).FailedWithOneLine(), StringComparison.Ordinal);
    }
}
