using System.Buffers.Text;
using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Passkeys;

/// <summary>Attacks on the passkey ceremonies, performed on the wire; each fails.</summary>
public sealed class PasskeyAttackTests(PasskeyServer server) : IClassFixture<PasskeyServer>
{
    [Fact]
    public async Task ASignInRequestReplayedWithItsCookiesIsRefusedEvenWhenTheCounterStaysAtZero()
    {
        using var authenticator = await EnrolledAsync("replay");

        // The victim's browser signs in; the attacker has a copy of every cookie and form field it sent.
        using var victim = server.CreateBrowser();
        var (options, token, cookies) = await PasskeyCeremonies.StartCopiedSignInAsync(victim);
        var answer = authenticator.Get(options, PasskeyCeremonies.Origin, new GetSettings { ZeroSignCount = true });
        Assert.Equal(HttpStatusCode.Redirect, (await PasskeyCeremonies.FinishSignInAsync(victim, token, answer)).StatusCode);

        var second = await PasskeyCeremonies.ReplayAsync(server, token, cookies, answer);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("already answered", (await Browser.HtmlAsync(second)).QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("idsrv.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAnswerMadeForAnotherOriginIsRefusedEvenWhenTheRequestClaimsThatOrigin()
    {
        using var authenticator = await EnrolledAsync("origin");
        using var browser = server.CreateBrowser();
        var (options, token) = await PasskeyCeremonies.StartSignInAsync(browser);
        var phished = authenticator.Get(options, "https://login.example-lookalike.com");

        // A phishing site relays the victim's answer and sets the Origin header to match it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/Account/Passkey")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Credential"] = phished, ["ReturnUrl"] = "/" }),
        };
        request.Headers.Add("Origin", "https://login.example-lookalike.com");
        var answer = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("origin", (await Browser.HtmlAsync(answer)).QuerySelector("[role=alert]")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.False(await PasskeyCeremonies.SignedInAsync(browser));
    }

    [Fact]
    public async Task APasskeyIdAnotherAccountHoldsCannotBeRegisteredNorRenameItsPasskey()
    {
        using var alice = await EnrolledAsync("holder");
        var name = await People.NewUserAsync(server, "claimer");
        using var mallory = new SoftwareAuthenticator();
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);

        var claimed = await PasskeyCeremonies.AddAsync(browser, mallory, "Mallory's key",
            new CreateSettings { CredentialId = Base64Url.DecodeFromChars(alice.Credentials[0].Id) });

        Assert.Equal(HttpStatusCode.BadRequest, claimed.StatusCode);
        var page = await Browser.HtmlAsync(claimed);
        Assert.Contains("already registered for a user", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("ul.passkeys li"));

        // The holder's passkey is untouched: same name, and it still signs its owner in.
        using var holder = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await PasskeyCeremonies.SignInAsync(holder, alice)).StatusCode);
        var list = await Browser.HtmlAsync(await holder.GetAsync("/Account/Manage/Passkeys"));
        Assert.Equal("Test key", list.QuerySelector("ul.passkeys li strong")!.TextContent);
    }

    [Fact]
    public async Task AddingAPasskeyNeedsARecentSignIn()
    {
        var name = await People.NewUserAsync(server, "stale");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword);
        var page = await browser.GetAsync("/Account/Manage/Passkeys");
        var token = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        server.Time.Advance(TimeSpan.FromMinutes(6));

        var options = await browser.PostFormAsync("/Account/Manage/Passkeys?handler=Options", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Redirect, options.StatusCode);
        Assert.StartsWith("/Account/Login?Reauthenticate=true", options.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private async Task<SoftwareAuthenticator> EnrolledAsync(string prefix)
    {
        var name = await People.NewUserAsync(server, prefix);
        var authenticator = new SoftwareAuthenticator();
        using var owner = server.CreateBrowser();
        await People.SignInAsync(owner, name, People.NewUserPassword);
        Assert.Equal(HttpStatusCode.OK, (await PasskeyCeremonies.AddAsync(owner, authenticator)).StatusCode);
        return authenticator;
    }
}
