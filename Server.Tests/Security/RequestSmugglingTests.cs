using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityServer.Tests.Security;

/// <summary>
/// Requests that say one thing to one reader and another to the next (found by the review of the
/// authorization page's split): a parameter given twice, an answer hidden in the body of a GET, a consent
/// answer presented again and again.
/// </summary>
public sealed class RequestSmugglingTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Theory]
    [InlineData("prompt", "login")]
    [InlineData("max_age", "0")]
    [InlineData("state", "other")]
    [InlineData("scope", "openid roles")]
    public async Task AnAuthorizationParameterGivenTwiceIsRefusedNotIgnored(string name, string value)
    {
        using var browser = server.CreateBrowser();
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge);
        request[name] = value;

        // prompt=login twice used to read as no prompt at all: a code, no sign-in.
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request) + $"&{name}={Uri.EscapeDataString(value)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var answer = OAuth.Query(response.Headers.Location!);
        Assert.False(answer.ContainsKey("code"));
        Assert.Equal("invalid_request", answer["error"]);
    }

    [Fact]
    public async Task AMaxAgeThatIsNoNumberIsRefusedNotIgnored()
    {
        using var browser = server.CreateBrowser();
        await OAuth.AuthorizeAsync(browser, OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge));
        var request = OAuth.CodeRequest(OAuth.Web, OAuth.WebRedirect, OAuth.Pkce().Challenge);
        request["max_age"] = "1e3";

        var answer = OAuth.Query((await browser.GetAsync(OAuth.AuthorizeUrl(request))).Headers.Location!);

        Assert.False(answer.ContainsKey("code"));
        Assert.Equal("invalid_request", answer["error"]);
    }

    [Fact]
    public async Task ATokenRequestWithAParameterTwiceIsInvalidRequest()
    {
        using var http = server.CreateClient();
        var form = new List<KeyValuePair<string, string>>(Grants.ClientCredentials("api")) { KeyValuePair.Create("scope", "api") };

        var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(form),
            Headers = { Authorization = OAuth.BasicAuth(OAuth.Machine, OAuth.MachineSecret) },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await OAuth.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AConsentAnswerInTheBodyOfAGetIsNotRead()
    {
        using var browser = server.CreateBrowser();
        var request = OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge);
        request["prompt"] = "consent";
        var consentPage = await FollowToConsentPageAsync(browser, request);
        var token = (await Browser.HtmlAsync(consentPage)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        // An answer for a request of nothing but x=1, made by the consent page itself…
        var answered = await browser.PostFormAsync("/connect/consent", [KeyValuePair.Create("x", "1"), KeyValuePair.Create("consent", "accept"), KeyValuePair.Create("__RequestVerificationToken", token)]);
        var marker = OAuth.Query(new Uri("http://localhost" + answered.Headers.Location!.OriginalString))["consent"];

        // …sent in the body of a GET whose query is the real request: the body is not the request.
        using var smuggled = new HttpRequestMessage(HttpMethod.Get, OAuth.AuthorizeUrl(request))
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("x", "1"), KeyValuePair.Create("consent", marker)]),
        };
        var response = await browser.Http.SendAsync(smuggled);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task AConsentAnswerPresentedAgainRecordsNoMoreConsent()
    {
        // Its own server: it counts alice's consent records.
        await using var own = new ServerFactory();
        using var browser = own.CreateBrowser();
        var consentPage = await FollowToConsentPageAsync(browser, OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, OAuth.Pkce().Challenge));
        var answered = await browser.SubmitFormAsync(consentPage, button: ("consent", "accept"));
        var back = answered.Headers.Location!.OriginalString;

        for (var i = 0; i < 3; i++)
        {
            Assert.StartsWith(OAuth.SpaRedirect + "?code=", (await browser.GetAsync(back)).Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        }

        await using var scope = own.Services.CreateAsyncScope();
        var alice = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync("alice");
        var consents = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Set<OpenIddictEntityFrameworkCoreAuthorization>()
            .CountAsync(a => a.Subject == alice!.Id && a.Type == AuthorizationTypes.Permanent);
        Assert.Equal(1, consents);
    }

    [Fact]
    public async Task TheConsentAddressAnswersOnlyAForm()
    {
        using var browser = server.CreateBrowser();
        var response = await browser.GetAsync("/connect/consent");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    /// <summary>Signs alice in through the request's own login redirect and stops at the consent page.</summary>
    private static async Task<HttpResponseMessage> FollowToConsentPageAsync(Browser browser, Dictionary<string, string?> request)
    {
        var response = await browser.GetAsync(OAuth.AuthorizeUrl(request));
        for (var step = 0; step < 5 && response.StatusCode == HttpStatusCode.Redirect; step++)
        {
            var location = response.Headers.Location!.OriginalString;
            response = await browser.GetAsync(location);
            if (location.StartsWith("/Account/Login", StringComparison.Ordinal))
            {
                response = await browser.SubmitFormAsync(response, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = ServerFactory.AlicePassword });
            }
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await Browser.HtmlAsync(response)).QuerySelector("form[action='/connect/consent']"));
        return response;
    }
}
