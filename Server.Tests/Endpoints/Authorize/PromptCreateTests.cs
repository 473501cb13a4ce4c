using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Authorize;

/// <summary>prompt=create (Initiating User Registration via OpenID Connect 1.0): registration, then back into the same request.</summary>
public sealed class PromptCreateTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private const string Password = "tangerine glacier whistle 42";

    private static Dictionary<string, string?> CreateRequest(string challenge)
    {
        var request = OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, "openid profile");
        request["prompt"] = "create";
        return request;
    }

    /// <summary>The answer once the new person has accepted the consent page (the SPA is not first-party).</summary>
    private static async Task<HttpResponseMessage> ConsentedAsync(Browser browser, HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return response;
        }

        var answered = await browser.SubmitFormAsync(response, button: ("consent", "accept"));
        return await browser.GetAsync(answered.Headers.Location!.OriginalString);
    }

    private static async Task<string> RedeemForUserNameAsync(Browser browser, Uri redirect, string verifier)
    {
        var response = await OAuth.TokenAsync(browser.Http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = OAuth.Query(redirect)["code"],
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var idToken = (await OAuth.JsonAsync(response)).GetProperty("id_token").GetString()!;
        return (await Tokens.ValidatedAsync(browser.Http, idToken, "JWT")).GetPayloadValue<string>("preferred_username");
    }

    [Fact]
    public async Task PromptCreateRegistersThePersonAndReturnsACode()
    {
        using var own = new ServerFactory();
        own.Settings["IdentityServer:Accounts:RequireConfirmedEmail"] = "false";
        using var browser = own.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();

        var response = await browser.GetAsync(OAuth.AuthorizeUrl(CreateRequest(challenge)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Register?ReturnUrl=%2Fconnect%2Fauthorize", response.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var page = await browser.GetAsync(response.Headers.Location.OriginalString);
        var registered = await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["UserName"] = "nora", ["Email"] = "nora@example.com", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var back = registered.Headers.Location!.OriginalString;
        Assert.StartsWith("/connect/authorize?", back, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt=create", back, StringComparison.Ordinal);

        var redirect = await ConsentedAsync(browser, await browser.GetAsync(back));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith(OAuth.SpaRedirect + "?code=", redirect.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("nora", await RedeemForUserNameAsync(browser, redirect.Headers.Location, verifier));
    }

    [Fact]
    public async Task WithEmailConfirmationThePersonConfirmsSignsInAndReturnsToTheRequest()
    {
        using var browser = server.CreateBrowser();
        var (verifier, challenge) = OAuth.Pkce();
        var register = await browser.GetAsync(OAuth.AuthorizeUrl(CreateRequest(challenge)));
        var page = await browser.GetAsync(register.Headers.Location!.OriginalString);
        var registered = await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["UserName"] = "oscar", ["Email"] = "oscar@example.com", ["Password"] = Password });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        var next = (await Browser.HtmlAsync(registered)).QuerySelector("a#continue")!.GetAttribute("href")!;
        Assert.StartsWith("/Account/Login?ReturnUrl=%2Fconnect%2Fauthorize", next, StringComparison.Ordinal);

        var (_, link) = await People.LastMailAsync(server, "oscar@example.com");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri(link).PathAndQuery)).StatusCode);
        var login = await browser.GetAsync(next);
        var signedIn = await browser.SubmitFormAsync(login, new Dictionary<string, string> { ["Login"] = "oscar", ["Password"] = Password });
        var redirect = await ConsentedAsync(browser, await browser.GetAsync(signedIn.Headers.Location!.OriginalString));

        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith(OAuth.SpaRedirect + "?code=", redirect.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("oscar", await RedeemForUserNameAsync(browser, redirect.Headers.Location, verifier));
    }

    [Fact]
    public async Task DiscoveryAdvertisesPromptCreateAndTheAcrValues()
    {
        using var http = server.CreateClient();
        var discovery = await OAuth.JsonAsync(await http.GetAsync("/.well-known/openid-configuration"));

        Assert.Contains("create", discovery.GetProperty("prompt_values_supported").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["1", "mfa"], discovery.GetProperty("acr_values_supported").EnumerateArray().Select(v => v.GetString()!));
        var claims = discovery.GetProperty("claims_supported").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("amr", claims);
        Assert.Contains("acr", claims);
        Assert.Contains("auth_time", claims);
    }
}
