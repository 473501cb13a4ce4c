using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdentityServer.Tests.Sessions;

/// <summary>The sign-in cookie is a server-side session: listed, ended, timed out; ending it signs its apps out.</summary>
public sealed class SessionTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static Dictionary<string, string> Refresh(string token) => Grants.RefreshToken(OAuth.Spa, token);

    private async Task<(Browser Browser, string Refresh)> SignedInAppAsync(string login = "alice", string password = ServerFactory.AlicePassword)
    {
        var browser = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(browser, login: login, password: password);
        return (browser, tokens.GetProperty("refresh_token").GetString()!);
    }

    private static async Task<bool> SignedInAsync(Browser browser) =>
        (await browser.GetAsync("/Account/Manage")).StatusCode == HttpStatusCode.OK;

    [Fact]
    public async Task CookieHoldsOnlyAnOpaqueSessionId()
    {
        using var browser = server.CreateBrowser();
        var response = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("idsrv.session=", StringComparison.Ordinal));
        Assert.True(cookie.Split(';')[0].Length < 600, cookie);
    }

    [Fact]
    public async Task SignOutDeletesTheSessionAndItsRefreshTokens()
    {
        var (browser, refresh) = await SignedInAppAsync();
        using (browser)
        {
            var signOut = await People.PostPageAsync(browser, "/Account/Logout", new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
            Assert.False(await SignedInAsync(browser));
            Assert.Equal(HttpStatusCode.BadRequest, (await OAuth.TokenAsync(browser.Http, Refresh(refresh))).StatusCode);
        }
    }

    [Fact]
    public async Task SignOutEverywhereElseEndsTheOtherSessionAndItsApps()
    {
        // An account of its own: ending every other session of the shared server's alice would reach other tests.
        var user = await People.NewUserAsync(server);
        var (first, refresh) = await SignedInAppAsync(user, People.NewUserPassword);
        using (first)
        {
            using var second = server.CreateBrowser();
            await People.SignInAsync(second, user, People.NewUserPassword, "/");
            var page = await second.GetAsync("/Account/Manage/Sessions");
            Assert.True((await Browser.HtmlAsync(page)).QuerySelectorAll("li[data-session]").Length >= 2);

            var ended = await People.PostPageAsync(second, "/Account/Manage/Sessions", new Dictionary<string, string>(), "EndOthers");
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);

            Assert.False(await SignedInAsync(first));
            Assert.True(await SignedInAsync(second));
            var refreshed = await OAuth.TokenAsync(first.Http, Refresh(refresh));
            Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
            Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refreshed)).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task EndingOneSessionByIdWorksOnlyForItsOwner()
    {
        var (first, _) = await SignedInAppAsync();
        using (first)
        {
            var sessionId = (await Browser.HtmlAsync(await first.GetAsync("/Account/Manage/Sessions"))).QuerySelector("li[data-session]")!.GetAttribute("data-session")!;

            using var stranger = server.CreateBrowser();
            await People.RegisterAsync(stranger, "kim", "kim@example.com", "plover cascade ribbon 31");
            await stranger.GetAsync(new Uri((await People.LastMailAsync(server, "kim@example.com")).Link).PathAndQuery);
            await People.SignInAsync(stranger, "kim", "plover cascade ribbon 31");
            var attempt = await People.PostPageAsync(stranger, "/Account/Manage/Sessions", new Dictionary<string, string> { ["id"] = sessionId }, "End");
            Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
            Assert.True(await SignedInAsync(first));

            var garbage = await People.PostPageAsync(first, "/Account/Manage/Sessions", new Dictionary<string, string> { ["id"] = new string('x', 5000) }, "End");
            Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        }
    }

    [Fact]
    public async Task IdleSessionExpires()
    {
        // Its own server: the clock moves.
        using var factory = new ServerFactory();
        using var browser = factory.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        Assert.True(await SignedInAsync(browser));
        factory.Time.Advance(TimeSpan.FromHours(9));
        Assert.False(await SignedInAsync(browser));
    }

    [Fact]
    public async Task RevokingAConnectedAppRevokesItsTokens()
    {
        // An account of its own: alice's consent to the SPA stays for the other tests.
        var user = await People.NewUserAsync(server);
        var (browser, refresh) = await SignedInAppAsync(user, People.NewUserPassword);
        using (browser)
        {
            var apps = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/Apps"));
            Assert.NotNull(apps.QuerySelector("li[data-client=spa]"));
            Assert.Equal(HttpStatusCode.NotFound, (await People.PostPageAsync(browser, "/Account/Manage/Apps", new Dictionary<string, string> { ["clientId"] = "nope" }, "Revoke")).StatusCode);

            var revoked = await People.PostPageAsync(browser, "/Account/Manage/Apps", new Dictionary<string, string> { ["clientId"] = "spa" }, "Revoke");
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            Assert.Null((await Browser.HtmlAsync(revoked)).QuerySelector("li[data-client=spa]"));
            Assert.Equal(HttpStatusCode.BadRequest, (await OAuth.TokenAsync(browser.Http, Refresh(refresh))).StatusCode);

            // Consent is asked again.
            var again = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge)));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
    }

    [Fact]
    public async Task ChangingThePasswordEndsOtherSessionsButKeepsThisOne()
    {
        // lena is this test's own account: the shared server's alice keeps her password and sessions.
        using var other = server.CreateBrowser();
        using var browser = server.CreateBrowser();
        await People.RegisterAsync(browser, "lena", "lena@example.com", "harbor quill meadow 64");
        await browser.GetAsync(new Uri((await People.LastMailAsync(server, "lena@example.com")).Link).PathAndQuery);
        await People.SignInAsync(other, "lena", "harbor quill meadow 64", "/");
        var (verifier, challenge) = OAuth.Pkce();
        var redirect = await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge), "lena", "harbor quill meadow 64");
        var tokens = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = OAuth.Query(redirect)["code"],
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        }));

        var changed = await People.PostPageAsync(browser, "/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["CurrentPassword"] = "harbor quill meadow 64", ["NewPassword"] = "velvet compass thunder 12",
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.False(await SignedInAsync(other));
        Assert.True(await SignedInAsync(browser));
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(browser.Http, Refresh(tokens.GetProperty("refresh_token").GetString()!))).StatusCode);
    }

    [Fact]
    public async Task OverHttpsTheCookieUsesTheHostPrefix()
    {
        using var factory = new ServerFactory();
        factory.Settings["IdentityServer:RequireHttps"] = "true";
        using var browser = new Browser(factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost/"),
        }));
        var response = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-idsrv.session=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
