using System.Net;
using IdentityServer.Sessions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IdentityServer.Tests.Security;

/// <summary>What a copy of the database gives an attacker: no key ring in clear, no session id, no second factor.</summary>
public sealed class SecretsAtRestTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={server.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return values;
    }

    [Fact]
    public async Task TheDataProtectionKeyRingIsEncrypted()
    {
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");

        var keys = await ColumnAsync("SELECT Xml FROM DataProtectionKeys");
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task SessionIdsAreStoredHashedAndNeverShown()
    {
        using var browser = server.CreateBrowser();
        var cookie = SessionAttackTests.CookieValue(await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/"));
        var id = SessionAttackTests.SessionId(server, cookie);

        var stored = await ColumnAsync("SELECT Id FROM UserSessions");
        Assert.DoesNotContain(id, stored);
        Assert.Contains(SessionIds.Hash(id), stored);

        var page = await (await browser.GetAsync("/Account/Manage/Sessions")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(id, page, StringComparison.Ordinal);
        Assert.DoesNotContain(SessionIds.Hash(id), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticatorKeysAndRecoveryCodesAreNotStoredInClear()
    {
        // A person of its own: alice on the shared server keeps signing in with her password alone.
        var name = await People.NewUserAsync(server, "two-factor");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword, "/");
        var (key, enabled) = await People.EnableTwoFactorAsync(browser);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codes = (await Browser.HtmlAsync(enabled)).QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent).ToList();
        Assert.NotEmpty(codes);

        var stored = string.Join('\n', await ColumnAsync("SELECT Value FROM AspNetUserTokens"));
        Assert.DoesNotContain(key.Replace(" ", "", StringComparison.Ordinal), stored, StringComparison.OrdinalIgnoreCase);
        Assert.All(codes, code => Assert.DoesNotContain(code, stored, StringComparison.Ordinal));

        // And the second factor still works: a fresh sign-in asks for it and accepts the app's code.
        using var fresh = server.CreateBrowser();
        var right = await People.SignInWithSecondFactorAsync(fresh, name, People.NewUserPassword, key, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }
}
