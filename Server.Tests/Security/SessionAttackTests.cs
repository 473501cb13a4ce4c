using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityServer.Tests.Security;

/// <summary>
/// Attacks on the sign-in session, performed on the wire: a planted session cookie (fixation), max_age and
/// prompt=login defeated by cookie renewal or by a stale or borrowed marker, auth_time moved by renewal, an
/// absurd max_age.
/// A test that moves the clock or turns alice's second factor on has its own server; the others share one.
/// </summary>
public sealed class SessionAttackTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string CookieName = "idsrv.session";

    [Fact]
    public async Task APlantedSessionCookieIsAnonymousOnceTheVictimSignsIn()
    {
        var attackerName = await People.NewUserAsync(server, "attacker");
        using var victim = server.CreateBrowser();

        // The attacker signs in as themselves and plants that session cookie in the victim's browser.
        var planted = CookieValue(await People.SignInAsync(victim, attackerName, People.NewUserPassword, "/"));
        var signedIn = await People.SignInAsync(victim, "alice", ServerFactory.AlicePassword, "/");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        await AssertANewSessionLeavesThePlantedOneAnonymousAsync(server, planted, CookieValue(signedIn));
    }

    [Fact]
    public async Task APlantedSessionCookieIsAnonymousOnceTheVictimSignsInWithTheSecondFactor()
    {
        // Its own server: alice's second factor goes on.
        using var own = WithBob();
        string key;
        using (var owner = own.CreateBrowser())
        {
            await People.SignInAsync(owner, "alice", ServerFactory.AlicePassword, "/");
            key = (await People.EnableTwoFactorAsync(owner)).Key;
        }

        using var victim = own.CreateBrowser();
        var planted = CookieValue(await People.SignInAsync(victim, "bob", BobPassword, "/"));
        var signedIn = await People.SignInWithSecondFactorAsync(victim, "alice", ServerFactory.AlicePassword, key, DateTimeOffset.UtcNow.AddSeconds(30));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        await AssertANewSessionLeavesThePlantedOneAnonymousAsync(own, planted, CookieValue(signedIn));
    }

    private static async Task AssertANewSessionLeavesThePlantedOneAnonymousAsync(ServerFactory server, string planted, string fresh)
    {
        Assert.NotEqual(SessionId(server, planted), SessionId(server, fresh));
        using var attacker = server.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        Assert.Equal(HttpStatusCode.Redirect, (await GetWithCookieAsync(attacker, "/Account/Manage", planted)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(attacker, "/Account/Manage", fresh)).StatusCode);
    }

    [Fact]
    public async Task SigningInAgainAsTheSamePersonStartsANewSession()
    {
        using var browser = server.CreateBrowser();
        var first = CookieValue(await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/"));
        var second = CookieValue(await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/"));

        Assert.NotEqual(SessionId(server, first), SessionId(server, second));
        using var replay = server.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        Assert.Equal(HttpStatusCode.Redirect, (await GetWithCookieAsync(replay, "/Account/Manage", first)).StatusCode);
    }

    [Fact]
    public async Task MaxAgeStillAsksForSignInAfterTheCookieWasRenewed()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        var session = SessionId(own, CookieValue(await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/")));
        own.Time.Advance(TimeSpan.FromMinutes(3));

        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge);
        request["max_age"] = "60";

        // The first request renews the cookie (security-stamp revalidation): the same session comes back in a
        // new cookie. Neither request may answer with a code.
        var renewing = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        AssertAsksToSignIn(renewing);
        Assert.Equal(session, SessionId(own, CookieValue(renewing)));
        AssertAsksToSignIn(await browser.GetAsync(OAuth.AuthorizeUrl(request)));
    }

    [Fact]
    public async Task PromptLoginReturnAddressGivesNoCodeWithoutSigningIn()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        own.Time.Advance(TimeSpan.FromMinutes(3));

        var returnUrl = await PromptLoginReturnUrlAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));

        // Revisiting the return address (twice: the first renews the cookie) without signing in.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            AssertAsksToSignIn(await browser.GetAsync(returnUrl));
        }

        // Signing in there does answer, with auth_time the new sign-in.
        own.Time.Advance(TimeSpan.FromSeconds(5));
        var signedIn = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, returnUrl);
        AssertAnswersWithACode(await browser.GetAsync(signedIn.Headers.Location!.OriginalString));
    }

    [Fact]
    public async Task PromptLoginMarkerExpires()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        own.Time.Advance(TimeSpan.FromMinutes(1));
        var returnUrl = await PromptLoginReturnUrlAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));

        // Within the marker's five minutes, a sign-in made after it satisfies it.
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        AssertAnswersWithACode(await browser.GetAsync(returnUrl));

        // Past them, not even a sign-in made just now does.
        own.Time.Advance(TimeSpan.FromMinutes(6));
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        AssertAsksToSignIn(await browser.GetAsync(returnUrl));
    }

    [Fact]
    public async Task APromptLoginMarkerMovedToAnotherRequestDoesNotSatisfyIt()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        own.Time.Advance(TimeSpan.FromMinutes(1));
        var challenge = OAuth.Pkce().Challenge;
        var returnUrl = await PromptLoginReturnUrlAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, challenge));
        var marker = QueryHelpers.ParseQuery(returnUrl.Split('?', 2)[1])["reauth"].ToString();
        Assert.NotEmpty(marker);
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");

        // The same client and scopes, another state and nonce: the marker names the request it was issued for.
        var other = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, challenge);
        other["prompt"] = "login";
        other["reauth"] = marker;
        AssertAsksToSignIn(await browser.GetAsync(OAuth.AuthorizeUrl(other)));
        AssertAnswersWithACode(await browser.GetAsync(returnUrl));
    }

    [Fact]
    public async Task AuthTimeIsTheSignInNotTheLastCookieRenewal()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var signedInAt = own.Time.GetUtcNow().ToUnixTimeSeconds();
        own.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Manage")).StatusCode);
        own.Time.Advance(TimeSpan.FromMinutes(3));

        var tokens = await OAuth.SignInSpaAsync(browser);
        var idToken = OAuth.JwtPayload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(signedInAt, idToken["auth_time"].GetInt64());
    }

    [Theory]
    [InlineData("1000000000000")]
    [InlineData("-1")]
    public async Task AbsurdMaxAgeIsABadRequest(string maxAge)
    {
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge);
        request["max_age"] = maxAge;
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Sends a prompt=login request from a signed-in browser; the return address it is sent to sign in with (it carries the marker).</summary>
    private static async Task<string> PromptLoginReturnUrlAsync(Browser browser, Dictionary<string, string?> request)
    {
        request["prompt"] = "login";
        var toLogin = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        AssertAsksToSignIn(toLogin);
        return QueryHelpers.ParseQuery(toLogin.Headers.Location!.OriginalString.Split('?', 2)[1])["ReturnUrl"].ToString();
    }

    private static void AssertAsksToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static void AssertAnswersWithACode(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(OAuth.WebRedirect, response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("code=", response.Headers.Location!.Query, StringComparison.Ordinal);
    }

    internal const string BobPassword = "mulberry tractor lantern 58";

    internal static ServerFactory WithBob()
    {
        var server = new ServerFactory();
        server.Settings["IdentityServer:Users:1:UserName"] = "bob";
        server.Settings["IdentityServer:Users:1:Email"] = "bob@example.com";
        server.Settings["IdentityServer:Users:1:EmailConfirmed"] = "true";
        server.Settings["IdentityServer:Users:1:Password"] = BobPassword;
        return server;
    }

    internal static string CookieValue(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Last(c => c.StartsWith(CookieName + "=", StringComparison.Ordinal)).Split(';')[0][(CookieName.Length + 1)..];

    internal static string SessionId(ServerFactory server, string cookie)
    {
        var options = server.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        return options.TicketDataFormat.Unprotect(cookie)!.Principal.FindFirst("Microsoft.AspNetCore.Authentication.Cookies-SessionId")!.Value;
    }

    internal static Task<HttpResponseMessage> GetWithCookieAsync(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        return client.SendAsync(request);
    }
}
