using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace IdentityServer.Tests.Security;

/// <summary>Work per request stays bounded: silent renewals add no rows.</summary>
public sealed class BoundedWorkTests
{
    [Fact]
    public async Task SilentRenewalsReuseTheSessionsGrant()
    {
        using var server = new ServerFactory();
        using var browser = server.CreateBrowser();
        await OAuth.SignInSpaAsync(browser);
        var before = await CountAsync(server, "SELECT COUNT(*) FROM OpenIddictAuthorizations");

        for (var renewal = 0; renewal < 5; renewal++)
        {
            var request = OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge);
            request["prompt"] = "none";
            var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("code=", response.Headers.Location!.Query, StringComparison.Ordinal);
        }

        Assert.Equal(before, await CountAsync(server, "SELECT COUNT(*) FROM OpenIddictAuthorizations"));
        Assert.Equal(1L, await CountAsync(server, "SELECT COUNT(*) FROM SessionGrants"));

        // The Apps page lists the consent once.
        var apps = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/Apps"));
        Assert.Single(apps.QuerySelectorAll("li[data-client=spa]"));
    }

    private static async Task<long> CountAsync(ServerFactory server, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={server.DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
