using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Token;

/// <summary>SQLite under parallel writers: every request succeeds, none sees "database is locked".</summary>
public sealed class ConcurrencyTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task ParallelTokenRequestsAllSucceed()
    {
        using var http = server.CreateClient();
        var tasks = Enumerable.Range(0, 64).Select(async _ =>
        {
            var response = await Grants.MachineTokenAsync(http);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        });
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.True(r.StatusCode == HttpStatusCode.OK, r.Body));
    }

    [Fact]
    public async Task ACodePresentedManyTimesAtOnceIsRedeemedExactlyOnce()
    {
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge)))["code"];
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = code,
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var response = await OAuth.TokenAsync(browser.Http, form);
            return (response.StatusCode, Body: await OAuth.JsonAsync(response));
        }));

        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("invalid_grant", r.Body.GetProperty("error").GetString());
        });
    }

    /// <summary>
    /// OpenIddict deliberately tolerates a refresh token presented twice in the same instant (two tabs
    /// refreshing together): the race may answer more than once. Every answer must still be a 200 or an
    /// invalid_grant, never a server error, and reuse after the race is detected as usual.
    /// </summary>
    [Fact]
    public async Task ARefreshTokenPresentedManyTimesAtOnceNeverFailsTheServer()
    {
        // Its own server: the reuse leeway is configured away.
        using var factory = new ServerFactory();
        factory.Settings["IdentityServer:Tokens:RefreshTokenReuseLeeway"] = "00:00:00";
        using var browser = factory.CreateBrowser();
        var token = (await OAuth.SignInSpaAsync(browser)).GetProperty("refresh_token").GetString()!;
        var form = Grants.RefreshToken(OAuth.Spa, token);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var response = await OAuth.TokenAsync(browser.Http, form);
            return (response.StatusCode, Body: await OAuth.JsonAsync(response));
        }));

        Assert.Contains(results, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("invalid_grant", r.Body.GetProperty("error").GetString());
        });
        var later = await OAuth.TokenAsync(browser.Http, form);
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(later)).GetProperty("error").GetString());
    }
}
