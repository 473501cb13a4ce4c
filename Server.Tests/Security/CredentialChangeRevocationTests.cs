using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Security;

/// <summary>
/// A refresh token whose browser session has already ended (idle timeout: the session→grant link is gone)
/// must still die when the person changes or resets their password, turns 2FA on or off, or signs out
/// everywhere; the token endpoint refuses grants made before a security-stamp change; the browser that made
/// the change keeps its own apps.
/// A test that moves the clock or changes alice has its own server; the others change an account of their own
/// on the shared one.
/// </summary>
public sealed class CredentialChangeRevocationTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string NewPassword = "quartz meadow lantern 77";

    private static Dictionary<string, string> Refresh(string token) => Grants.RefreshToken(OAuth.Spa, token);

    /// <summary>
    /// An app signed in through a browser (made ready by <paramref name="prepare"/>, if given) whose session then
    /// timed out and was read once, so its links are gone. The app's refresh token still works on its own: it is
    /// used once here, and the rotated one is returned.
    /// </summary>
    private static async Task<string> OrphanedRefreshTokenAsync(ServerFactory server, Func<Browser, Task>? prepare = null)
    {
        using var browser = server.CreateBrowser();
        if (prepare is not null)
        {
            await prepare(browser);
        }

        var refresh = (await OAuth.SignInSpaAsync(browser)).GetProperty("refresh_token").GetString()!;
        server.Time.Advance(TimeSpan.FromHours(9));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Manage")).StatusCode);

        var refreshed = await OAuth.TokenAsync(browser.Http, Refresh(refresh));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        return (await OAuth.JsonAsync(refreshed)).GetProperty("refresh_token").GetString()!;
    }

    private static async Task AssertRefusedAsync(ServerFactory server, string refresh)
    {
        using var client = server.CreateClient();
        var response = await OAuth.TokenAsync(client, Refresh(refresh));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task PasswordChangeRevokesRefreshTokensOfSessionsThatAlreadyEnded()
    {
        // Its own server: the clock moves and alice changes.
        using var own = new ServerFactory();
        var orphan = await OrphanedRefreshTokenAsync(own);

        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var changed = await People.PostPageAsync(browser, "/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["CurrentPassword"] = ServerFactory.AlicePassword, ["NewPassword"] = NewPassword,
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        await AssertRefusedAsync(own, orphan);
    }

    [Fact]
    public async Task PasswordResetRevokesRefreshTokensOfSessionsThatAlreadyEnded()
    {
        // Its own server: the clock moves and alice changes.
        using var own = new ServerFactory();
        var orphan = await OrphanedRefreshTokenAsync(own);

        using var browser = own.CreateBrowser();
        Assert.Equal(HttpStatusCode.OK, (await People.PostPageAsync(browser, "/Account/ForgotPassword", new Dictionary<string, string> { ["Email"] = "alice@example.com" })).StatusCode);
        var (_, link) = await People.LastMailAsync(own, "alice@example.com");
        var reset = await browser.SubmitFormAsync(await browser.GetAsync(new Uri(link).PathAndQuery), new Dictionary<string, string> { ["Password"] = NewPassword });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);

        await AssertRefusedAsync(own, orphan);
    }

    [Fact]
    public async Task TurningTwoFactorOnRevokesRefreshTokensOfSessionsThatAlreadyEnded()
    {
        // Its own server: the clock moves and alice changes.
        using var own = new ServerFactory();
        var orphan = await OrphanedRefreshTokenAsync(own);

        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        Assert.Equal(HttpStatusCode.OK, (await People.EnableTwoFactorAsync(browser)).Answer.StatusCode);

        await AssertRefusedAsync(own, orphan);
    }

    [Fact]
    public async Task TurningTwoFactorOffRevokesRefreshTokensOfSessionsThatAlreadyEnded()
    {
        // Its own server: the clock moves and alice changes.
        using var own = new ServerFactory();
        var key = "";

        // The app's grant is made after 2FA went on (the browser that turned it on keeps its apps).
        var orphan = await OrphanedRefreshTokenAsync(own, async first =>
        {
            await People.SignInAsync(first, "alice", ServerFactory.AlicePassword, "/");
            (key, _) = await People.EnableTwoFactorAsync(first);
        });

        using var browser = own.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInWithSecondFactorAsync(browser, "alice", ServerFactory.AlicePassword, key, DateTimeOffset.UtcNow.AddSeconds(30))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await People.PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string>(), "Disable")).StatusCode);

        await AssertRefusedAsync(own, orphan);
    }

    [Fact]
    public async Task SignOutEverywhereRevokesRefreshTokensOfSessionsThatAlreadyEnded()
    {
        // Its own server: the clock moves and alice changes.
        using var own = new ServerFactory();
        var orphan = await OrphanedRefreshTokenAsync(own);

        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        Assert.Equal(HttpStatusCode.OK, (await People.PostPageAsync(browser, "/Account/Manage/Sessions", new Dictionary<string, string>(), "EndOthers")).StatusCode);

        await AssertRefusedAsync(own, orphan);
    }

    [Fact]
    public async Task TheBrowserThatChangedThePasswordKeepsItsAppsAndTheirTokensRotate()
    {
        var name = await People.NewUserAsync(server, "changer");
        using var browser = server.CreateBrowser();
        var refresh = (await OAuth.SignInSpaAsync(browser, login: name, password: People.NewUserPassword)).GetProperty("refresh_token").GetString()!;
        var changed = await People.PostPageAsync(browser, "/Account/Manage/ChangePassword", new Dictionary<string, string>
        {
            ["CurrentPassword"] = People.NewUserPassword, ["NewPassword"] = NewPassword,
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var refreshed = await OAuth.TokenAsync(browser.Http, Refresh(refresh));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var next = (await OAuth.JsonAsync(refreshed)).GetProperty("refresh_token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await OAuth.TokenAsync(browser.Http, Refresh(next))).StatusCode);
    }

    [Fact]
    public async Task AGrantMadeBeforeTheSecurityStampChangedIsRefused()
    {
        var name = await People.NewUserAsync(server, "restamped");
        using var browser = server.CreateBrowser();
        var refresh = (await OAuth.SignInSpaAsync(browser, login: name, password: People.NewUserPassword)).GetProperty("refresh_token").GetString()!;

        // The stamp changes outside any page flow (an operator, a future admin API): no session is ended.
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByNameAsync(name))!);
        }

        await AssertRefusedAsync(server, refresh);
    }
}
