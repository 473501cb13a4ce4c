using System.Net;
using System.Net.Http.Headers;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Revocation;

/// <summary>RFC 7009 at /connect/revoke: what a revoked token takes down with it, as an API and the client see it.</summary>
public sealed class RevocationEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static async Task RevokeAsync(HttpClient http, string token, string hint)
    {
        var response = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = OAuth.Spa, ["token"] = token, ["token_type_hint"] = hint,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpStatusCode> UserInfoStatusAsync(HttpClient http, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return (await http.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task RevokingARefreshTokenRevokesTheAccessTokensIssuedFromIt()
    {
        using var browser = server.CreateBrowser();
        var first = await OAuth.SignInSpaAsync(browser);
        var refreshed = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, first.GetProperty("refresh_token").GetString()!)));
        var accessTokens = new[] { first.GetProperty("access_token").GetString()!, refreshed.GetProperty("access_token").GetString()! };
        // Another browser's sign-in (within one browser session the app's sign-ins share one grant).
        using var otherBrowser = server.CreateBrowser();
        var other = await OAuth.SignInSpaAsync(otherBrowser);
        foreach (var token in accessTokens)
        {
            Assert.True((await OAuth.IntrospectAsync(browser.Http, token)).GetProperty("active").GetBoolean());
        }

        await RevokeAsync(browser.Http, refreshed.GetProperty("refresh_token").GetString()!, "refresh_token");

        foreach (var token in accessTokens)
        {
            Assert.False((await OAuth.IntrospectAsync(browser.Http, token)).GetProperty("active").GetBoolean());
            Assert.Equal(HttpStatusCode.Unauthorized, await UserInfoStatusAsync(browser.Http, token));
        }

        // The grant is gone, not just its newest token; another sign-in's tokens are untouched.
        var again = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, refreshed.GetProperty("refresh_token").GetString()!));
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(again)).GetProperty("error").GetString());
        Assert.True((await OAuth.IntrospectAsync(browser.Http, other.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await UserInfoStatusAsync(browser.Http, other.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task RevokingAnAccessTokenLeavesItsRefreshTokenWorking()
    {
        using var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser);
        var access = tokens.GetProperty("access_token").GetString()!;
        await RevokeAsync(browser.Http, access, "access_token");

        Assert.False((await OAuth.IntrospectAsync(browser.Http, access)).GetProperty("active").GetBoolean());
        var refreshed = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, tokens.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }
}
