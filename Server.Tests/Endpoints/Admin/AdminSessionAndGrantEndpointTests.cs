using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Admin;

/// <summary>/admin/api/users/{id}/sessions and /admin/api/grants: what ending and revoking do to a person's apps.</summary>
public sealed class AdminSessionAndGrantEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private async Task<(Browser Browser, string RefreshToken, string UserId, string Admin)> SignedInAsync()
    {
        var name = await People.NewUserAsync(server);
        var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser, login: name, password: People.NewUserPassword);
        var admin = await AdminApi.TokenAsync(browser.Http);
        var user = (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, $"/admin/api/users?q={name}", admin))).GetProperty("items")[0];
        return (browser, tokens.GetProperty("refresh_token").GetString()!, user.GetProperty("id").GetString()!, admin);
    }

    [Fact]
    public async Task EndingOneSessionSignsThatBrowserOutAndRevokesItsRefreshToken()
    {
        var (browser, refreshToken, id, admin) = await SignedInAsync();
        using (browser)
        {
            var sessions = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, $"/admin/api/users/{id}/sessions", admin));
            var handle = Assert.Single(sessions.GetProperty("items").EnumerateArray()).GetProperty("handle").GetString();

            var ended = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(browser.Http, HttpMethod.Delete, $"/admin/api/users/{id}/sessions/{handle}", admin));

            Assert.Equal(1, ended.GetProperty("ended").GetInt32());
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Manage/Index")).StatusCode);
            var refresh = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, refreshToken));
            Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refresh)).GetProperty("error").GetString());
            await AdminApi.ProblemAsync(await AdminApi.SendAsync(browser.Http, HttpMethod.Delete, $"/admin/api/users/{id}/sessions/{handle}", admin), HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task EndingAllSessionsEndsEveryOne()
    {
        var (browser, refreshToken, id, admin) = await SignedInAsync();
        using (browser)
        {
            var ended = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(browser.Http, HttpMethod.Delete, $"/admin/api/users/{id}/sessions", admin));

            Assert.Equal(1, ended.GetProperty("ended").GetInt32());
            Assert.Equal(0, (await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, $"/admin/api/users/{id}/sessions", admin))).GetProperty("total").GetInt32());
            var refresh = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, refreshToken));
            Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refresh)).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task RevokingAGrantRevokesItsRefreshToken()
    {
        var (browser, refreshToken, id, admin) = await SignedInAsync();
        using (browser)
        {
            var grants = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, $"/admin/api/grants?userId={id}", admin));
            var grant = grants.GetProperty("items").EnumerateArray().First(g => g.GetProperty("type").GetString() == "ad-hoc" && g.GetProperty("clientId").GetString() == OAuth.Spa);
            var byClient = await AdminApi.OkJsonAsync(await AdminApi.GetAsync(browser.Http, $"/admin/api/grants?clientId={OAuth.Spa}&pageSize=100", admin));
            Assert.Contains(byClient.GetProperty("items").EnumerateArray(), g => g.GetProperty("id").GetString() == grant.GetProperty("id").GetString());

            var revoked = await AdminApi.OkJsonAsync(await AdminApi.SendAsync(browser.Http, HttpMethod.Delete, $"/admin/api/grants/{grant.GetProperty("id").GetString()}", admin));

            Assert.Equal("revoked", revoked.GetProperty("grant").GetProperty("status").GetString());
            Assert.True(revoked.GetProperty("tokensRevoked").GetInt64() >= 1);
            var refresh = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, refreshToken));
            Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refresh)).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task GrantsMustBeAskedForByPersonOrClient()
    {
        using var http = server.CreateClient();
        var admin = await AdminApi.TokenAsync(http);

        var problem = await AdminApi.ProblemAsync(await AdminApi.GetAsync(http, "/admin/api/grants", admin), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _));
        await AdminApi.ProblemAsync(await AdminApi.SendAsync(http, HttpMethod.Delete, "/admin/api/grants/no-such-grant", admin), HttpStatusCode.NotFound);
    }
}
