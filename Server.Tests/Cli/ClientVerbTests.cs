using System.Text.Json;

namespace IdentityServer.Tests.Cli;

/// <summary><c>clients …</c> run as a process against a fresh SQLite database.</summary>
public sealed class ClientVerbTests
{
    [Fact]
    public async Task AClientIsAddedListedGivenANewSecretAndRemoved()
    {
        using var cli = new CliProcess();

        var added = (await cli.RunAsync("clients", "add", "reports", "--grant", "client_credentials", "--scope", "api", "--name", "Reports job")).Succeeded();
        var secret = added.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.Contains("Created client 'reports'", added.Output, StringComparison.Ordinal);
        Assert.Equal(43, secret.Length);

        var list = (await cli.RunAsync("clients", "list")).Succeeded();
        Assert.Matches(@"(?m)^reports\s+confidential\s+api\s+Reports job$", list.Output);
        Assert.Matches(@"(?m)^web\s+confidential\s+configuration", list.Output);

        var json = (await cli.RunAsync("clients", "list", "--json")).Succeeded();
        using var document = JsonDocument.Parse(json.Output);
        var reports = document.RootElement.EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == "reports");
        Assert.Equal(["api"], reports.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.DoesNotContain(secret, json.Output, StringComparison.Ordinal);

        var rotated = (await cli.RunAsync("clients", "rotate-secret", "reports", "--json")).Succeeded();
        using (var answer = JsonDocument.Parse(rotated.Output))
        {
            var newSecret = answer.RootElement.GetProperty("clientSecret").GetString();
            Assert.False(string.IsNullOrEmpty(newSecret));
            Assert.NotEqual(secret, newSecret);
        }

        (await cli.RunAsync("clients", "remove", "reports")).Succeeded();
        Assert.Equal("No client with the id 'reports'.", (await cli.RunAsync("clients", "show", "reports")).FailedWithOneLine());
    }

    [Fact]
    public async Task AClientDeclaredInConfigurationIsRefusedWithTheSettingToEdit()
    {
        using var cli = new CliProcess();

        var refused = (await cli.RunAsync("clients", "rotate-secret", "web")).FailedWithOneLine();
        Assert.Contains("IdentityServer:Clients", refused, StringComparison.Ordinal);
        Assert.Contains("IdentityServer:Clients", (await cli.RunAsync("clients", "remove", "machine")).FailedWithOneLine(), StringComparison.Ordinal);

        var duplicate = (await cli.RunAsync("clients", "add", "web", "--type", "public", "--grant", "authorization_code", "--redirect-uri", "http://localhost/cb")).FailedWithOneLine();
        Assert.Contains("already exists", duplicate, StringComparison.Ordinal);
        var invalid = (await cli.RunAsync("clients", "add", "spa2", "--type", "public", "--grant", "authorization_code")).FailedWithOneLine();
        Assert.Contains("redirect", invalid, StringComparison.OrdinalIgnoreCase);
    }
}
