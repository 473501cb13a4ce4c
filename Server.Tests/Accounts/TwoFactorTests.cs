using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Accounts;

public sealed class TwoFactorTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Password = "saddle nebula pigeon 85";

    private async Task<Browser> NewUserAsync(string name)
    {
        var browser = server.CreateBrowser();
        await People.RegisterAsync(browser, name, name + "@example.com", Password);
        await browser.GetAsync(new Uri((await People.LastMailAsync(server, name + "@example.com")).Link).PathAndQuery);
        await People.SignInAsync(browser, name, Password, "/");
        return browser;
    }

    private static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(Browser browser)
    {
        var page = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/TwoFactor"));
        var key = page.QuerySelector("#shared-key")!.TextContent;
        Assert.StartsWith("data:image/png;base64,", page.QuerySelector("img")!.GetAttribute("src"), StringComparison.Ordinal);

        var wrong = await People.PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string> { ["Code"] = "000000" }, "Enable");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var enabled = await People.PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) }, "Enable");
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        var codes = (await Browser.HtmlAsync(enabled)).QuerySelectorAll("#recovery-codes code").Select(c => c.TextContent).ToList();
        Assert.Equal(10, codes.Count);
        return (key, codes);
    }

    [Fact]
    public async Task SignInNeedsTheAuthenticatorCodeOnceEnrolled()
    {
        using var browser = await NewUserAsync("mona");
        var (key, _) = await EnrolAsync(browser);

        using var fresh = server.CreateBrowser();
        var first = await People.SignInAsync(fresh, "mona", Password, "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.StartsWith("/Account/LoginWith2fa", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/Account/Manage")).StatusCode);

        var codePage = await fresh.GetAsync(first.Headers.Location.OriginalString);
        var wrong = await fresh.SubmitFormAsync(codePage, new Dictionary<string, string> { ["Code"] = "123456" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var right = await fresh.SubmitFormAsync(await fresh.GetAsync(first.Headers.Location.OriginalString), new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/Account/Manage", right.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/Account/Manage")).StatusCode);
    }

    [Fact]
    public async Task ARecoveryCodeWorksOnce()
    {
        using var browser = await NewUserAsync("nils");
        var (_, codes) = await EnrolAsync(browser);

        async Task<HttpResponseMessage> UseRecoveryAsync()
        {
            using var fresh = server.CreateBrowser();
            var first = await People.SignInAsync(fresh, "nils", Password, "/");
            var page = await fresh.GetAsync("/Account/LoginWithRecoveryCode?ReturnUrl=%2F");
            return await fresh.SubmitFormAsync(page, new Dictionary<string, string> { ["Code"] = codes[0] });
        }

        Assert.Equal(HttpStatusCode.Redirect, (await UseRecoveryAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await UseRecoveryAsync()).StatusCode);
    }

    [Fact]
    public async Task TurningTwoFactorOffSignsOutOtherSessions()
    {
        using var browser = await NewUserAsync("olga");
        var (key, _) = await EnrolAsync(browser);
        using var other = server.CreateBrowser();
        await People.SignInAsync(other, "olga", Password, "/");
        // The next 30-second step: the code just used for enrolment is not accepted twice.
        await other.SubmitFormAsync(await other.GetAsync("/Account/LoginWith2fa?ReturnUrl=%2F"), new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow.AddSeconds(30)) });
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/Account/Manage")).StatusCode);

        var page = await browser.GetAsync("/Account/Manage/TwoFactor");
        var token = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var off = await browser.PostFormAsync("/Account/Manage/TwoFactor?handler=Disable", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.Contains("off", (await Browser.HtmlAsync(off)).QuerySelector("main p")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await other.GetAsync("/Account/Manage")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Manage")).StatusCode);
    }
}
