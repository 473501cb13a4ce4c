using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Passkeys;

/// <summary>An account made with a passkey and no password: it signs in, may add a password, and keeps a way in.</summary>
public sealed class PasswordlessAccountTests(PasskeyServer server) : IClassFixture<PasskeyServer>
{
    [Fact]
    public async Task APasswordlessAccountCannotRemoveItsOnlyPasskeyUntilItSetsAPasswordThroughAMailedLink()
    {
        var name = "nopass-" + Guid.NewGuid().ToString("N")[..8];
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.CreateBrowser();

        var registered = await PasskeyCeremonies.RegisterAsync(browser, authenticator, name, name + "@example.com");

        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.True(await PasskeyCeremonies.SignedInAsync(browser));
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByNameAsync(name);
            Assert.Equal(authenticator.Credentials[0].UserId, user!.Id);
            Assert.False(await users.HasPasswordAsync(user));
        }

        var id = new Dictionary<string, string> { ["id"] = authenticator.Credentials[0].Id };
        var refused = await People.PostPageAsync(browser, "/Account/Manage/Passkeys", id, "Remove");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("only way to sign in", (await Browser.HtmlAsync(refused)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        // A session alone does not set the first password: a link goes to the mailbox, and the reset signs every session out.
        var setPage = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/ChangePassword"));
        Assert.Equal("Set a password", setPage.QuerySelector("h1")!.TextContent);
        Assert.Equal(HttpStatusCode.BadRequest, (await People.PostPageAsync(browser, "/Account/Manage/ChangePassword", new Dictionary<string, string> { ["NewPassword"] = People.NewUserPassword })).StatusCode);
        var sent = await People.PostPageAsync(browser, "/Account/Manage/ChangePassword", new Dictionary<string, string>(), "SendLink");
        Assert.Contains("We sent a link", (await Browser.HtmlAsync(sent)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var (_, link) = await People.LastMailAsync(server, name + "@example.com");
        var reset = await browser.SubmitFormAsync(await browser.GetAsync(new Uri(link).PathAndQuery), new Dictionary<string, string> { ["Password"] = People.NewUserPassword });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.False(await PasskeyCeremonies.SignedInAsync(browser));
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(browser, name, People.NewUserPassword)).StatusCode);

        var removed = await People.PostPageAsync(browser, "/Account/Manage/Passkeys", id, "Remove");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
    }

    [Fact]
    public async Task AfterRegisteringThePasskeySignsTheNewAccountInAgain()
    {
        var name = "again-" + Guid.NewGuid().ToString("N")[..8];
        using var authenticator = new SoftwareAuthenticator();
        using (var first = server.CreateBrowser())
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PasskeyCeremonies.RegisterAsync(first, authenticator, name, name + "@example.com")).StatusCode);
        }

        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await PasskeyCeremonies.SignInAsync(browser, authenticator)).StatusCode);
        var list = await Browser.HtmlAsync(await browser.GetAsync("/Account/Manage/Passkeys"));
        Assert.Contains("last used", list.QuerySelector("ul.passkeys li")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSessionThatRegistrationOpensSaysHwkUserMfa()
    {
        var name = "amr-" + Guid.NewGuid().ToString("N")[..8];
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await PasskeyCeremonies.RegisterAsync(browser, authenticator, name, name + "@example.com")).StatusCode);

        var (verifier, challenge) = OAuth.Pkce();
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, "openid")))["code"];
        var tokens = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = code,
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        }));

        var id = OAuth.JwtPayload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(["hwk", "user", "mfa"], id["amr"].EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task ATakenUserNameIsRefusedBeforeAnyPasskeyIsMade()
    {
        using var browser = server.CreateBrowser();
        var page = await browser.GetAsync("/Account/Register");
        var token = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var options = await browser.PostFormAsync("/Account/Register?handler=PasskeyOptions", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = "alice", ["Email"] = "someone-new@example.com",
        });

        Assert.Equal(HttpStatusCode.BadRequest, options.StatusCode);
        Assert.Equal("That user name is taken; choose another.", (await OAuth.JsonAsync(options)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task ARegistrationAnswerForAnotherUserNameIsRefused()
    {
        var name = "swap-" + Guid.NewGuid().ToString("N")[..8];
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.CreateBrowser();
        var page = await browser.GetAsync("/Account/Register");
        var token = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var options = await browser.PostFormAsync("/Account/Register?handler=PasskeyOptions", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = name, ["Email"] = name + "@example.com",
        });

        // The ceremony was started for one name; the form now claims another (say, someone else's address's account).
        var answer = await browser.PostFormAsync("/Account/Register?handler=Passkey", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = name + "x", ["Email"] = name + "x@example.com",
            ["Credential"] = authenticator.Create(await options.Content.ReadAsStringAsync(), PasskeyCeremonies.Origin),
        });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("another user name", (await Browser.HtmlAsync(answer)).QuerySelector(".error")!.TextContent, StringComparison.Ordinal);
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Null(await users.FindByNameAsync(name + "x"));
        Assert.Null(await users.FindByNameAsync(name));
    }
}
