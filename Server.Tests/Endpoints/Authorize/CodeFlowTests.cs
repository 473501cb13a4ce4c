using System.Net;
using System.Net.Http.Headers;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Authorize;

/// <summary>The whole code + PKCE flow through the real sign-in and consent pages, then every follow-up endpoint.</summary>
public sealed class CodeFlowTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task SpaSignsInConsentsAndUsesEveryEndpoint()
    {
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var request = OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge);
        var redirect = await OAuth.AuthorizeAsync(browser, request);

        Assert.StartsWith(OAuth.SpaRedirect + "?", redirect.AbsoluteUri, StringComparison.Ordinal);
        var query = OAuth.Query(redirect);
        Assert.Equal(request["state"], query["state"]);
        Assert.Equal("http://localhost/", query["iss"]);

        var token = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = query["code"],
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.True(token.Headers.CacheControl?.NoStore);
        var tokens = await OAuth.JsonAsync(token);
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var idToken = tokens.GetProperty("id_token").GetString()!;
        var refreshToken = tokens.GetProperty("refresh_token").GetString()!;
        Assert.InRange(tokens.GetProperty("expires_in").GetInt32(), 899, 900);
        var accessClaims = OAuth.JwtPayload(accessToken);
        Assert.Equal(900, accessClaims["exp"].GetInt64() - accessClaims["iat"].GetInt64());

        Assert.Equal("at+jwt", OAuth.JwtHeader(accessToken)["typ"].GetString());
        Assert.Equal("RS256", OAuth.JwtHeader(idToken)["alg"].GetString());
        var idClaims = OAuth.JwtPayload(idToken);
        Assert.Equal(request["nonce"], idClaims["nonce"].GetString());
        Assert.Equal("alice", idClaims["preferred_username"].GetString());
        Assert.True(idClaims.ContainsKey("auth_time"));
        var subject = idClaims["sub"].GetString();
        Assert.Equal(subject, OAuth.JwtPayload(accessToken)["sub"].GetString());

        using var userInfo = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var info = await browser.Http.SendAsync(userInfo);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        var claims = await OAuth.JsonAsync(info);
        Assert.Equal(subject, claims.GetProperty("sub").GetString());
        Assert.Equal("Alice Example", claims.GetProperty("name").GetString());
        Assert.Equal("alice@example.com", claims.GetProperty("email").GetString());
        Assert.True(claims.GetProperty("email_verified").GetBoolean());
        Assert.Equal("admin", claims.GetProperty("role")[0].GetString());

        var refreshed = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, refreshToken));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var newRefresh = (await OAuth.JsonAsync(refreshed)).GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(refreshToken, newRefresh);

        var introspected = await OAuth.IntrospectAsync(browser.Http, accessToken);
        Assert.True(introspected.GetProperty("active").GetBoolean());
        Assert.Equal(subject, introspected.GetProperty("sub").GetString());

        var revoke = await browser.Http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = OAuth.Spa, ["token"] = newRefresh, ["token_type_hint"] = "refresh_token",
        }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.False((await OAuth.IntrospectAsync(browser.Http, newRefresh)).GetProperty("active").GetBoolean());
        var afterRevoke = await OAuth.TokenAsync(browser.Http, Grants.RefreshToken(OAuth.Spa, newRefresh));
        Assert.Equal(HttpStatusCode.BadRequest, afterRevoke.StatusCode);
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(afterRevoke)).GetProperty("error").GetString());

        // RFC 7009 §2.1: the access tokens of the revoked refresh token's grant go with it.
        Assert.False((await OAuth.IntrospectAsync(browser.Http, accessToken)).GetProperty("active").GetBoolean());

        var endSession = await browser.GetAsync("/connect/endsession?" + string.Join('&',
            "id_token_hint=" + idToken, "post_logout_redirect_uri=" + Uri.EscapeDataString("http://localhost:5173/"), "state=bye"));
        Assert.Equal(HttpStatusCode.Redirect, endSession.StatusCode);
        Assert.Equal("http://localhost:5173/?state=bye", endSession.Headers.Location!.AbsoluteUri);

        // Signed out: a new authorization request goes to the sign-in page again.
        var again = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge)));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith("/Account/Login", again.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RememberedConsentIsNotAskedTwice()
    {
        using var browser = server.CreateBrowser();
        await OAuth.SignInSpaAsync(browser);
        var (_, challenge) = OAuth.Pkce();
        var second = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge)));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.StartsWith(OAuth.SpaRedirect + "?code=", second.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstPartyClientSkipsConsent()
    {
        using var browser = server.CreateBrowser();
        var (_, challenge) = OAuth.Pkce();
        var login = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, challenge)));
        var form = await browser.GetAsync(login.Headers.Location!.OriginalString);
        var posted = await browser.SubmitFormAsync(form, new Dictionary<string, string> { ["Login"] = "alice@example.com", ["Password"] = ServerFactory.AlicePassword });
        var back = await browser.GetAsync(posted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.StartsWith(OAuth.WebRedirect + "?code=", back.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }
}
