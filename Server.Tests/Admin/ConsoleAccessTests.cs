using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Admin;

/// <summary>
/// Who gets into the admin console: admins whose session proved a second factor within the last hour. Everyone
/// else is turned away, each with the answer that helps them. Tests that move the clock have their own server.
/// </summary>
public sealed class ConsoleAccessTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task AnAnonymousVisitorIsSentToSignIn()
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/Account/Login?ReturnUrl=%2Fadmin", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonAdminGetsA403PageInsteadOfTheSignInPage()
    {
        var name = await People.NewUserAsync(server);
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);

        foreach (var path in (string[])["/admin", "/admin/audit", "/admin/sessions"])
        {
            var response = await browser.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Admin/Denied", response.Headers.Location!.OriginalString);
        }

        var denied = await browser.GetAsync("/Admin/Denied");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var page = await Browser.HtmlAsync(denied);
        Assert.Equal("You cannot use the admin console", page.QuerySelector("h1")!.TextContent);
        Assert.Null(page.QuerySelector("a[href='/Account/Login']"));
    }

    [Fact]
    public async Task ANonAdminCannotPostToTheConsoleEither()
    {
        var name = await People.NewUserAsync(server);
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);
        var token = (await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/Sessions"))).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var response = await browser.PostFormAsync("/admin/sessions?handler=End", [KeyValuePair.Create("__RequestVerificationToken", token), KeyValuePair.Create("id", "x")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Admin/Denied", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnAdminWithoutASecondFactorIsShownHowToSetOneUp()
    {
        var (name, _) = await ConsoleAdmins.NewAdminAsync(server, authenticator: false);
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);

        var response = await browser.GetAsync("/admin");
        Assert.Equal("/Admin/Denied", response.Headers.Location!.OriginalString);
        var denied = await browser.GetAsync("/Admin/Denied");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var page = await Browser.HtmlAsync(denied);
        Assert.Equal("Set up two-factor authentication first", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("a[href='/Account/Manage/TwoFactor?ReturnUrl=%2Fadmin']"));
    }

    [Fact]
    public async Task AnAdminWhoseSignInHadNoSecondFactorIsSentToSignInAgainAndThenLetIn()
    {
        var (name, _) = await ConsoleAdmins.NewAdminAsync(server, authenticator: false);
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);
        string key;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            // The authenticator arrives after this session's password-only sign-in.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByNameAsync(name))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        var response = await browser.GetAsync("/admin/audit?Type=signin");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login?Reauthenticate=true&ReturnUrl=%2Fadmin%2Faudit%3FType%3Dsignin", response.Headers.Location!.OriginalString);

        var again = await People.SignInWithSecondFactorAsync(browser, name, People.NewUserPassword, key, DateTimeOffset.UtcNow, "/admin/audit?Type=signin");
        Assert.Equal("/admin/audit?Type=signin", again.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/audit?Type=signin")).StatusCode);
    }

    [Fact]
    public async Task AnAdminSignedInWithTheSecondFactorSeesTheDashboard()
    {
        var (browser, name) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (browser)
        {
            var page = await ConsoleAdmins.PageAsync(browser, "/admin");
            Assert.Equal("Dashboard", page.QuerySelector("h1")!.TextContent);
            Assert.Contains(name, page.QuerySelector(".who")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("page", page.QuerySelector("nav a[href='/admin']")!.GetAttribute("aria-current"));
        }
    }

    [Fact]
    public async Task AStaleSignInIsSentToSignInAgain()
    {
        await using var own = new ServerFactory();
        var (browser, _) = await ConsoleAdmins.SignedInAdminAsync(own);
        using (browser)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);
            own.Time.Advance(TimeSpan.FromMinutes(59));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/sessions")).StatusCode);

            own.Time.Advance(TimeSpan.FromMinutes(2));
            var response = await browser.GetAsync("/admin/sessions");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/Account/Login?Reauthenticate=true&ReturnUrl=%2Fadmin%2Fsessions", response.Headers.Location!.OriginalString);
        }
    }

    [Fact]
    public async Task ThePasswordIsEnoughWhenTheSecondFactorIsNotRequiredButTheSignInMustStillBeRecent()
    {
        await using var own = new ServerFactory();
        own.Settings["IdentityServer:Admin:ConsoleRequiresSecondFactor"] = "false";
        own.Settings["IdentityServer:Admin:ConsoleSignInMaxAge"] = "00:10:00";
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin")).StatusCode);
        own.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.StartsWith("/Account/Login?Reauthenticate=true", (await browser.GetAsync("/admin")).Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
