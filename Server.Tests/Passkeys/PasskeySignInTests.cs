using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Passkeys;

/// <summary>Signing in with a passkey: no user name, a new session, <c>amr</c> in the tokens, and the same refusals as any sign-in.</summary>
public sealed class PasskeySignInTests(PasskeyServer server) : IClassFixture<PasskeyServer>
{
    [Fact]
    public async Task APasskeySignsInWithNoUserNameAndTheIdTokenSaysHwkUserMfa()
    {
        using var authenticator = await EnrolledAsync();
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var authorize = await browser.GetAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, "openid profile")));
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var login = authorize.Headers.Location!.OriginalString;
        var returnUrl = QueryHelpers.ParseQuery(login[login.IndexOf('?', StringComparison.Ordinal)..])["ReturnUrl"].ToString();

        var signedIn = await PasskeyCeremonies.SignInAsync(browser, authenticator, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(returnUrl, signedIn.Headers.Location!.OriginalString);
        var code = OAuth.Query(await OAuth.AuthorizeAsync(browser, returnUrl))["code"];
        var tokens = await OAuth.JsonAsync(await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = code,
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        }));
        var id = OAuth.JwtPayload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(["hwk", "user", "mfa"], id["amr"].EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("mfa", id["acr"].GetString());
    }

    [Fact]
    public async Task APasskeyOfALockedAccountIsRefused()
    {
        using var authenticator = await EnrolledAsync();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByIdAsync(authenticator.Credentials[0].UserId);
            await users.SetLockoutEndDateAsync(user!, server.Time.GetUtcNow().AddHours(1));
        }

        using var browser = server.CreateBrowser();
        var answer = await PasskeyCeremonies.SignInAsync(browser, authenticator);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("temporarily locked", (await Browser.HtmlAsync(answer)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.False(await PasskeyCeremonies.SignedInAsync(browser));
    }

    [Fact]
    public async Task ARemovedPasskeyNoLongerSignsIn()
    {
        var name = await People.NewUserAsync(server, "removes");
        using var authenticator = new SoftwareAuthenticator();
        using var thief = server.CreateBrowser();
        using (var owner = server.CreateBrowser())
        {
            await People.SignInAsync(owner, name, People.NewUserPassword);
            await PasskeyCeremonies.AddAsync(owner, authenticator);

            // Someone holding the authenticator signs in before the owner removes it.
            Assert.Equal(HttpStatusCode.Redirect, (await PasskeyCeremonies.SignInAsync(thief, authenticator)).StatusCode);
            var removed = await People.PostPageAsync(owner, "/Account/Manage/Passkeys", new Dictionary<string, string> { ["id"] = authenticator.Credentials[0].Id }, "Remove");
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            Assert.Contains("removed", (await Browser.HtmlAsync(removed)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        }

        // Their session ended with the removal, and the passkey opens no new one.
        Assert.False(await PasskeyCeremonies.SignedInAsync(thief));
        using var browser = server.CreateBrowser();
        var answer = await PasskeyCeremonies.SignInAsync(browser, authenticator);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("not accepted", (await Browser.HtmlAsync(answer)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.False(await PasskeyCeremonies.SignedInAsync(browser));
    }

    [Fact]
    public async Task AnAnswerWithoutACeremonyInThisBrowserIsAClearRefusalNotAnError()
    {
        using var authenticator = await EnrolledAsync();
        using var started = server.CreateBrowser();
        var (options, _) = await PasskeyCeremonies.StartSignInAsync(started);

        // Another browser, with its own anti-forgery token but no ceremony of its own, posts a valid answer.
        using var fresh = server.CreateBrowser();
        var page = await fresh.GetAsync("/Account/Passkey");
        var freshToken = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var answer = await PasskeyCeremonies.FinishSignInAsync(fresh, freshToken, authenticator.Get(options, PasskeyCeremonies.Origin));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("No passkey request is under way", (await Browser.HtmlAsync(answer)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.False(await PasskeyCeremonies.SignedInAsync(fresh));
    }

    /// <summary>A new account with one passkey, added from its account page after a password sign-in.</summary>
    private async Task<SoftwareAuthenticator> EnrolledAsync()
    {
        var name = await People.NewUserAsync(server, "passkey");
        var authenticator = new SoftwareAuthenticator();
        using var owner = server.CreateBrowser();
        await People.SignInAsync(owner, name, People.NewUserPassword);
        var added = await PasskeyCeremonies.AddAsync(owner, authenticator);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var page = await Browser.HtmlAsync(added);
        Assert.Contains("The passkey was added", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Test key", page.QuerySelector("ul.passkeys li strong")!.TextContent);
        return authenticator;
    }
}
