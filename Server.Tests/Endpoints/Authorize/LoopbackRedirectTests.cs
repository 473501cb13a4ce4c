using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Authorize;

/// <summary>
/// RFC 8252 §7.3: a public client's loopback redirect URI matches on any port (a native app listens where it can),
/// the rest of it exactly; a confidential client's redirect URIs match only exactly.
/// </summary>
public sealed class LoopbackRedirectTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task APublicClientsLoopbackRedirectMatchesOnAnyPortAndTheCodeIsBoundToThatPort()
    {
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        const string redirect = "http://localhost:61234/callback";
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Spa, redirect, challenge, "openid")))["code"];

        var otherPort = await OAuth.TokenAsync(browser.Http, Redemption(code, "http://localhost:61235/callback", verifier));
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(otherPort)).GetProperty("error").GetString());

        var (verifier2, challenge2) = OAuth.Pkce();
        var code2 = OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Spa, redirect, challenge2, "openid")))["code"];
        var redeemed = await OAuth.TokenAsync(browser.Http, Redemption(code2, redirect, verifier2));
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
    }

    [Theory]
    [InlineData(OAuth.Spa, "http://localhost:61234/other")]
    [InlineData(OAuth.Spa, "http://127.0.0.1:5173/callback")]
    [InlineData(OAuth.Spa, "http://localhost:61234/callback?extra=1")]
    [InlineData(OAuth.Spa, "http://user@localhost:61234/callback")]
    [InlineData(OAuth.Web, "http://localhost:6000/signin-oidc")]
    public async Task AnythingButThePortMustMatchAndConfidentialClientsMatchExactly(string clientId, string redirect)
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(clientId, redirect, OAuth.Pkce().Challenge, "openid")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("redirect_uri", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Redemption(string code, string redirect, string verifier) => new()
    {
        ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = code, ["redirect_uri"] = redirect, ["code_verifier"] = verifier,
    };
}
