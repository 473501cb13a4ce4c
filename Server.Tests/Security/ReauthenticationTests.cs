using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Security;

/// <summary>A stolen session is not enough for sensitive changes, nor an unlimited password oracle.</summary>
public sealed class ReauthenticationTests
{
    public static TheoryData<string, string?, string> SensitiveChanges => new()
    {
        { "/Account/Manage/ChangeEmail", null, "NewEmail=mallory@example.com" },
        { "/Account/Manage/ChangePassword", null, $"CurrentPassword={ServerFactory.AlicePassword}&NewPassword=quartz meadow lantern 77" },
        { "/Account/Manage/Delete", null, $"Password={ServerFactory.AlicePassword}" },
        { "/Account/Manage/TwoFactor", "Disable", "" },
        { "/Account/Manage/TwoFactor", "RecoveryCodes", "" },
        { "/Account/Manage/Logins", "Unlink", "provider=x&key=y" },
    };

    [Theory]
    [MemberData(nameof(SensitiveChanges))]
    public async Task ASensitiveChangeNeedsARecentSignIn(string path, string? handler, string fields)
    {
        using var server = new ServerFactory();
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        server.Time.Advance(TimeSpan.FromMinutes(6));

        var values = fields.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        // The anti-forgery token of any page of this browser serves every form.
        var token = (await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/ChangeEmail")))
            .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        values["__RequestVerificationToken"] = token;
        var response = await browser.PostFormAsync(path + (handler is null ? "" : "?handler=" + handler), values);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login?Reauthenticate=true", response.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // Nothing changed: the account, its password and its email are as they were.
        using var check = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(check, "alice", ServerFactory.AlicePassword, "/")).StatusCode);
        Assert.False(Directory.Exists(server.MailFolder) && Directory.GetFiles(server.MailFolder).Length > 0);
    }

    [Fact]
    public async Task SigningInAgainAllowsTheChange()
    {
        using var server = new ServerFactory();
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        server.Time.Advance(TimeSpan.FromMinutes(6));
        var refused = await People.PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string>(), "RecoveryCodes");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);

        var again = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/Account/Manage/TwoFactor");
        Assert.Equal("/Account/Manage/TwoFactor", again.Headers.Location!.OriginalString);
        var allowed = await People.PostPageAsync(browser, "/Account/Manage/TwoFactor", new Dictionary<string, string>(), "RecoveryCodes");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task PasswordGuessesOnTheChangePasswordPageCountTowardLockout()
    {
        using var server = new ServerFactory();
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        for (var guess = 0; guess < 5; guess++)
        {
            var wrong = await People.PostPageAsync(browser, "/Account/Manage/ChangePassword", new Dictionary<string, string>
            {
                ["CurrentPassword"] = $"guess number {guess} is wrong", ["NewPassword"] = "quartz meadow lantern 77",
            });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        // The account is now locked: even the right password does not sign in.
        using var owner = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(owner, "alice", ServerFactory.AlicePassword, "/")).StatusCode);
    }
}
