using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Authorize;

public sealed class AuthorizationEndpointTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private static Dictionary<string, string?> ValidRequest() => OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge);

    [Fact]
    public async Task UnknownClientGetsAnErrorPageAndNoRedirect()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["client_id"] = "nobody";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("client_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnregisteredRedirectUriGetsAnErrorPageAndNoRedirect()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["redirect_uri"] = "https://evil.example/callback";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.DoesNotContain("evil.example", response.Headers.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectUriMustMatchExactly()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["redirect_uri"] = OAuth.SpaRedirect + "/";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task MissingPkceIsSentBackToTheClientAsInvalidRequest()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request.Remove("code_challenge");
        request.Remove("code_challenge_method");
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = OAuth.Query(response.Headers.Location!);
        Assert.StartsWith(OAuth.SpaRedirect, response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("invalid_request", query["error"]);
        Assert.Equal(request["state"], query["state"]);
        Assert.Equal("http://localhost/", query["iss"]);
    }

    [Fact]
    public async Task PlainPkceIsRejected()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["code_challenge_method"] = "plain";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("invalid_request", OAuth.Query(response.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task ImplicitResponseTypeIsRejected()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["response_type"] = "token";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("unsupported_response_type", OAuth.Query(response.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task HugeStateIsRefusedWithoutEchoingIt()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["state"] = new string('s', 64 * 1024);
        var response = await browser.PostFormAsync("/connect/authorize", request.Select(p => KeyValuePair.Create(p.Key, p.Value!)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("state", body, StringComparison.Ordinal);
        Assert.True(body.Length < 16 * 1024);
    }

    [Fact]
    public async Task DuplicatedParameterIsRejected()
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(ValidRequest()) + "&client_id=web");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task PromptNoneWithoutSessionReturnsLoginRequired()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["prompt"] = "none";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = OAuth.Query(response.Headers.Location!);
        Assert.Equal("login_required", query["error"]);
        Assert.Equal(request["state"], query["state"]);
        Assert.Equal("http://localhost/", query["iss"]);
    }

    [Fact]
    public async Task PromptNoneWithoutConsentReturnsConsentRequired()
    {
        // A person of its own: other tests on the shared server remember alice's consent to the SPA.
        var name = await People.NewUserAsync(server, "unconsented");
        using var browser = server.CreateBrowser();
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge), name, People.NewUserPassword);
        var request = ValidRequest();
        request["prompt"] = "none";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal("consent_required", OAuth.Query(response.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task PromptConsentAsksAgainDespiteARememberedConsent()
    {
        using var browser = server.CreateBrowser();
        await OAuth.SignInSpaAsync(browser);
        var request = ValidRequest();
        request["prompt"] = "consent";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Allow", (await Browser.HtmlAsync(response)).QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsentPostedWithoutAntiforgeryTokenIsRefused()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        request["prompt"] = "consent";
        await OAuth.AuthorizeAsync(browser, request);
        var form = request.Select(p => KeyValuePair.Create(p.Key, p.Value!)).Append(KeyValuePair.Create("consent", "accept")).ToList();

        // A cross-site form posting the answer: the consent page checks the anti-forgery token.
        var response = await browser.PostFormAsync("/connect/consent", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);

        // The answer written straight into the authorization request is no answer: it asks again, no code.
        var forged = await browser.PostFormAsync("/connect/authorize", form);
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        Assert.NotNull((await Browser.HtmlAsync(forged)).QuerySelector("form[action='/connect/consent']"));
    }

    [Fact]
    public async Task DenyingConsentReturnsAccessDenied()
    {
        using var browser = server.CreateBrowser();
        var request = ValidRequest();
        var redirect = await OAuth.AuthorizeAsync(browser, request, consent: false);
        var query = OAuth.Query(redirect);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal(request["state"], query["state"]);
    }

    [Fact]
    public async Task PromptLoginAsksForTheDesignatedUserAgain()
    {
        // Its own server: the clock moves.
        await using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge);
        request["prompt"] = "login";
        request["login_hint"] = "alice";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var page = await Browser.HtmlAsync(await browser.GetAsync(response.Headers.Location.OriginalString));
        Assert.Equal("alice", page.QuerySelector("input[name=Login]")!.GetAttribute("value"));

        own.Time.Advance(TimeSpan.FromSeconds(2));
        var redirect = await OAuth.AuthorizeAsync(browser, request);
        Assert.True(OAuth.Query(redirect).ContainsKey("code"));
    }

    [Fact]
    public async Task MaxAgeOlderThanTheSessionAsksToSignInAgain()
    {
        // Its own server: the clock moves.
        await using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));
        own.Time.Advance(TimeSpan.FromMinutes(2));
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge);
        request["max_age"] = "60";
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.StartsWith("/Account/Login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);

        request["max_age"] = "3600";
        response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        Assert.StartsWith(OAuth.WebRedirect + "?code=", response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagesCarrySecurityHeaders()
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
