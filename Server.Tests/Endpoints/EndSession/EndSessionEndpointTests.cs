using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.EndSession;

public sealed class EndSessionEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string PostLogout = "http://localhost:5173/";

    private static string EndSessionUrl(string? idToken, string postLogout, string state) =>
        "/connect/endsession?" + string.Join('&', new[]
        {
            idToken is null ? null : "id_token_hint=" + idToken,
            "post_logout_redirect_uri=" + Uri.EscapeDataString(postLogout),
            "state=" + state,
        }.Where(p => p is not null));

    private static async Task<bool> IsSignedInAsync(Browser browser)
    {
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge)));
        return !response.Headers.Location!.OriginalString.StartsWith("/Account/Login", StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnregisteredPostLogoutRedirectGetsAnErrorPageAndKeepsTheSession()
    {
        using var browser = server.CreateBrowser();
        var idToken = (await OAuth.SignInSpaAsync(browser)).GetProperty("id_token").GetString();
        var response = await browser.GetAsync(EndSessionUrl(idToken, "https://evil.example/", "s1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.True(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task WithoutAHintThePersonIsAskedFirst()
    {
        using var browser = server.CreateBrowser();
        await OAuth.SignInSpaAsync(browser);
        var page = await browser.GetAsync(EndSessionUrl(null, PostLogout, "s2"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(await IsSignedInAsync(browser));

        var confirmed = await browser.SubmitFormAsync(page, button: ("confirm", "yes"));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(PostLogout + "?state=s2", confirmed.Headers.Location!.AbsoluteUri);
        Assert.False(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task ConfirmationWithoutAntiforgeryTokenIsRefused()
    {
        using var browser = server.CreateBrowser();
        await OAuth.SignInSpaAsync(browser);
        var response = await browser.PostFormAsync("/connect/endsession", new Dictionary<string, string>
        {
            ["post_logout_redirect_uri"] = PostLogout, ["confirm"] = "yes",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(await IsSignedInAsync(browser));
    }

    [Fact]
    public async Task ATamperedHintIsNotTrusted()
    {
        using var other = server.CreateBrowser();
        var foreign = (await OAuth.SignInSpaAsync(other)).GetProperty("id_token").GetString()!;

        using var browser = server.CreateBrowser();
        await OAuth.SignInSpaAsync(browser);

        var garbage = foreign[..^5] + "AAAAA";
        var response = await browser.GetAsync(EndSessionUrl(garbage, PostLogout, "s3"));
        Assert.Null(response.Headers.Location);
        Assert.True(await IsSignedInAsync(browser));
    }
}
