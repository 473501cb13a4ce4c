using System.Net;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// The passkey ceremonies as passkeys.js runs them, over the wire: fetch the options with the page's anti-forgery
/// token, let a <see cref="SoftwareAuthenticator"/> answer, post the answer. Tests change any step to attack it.
/// </summary>
public static class PasskeyCeremonies
{
    /// <summary>The test server's own origin (TestServer answers on http://localhost).</summary>
    public const string Origin = "http://localhost";

    /// <summary>Adds a passkey to the signed-in account of <paramref name="browser"/>; the page's answer.</summary>
    public static async Task<HttpResponseMessage> AddAsync(Browser browser, SoftwareAuthenticator authenticator, string name = "Test key", CreateSettings? settings = null)
    {
        var (options, token) = await OptionsAsync(browser, "/Account/Manage/Passkeys", "Options", []);
        return await browser.PostFormAsync("/Account/Manage/Passkeys?handler=Add", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Name"] = name, ["Credential"] = authenticator.Create(options, Origin, settings),
        });
    }

    /// <summary>Starts a passkey sign-in: the request options and the anti-forgery token to post the answer with.</summary>
    public static Task<(string Options, string Token)> StartSignInAsync(Browser browser) =>
        OptionsAsync(browser, "/Account/Login", "Options", [], "/Account/Passkey");

    public static Task<HttpResponseMessage> FinishSignInAsync(Browser browser, string token, string credential, string? returnUrl = null) =>
        browser.PostFormAsync("/Account/Passkey", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Credential"] = credential, ["ReturnUrl"] = returnUrl ?? "/",
        });

    /// <summary>A whole passkey sign-in, with no user name typed; the answer of the final POST.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(Browser browser, SoftwareAuthenticator authenticator, string? returnUrl = null, GetSettings? settings = null)
    {
        var (options, token) = await StartSignInAsync(browser);
        return await FinishSignInAsync(browser, token, authenticator.Get(options, Origin, settings), returnUrl);
    }

    /// <summary>Passwordless registration: the answer of the final POST.</summary>
    public static async Task<HttpResponseMessage> RegisterAsync(Browser browser, SoftwareAuthenticator authenticator, string userName, string email)
    {
        var fields = new Dictionary<string, string> { ["UserName"] = userName, ["Email"] = email };
        var (options, token) = await OptionsAsync(browser, "/Account/Register", "PasskeyOptions", fields);
        return await browser.PostFormAsync("/Account/Register?handler=Passkey", new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = token, ["Credential"] = authenticator.Create(options, Origin),
        });
    }

    /// <summary>
    /// Starts a passkey sign-in and keeps what an eavesdropper on the browser would copy: the options, the anti-forgery
    /// token, and the Cookie header the browser now sends (anti-forgery and the protected ceremony state).
    /// </summary>
    public static async Task<(string Options, string Token, string Cookies)> StartCopiedSignInAsync(Browser browser)
    {
        var login = await browser.GetAsync("/Account/Login");
        var token = (await Browser.HtmlAsync(login)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var started = await browser.PostFormAsync("/Account/Passkey?handler=Options", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        return (await started.Content.ReadAsStringAsync(), token, CookieHeader(login, started));
    }

    /// <summary>Sends a passkey answer with copied cookies from a client that keeps none of its own.</summary>
    public static async Task<HttpResponseMessage> ReplayAsync(ServerFactory server, string token, string cookies, string credential)
    {
        using var attacker = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var replay = new HttpRequestMessage(HttpMethod.Post, "/Account/Passkey")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Credential"] = credential, ["ReturnUrl"] = "/" }),
        };
        replay.Headers.Add("Cookie", cookies);
        return await attacker.SendAsync(replay);
    }

    /// <summary>The Cookie header a browser would send after these responses (the last value of each name wins).</summary>
    private static string CookieHeader(params HttpResponseMessage[] responses) => string.Join("; ", responses
        .SelectMany(r => r.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        .Select(c => c.Split(';')[0])
        .GroupBy(pair => pair.Split('=')[0])
        .Select(g => g.Last()));

    /// <summary>Whether the browser's cookie is a signed-in session (the account page answers instead of sending it to sign in).</summary>
    public static async Task<bool> SignedInAsync(Browser browser) =>
        (await browser.GetAsync("/Account/Manage")).StatusCode == HttpStatusCode.OK;

    private static async Task<(string Options, string Token)> OptionsAsync(Browser browser, string page, string handler, Dictionary<string, string> fields, string? target = null)
    {
        var form = await browser.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var token = (await Browser.HtmlAsync(form)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await browser.PostFormAsync($"{target ?? page}?handler={handler}", new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadAsStringAsync(), token);
    }
}
