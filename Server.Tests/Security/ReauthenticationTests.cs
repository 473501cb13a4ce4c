using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Security;

/// <summary>
/// A stolen session is not enough for sensitive changes, nor an unlimited password oracle.
/// A test that moves the clock has its own server; the lockout tests lock an account of their own on the shared one.
/// </summary>
public sealed class ReauthenticationTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string NewPassword = "quartz meadow lantern 77";

    public static TheoryData<string, string?, string> SensitiveChanges => new()
    {
        { "/Account/Manage/ChangeEmail", null, "NewEmail=mallory@example.com" },
        { "/Account/Manage/ChangePassword", null, $"CurrentPassword={ServerFactory.AlicePassword}&NewPassword={NewPassword}" },
        { "/Account/Manage/Delete", null, $"Password={ServerFactory.AlicePassword}" },
        { "/Account/Manage/TwoFactor", "Disable", "" },
        { "/Account/Manage/TwoFactor", "RecoveryCodes", "" },
        { "/Account/Manage/Logins", "Unlink", "provider=x&key=y" },
        { "/Account/External", null, "provider=corp&link=true&returnUrl=/Account/Manage/Logins" },
    };

    /// <summary>The demo server with a provider to link; it is never reached (nothing listens on the discard port).</summary>
    private static ServerFactory NewServer()
    {
        var server = new ServerFactory();
        server.Settings["IdentityServer:External:Providers:0:Name"] = "corp";
        server.Settings["IdentityServer:External:Providers:0:Issuer"] = "http://127.0.0.1:9/";
        server.Settings["IdentityServer:External:Providers:0:ClientId"] = "id";
        return server;
    }

    /// <summary>A browser whose sign-in as alice is older than the re-authentication window, as a stolen session would be.</summary>
    private static async Task<Browser> StaleSessionAsync(ServerFactory server)
    {
        var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        server.Time.Advance(TimeSpan.FromMinutes(6));
        return browser;
    }

    private static void AssertSentToSignInAgain(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login?Reauthenticate=true", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>The account, its password, its email, its second factor and its linked providers are as they were.</summary>
    private static async Task AssertNothingChangedAsync(ServerFactory server)
    {
        using var check = server.CreateBrowser();
        var signedIn = await People.SignInAsync(check, "alice", ServerFactory.AlicePassword, "/");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        Assert.Empty((await Browser.HtmlAsync(await check.GetAsync("/Account/Manage/Logins"))).QuerySelectorAll("li[data-provider]"));
        Assert.False(Directory.Exists(server.MailFolder) && Directory.GetFiles(server.MailFolder).Length > 0);
    }

    [Theory]
    [MemberData(nameof(SensitiveChanges))]
    public async Task ASensitiveChangeNeedsARecentSignIn(string path, string? handler, string fields)
    {
        // Its own server: the clock moves.
        using var own = NewServer();
        using var browser = await StaleSessionAsync(own);

        var values = fields.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        // The anti-forgery token of any page of this browser serves every form.
        var token = (await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/ChangeEmail")))
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        values["__RequestVerificationToken"] = token;
        AssertSentToSignInAgain(await browser.PostFormAsync(path + (handler is null ? "" : "?handler=" + handler), values));

        await AssertNothingChangedAsync(own);
    }

    [Fact]
    public async Task TurningTwoFactorOnNeedsARecentSignIn()
    {
        // Its own server: the clock moves.
        using var own = NewServer();
        using var browser = await StaleSessionAsync(own);

        // The page still shows a key, and the code for it is right: only the stale sign-in stops the change.
        AssertSentToSignInAgain((await People.EnableTwoFactorAsync(browser)).Answer);

        await AssertNothingChangedAsync(own);
    }

    [Fact]
    public async Task SigningInAgainAllowsTheChange()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        using var browser = await StaleSessionAsync(own);
        var refused = await People.PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string>(), "RecoveryCodes");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);

        var again = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/Account/Manage/TwoFactor");
        Assert.Equal("/Account/Manage/TwoFactor", again.Headers.Location!.OriginalString);
        var allowed = await People.PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string>(), "RecoveryCodes");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Theory]
    [InlineData("/Account/Manage/ChangePassword", "CurrentPassword")]
    [InlineData("/Account/Manage/Delete", "Password")]
    public async Task PasswordGuessesOnAnAccountPageCountTowardLockout(string path, string passwordField)
    {
        var name = await People.NewUserAsync(server, "guessed");
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(browser, name, People.NewUserPassword, "/")).StatusCode);
        for (var guess = 0; guess < 5; guess++)
        {
            var wrong = await People.PostPageAsync(browser, path, new Dictionary<string, string>
            {
                [passwordField] = $"guess number {guess} is wrong", ["NewPassword"] = NewPassword,
            });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        // The account is now locked: even the right password does not sign in.
        using var owner = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(owner, name, People.NewUserPassword, "/")).StatusCode);
    }
}
