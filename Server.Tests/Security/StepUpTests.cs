using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Security;

/// <summary>
/// acr_values=mfa (and a client declared with RequireMfa) gets no code for a session without a fresh second
/// factor: each test signs in with less than that and asks, on the wire, for a code.
/// </summary>
public sealed class StepUpTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static readonly TimeSpan PastTheWindow = TimeSpan.FromMinutes(16);

    private static (string Verifier, Dictionary<string, string?> Request) MfaRequest(string clientId = OAuth.Spa, string redirect = OAuth.SpaRedirect, string? acr = "mfa")
    {
        var (verifier, challenge) = OAuth.Pkce();
        var request = OAuth.CodeRequest(clientId, redirect, challenge);
        if (acr is not null)
        {
            request["acr_values"] = acr;
        }

        return (verifier, request);
    }

    /// <summary>Follows the server's own redirects (and accepts consent) until the answer leaves for the client or is a page.</summary>
    private static async Task<HttpResponseMessage> FollowAsync(Browser browser, HttpResponseMessage response)
    {
        for (var step = 0; step < 8; step++)
        {
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                var location = response.Headers.Location!;
                if (location.IsAbsoluteUri && !location.AbsoluteUri.StartsWith("http://localhost/", StringComparison.Ordinal))
                {
                    return response;
                }

                response = await browser.GetAsync(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
                continue;
            }

            if (response.StatusCode == HttpStatusCode.OK && response.RequestMessage!.RequestUri!.AbsolutePath == "/connect/authorize")
            {
                response = await browser.SubmitFormAsync(response, button: ("consent", "accept"));
                continue;
            }

            return response;
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    private static async Task<HttpResponseMessage> AuthorizeAsync(Browser browser, Dictionary<string, string?> request) =>
        await FollowAsync(browser, await browser.GetAsync(OAuth.AuthorizeUrl(request)));

    private static void AssertOnPage(HttpResponseMessage response, string path)
    {
        Assert.Equal(path, response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Null(response.Headers.Location);
    }

    private static string CodeIn(HttpResponseMessage response, string redirect = OAuth.SpaRedirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(redirect + "?", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        return OAuth.Query(response.Headers.Location)["code"];
    }

    private static async Task<(string[] Amr, string Acr)> RedeemAsync(Browser browser, string code, string verifier)
    {
        var response = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = code, ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await OAuth.JsonAsync(response);
        var idToken = tokens.GetProperty("id_token").GetString()!;
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var id = await Tokens.ValidatedAsync(browser.Http, idToken, "JWT");
        var access = await Tokens.ValidatedAsync(browser.Http, accessToken, "at+jwt");
        Assert.Equal(Tokens.Amr(idToken), Tokens.Amr(accessToken));
        Assert.Equal(id.GetPayloadValue<string>("acr"), access.GetPayloadValue<string>("acr"));
        return (Tokens.Amr(accessToken), access.GetPayloadValue<string>("acr"));
    }

    [Fact]
    public async Task APasswordOnlySessionMustEnrolAndProveTotpBeforeACode()
    {
        var name = await People.NewUserAsync(server, "stepup");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword, "/");
        var (verifier, request) = MfaRequest();

        var enrol = await AuthorizeAsync(browser, request);
        AssertOnPage(enrol, "/Account/Manage/TwoFactor");
        var key = (await Browser.HtmlAsync(enrol)).QuerySelector("#shared-key")!.TextContent;

        var wrong = await browser.SubmitFormAsync(enrol, new Dictionary<string, string> { ["Code"] = "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        AssertOnPage(await AuthorizeAsync(browser, request), "/Account/Manage/TwoFactor");

        var enrolled = await browser.SubmitFormAsync(await AuthorizeAsync(browser, request), new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var back = (await Browser.HtmlAsync(enrolled)).QuerySelector("a#continue")!.GetAttribute("href")!;
        Assert.StartsWith("/connect/authorize?", back, StringComparison.Ordinal);

        var code = CodeIn(await FollowAsync(browser, await browser.GetAsync(back)));
        var (amr, acr) = await RedeemAsync(browser, code, verifier);
        Assert.Equal(["pwd", "otp", "mfa"], amr);
        Assert.Equal("mfa", acr);
    }

    [Fact]
    public async Task AStaleSecondFactorIsAskedForAgainAndAWrongCodeGetsNoCode()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        var name = await People.NewUserAsync(own, "stale");
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword, "/");
        var (key, _) = await People.EnableTwoFactorAsync(browser);
        using var fresh = own.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await People.SignInWithSecondFactorAsync(fresh, name, People.NewUserPassword, key, DateTimeOffset.UtcNow.AddSeconds(30))).StatusCode);

        // Within the window the second factor of the sign-in stands.
        var (verifier, request) = MfaRequest();
        var (amr, acr) = await RedeemAsync(fresh, CodeIn(await AuthorizeAsync(fresh, request)), verifier);
        Assert.Equal(["pwd", "otp", "mfa"], amr);
        Assert.Equal("mfa", acr);

        own.Time.Advance(PastTheWindow);
        (verifier, request) = MfaRequest();
        var ask = await AuthorizeAsync(fresh, request);
        AssertOnPage(ask, "/Account/LoginWith2fa");

        var wrong = await fresh.SubmitFormAsync(ask, new Dictionary<string, string> { ["Code"] = "123456" == People.Totp(key, DateTimeOffset.UtcNow) ? "654321" : "123456" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        AssertOnPage(await AuthorizeAsync(fresh, request), "/Account/LoginWith2fa");

        var right = await fresh.SubmitFormAsync(await AuthorizeAsync(fresh, request), new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow.AddSeconds(60)) });
        (amr, acr) = await RedeemAsync(fresh, CodeIn(await FollowAsync(fresh, right)), verifier);
        Assert.Equal(["pwd", "otp", "mfa"], amr);
        Assert.Equal("mfa", acr);
    }

    [Fact]
    public async Task PromptLoginWithAcrValuesMfaSignsInWithBothFactorsOnce()
    {
        var name = await People.NewUserAsync(server, "relogin");
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword, "/");
        var (key, _) = await People.EnableTwoFactorAsync(browser);
        var (verifier, request) = MfaRequest();
        request["prompt"] = "login";

        var login = await AuthorizeAsync(browser, request);
        AssertOnPage(login, "/Account/Login");
        var second = await FollowAsync(browser, await browser.SubmitFormAsync(login, new Dictionary<string, string> { ["Login"] = name, ["Password"] = People.NewUserPassword }));
        AssertOnPage(second, "/Account/LoginWith2fa");
        var done = await browser.SubmitFormAsync(second, new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow.AddSeconds(30)) });

        var (amr, acr) = await RedeemAsync(browser, CodeIn(await FollowAsync(browser, done)), verifier);
        Assert.Equal(["pwd", "otp", "mfa"], amr);
        Assert.Equal("mfa", acr);
    }

    [Fact]
    public async Task AnOldSessionSignsInAgainToEnrolAndStillFindsItsWayBack()
    {
        // Its own server: the clock moves.
        using var own = new ServerFactory();
        var name = await People.NewUserAsync(own, "old");
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, name, People.NewUserPassword, "/");
        own.Time.Advance(TimeSpan.FromMinutes(30));
        var (verifier, request) = MfaRequest();

        var enrol = await AuthorizeAsync(browser, request);
        AssertOnPage(enrol, "/Account/Manage/TwoFactor");
        var key = (await Browser.HtmlAsync(enrol)).QuerySelector("#shared-key")!.TextContent;
        var refused = await browser.SubmitFormAsync(enrol, new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });
        Assert.StartsWith("/Account/Login?Reauthenticate=true", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var login = await browser.GetAsync(refused.Headers.Location.OriginalString);
        var again = await FollowAsync(browser, await browser.SubmitFormAsync(login, new Dictionary<string, string> { ["Login"] = name, ["Password"] = People.NewUserPassword }));
        AssertOnPage(again, "/Account/Manage/TwoFactor");
        var enrolled = await browser.SubmitFormAsync(again, new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow.AddSeconds(30)) });
        var back = (await Browser.HtmlAsync(enrolled)).QuerySelector("a#continue")!.GetAttribute("href")!;

        var (amr, _) = await RedeemAsync(browser, CodeIn(await FollowAsync(browser, await browser.GetAsync(back))), verifier);
        Assert.Equal(["pwd", "otp", "mfa"], amr);
    }

    [Fact]
    public async Task TheEnrolmentPageOffersNoWayBackToAnotherSite()
    {
        foreach (var target in (string[])["https://evil.example/", "//evil.example/", "/\\evil.example/"])
        {
            var name = await People.NewUserAsync(server, "elsewhere");
            using var browser = server.CreateBrowser();
            await People.SignInAsync(browser, name, People.NewUserPassword, "/");
            var page = await browser.GetAsync("/Account/Manage/TwoFactor?ReturnUrl=" + Uri.EscapeDataString(target));
            var key = (await Browser.HtmlAsync(page)).QuerySelector("#shared-key")!.TextContent;

            var enrolled = await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["Code"] = People.Totp(key, DateTimeOffset.UtcNow) });

            Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
            var document = await Browser.HtmlAsync(enrolled);
            Assert.NotNull(document.QuerySelector("#recovery-codes"));
            Assert.Null(document.QuerySelector("a#continue"));
        }
    }

    [Fact]
    public async Task PromptNoneWithoutASecondFactorIsInteractionRequired()
    {
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var (_, request) = MfaRequest();
        request["prompt"] = "none";

        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = OAuth.Query(response.Headers.Location!);
        Assert.Equal("interaction_required", query["error"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Fact]
    public async Task AClientDeclaredWithRequireMfaGetsNoCodeForAPasswordOnlySession()
    {
        using var own = new ServerFactory();
        var prefix = own.DeclareClient(new TestClient("strict")
        {
            Type = "Public", FirstParty = true, GrantTypes = ["authorization_code"], Scopes = ["openid", "profile"], RedirectUris = ["http://localhost:5174/callback"],
        });
        own.Settings[prefix + ":RequireMfa"] = "true";
        using var browser = own.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");

        var (_, request) = MfaRequest("strict", "http://localhost:5174/callback", acr: null);
        request["scope"] = "openid profile";
        var response = await AuthorizeAsync(browser, request);

        AssertOnPage(response, "/Account/Manage/TwoFactor");
    }

    [Fact]
    public async Task RequireMfaAddedToAClientInConfigurationAppliesAtTheNextStart()
    {
        var folder = ServerFactory.NewFolder();
        try
        {
            await using (var first = new ServerFactory { Folder = folder })
            {
                using var browser = first.CreateBrowser();
                await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
                var (_, request) = MfaRequest(OAuth.Web, OAuth.WebRedirect, acr: null);
                CodeIn(await AuthorizeAsync(browser, request), OAuth.WebRedirect);
            }

            await using var second = new ServerFactory { Folder = folder };
            second.OverrideClient(OAuth.Web, "RequireMfa", "true");
            using var again = second.CreateBrowser();
            await People.SignInAsync(again, "alice", ServerFactory.AlicePassword, "/");
            var (_, next) = MfaRequest(OAuth.Web, OAuth.WebRedirect, acr: null);
            AssertOnPage(await AuthorizeAsync(again, next), "/Account/Manage/TwoFactor");
        }
        finally
        {
            ServerFactory.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task WithoutAStepUpRequestAPasswordSessionGetsACodeThatSaysSo()
    {
        using var browser = server.CreateBrowser();
        await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
        var (verifier, request) = MfaRequest(acr: "1");

        var (amr, acr) = await RedeemAsync(browser, CodeIn(await AuthorizeAsync(browser, request)), verifier);

        Assert.Equal(["pwd"], amr);
        Assert.Equal("1", acr);
    }
}
