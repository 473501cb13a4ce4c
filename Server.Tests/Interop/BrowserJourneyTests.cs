using System.Net;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdentityServer.Tests.Interop;

/// <summary>A person's whole journey in a real browser, against the server on a loopback port.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class BrowserJourneyTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Password = "lagoon ember walnut 47";

    [BrowserFact]
    public async Task RegisterConfirmTwoFactorSignInAuthorizeAndSignOutEverywhere()
    {
        await using var client = await TestClientApp.StartAsync();
        await using var server = new ServerFactory();
        server.DeclareClient(new TestClient("browser-test")
        {
            DisplayName = "Browser Test App", Type = "public", RedirectUris = [client.Url + "callback"],
            GrantTypes = ["authorization_code", "refresh_token"], Scopes = ["openid", "profile", "offline_access"],
        });
        server.UseKestrel(0);
        server.StartServer();
        var baseUrl = server.ClientOptions.BaseAddress.ToString();

        await using var first = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await first.NewPageAsync();
        await Chromium.ScreenshotOnFailureAsync(page, "journey", async () =>
        {
            // Register, then confirm with the link from the captured email.
            await page.GotoAsync("/Account/Register");
            await page.FillAsync("#UserName", "quinn");
            await page.FillAsync("#Email", "quinn@example.com");
            await page.FillAsync("#Password", Password);
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Check your email");
            var (_, link) = await People.LastMailAsync(server, "quinn@example.com");
            await page.GotoAsync(link);
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Email confirmed");

            // Sign in and enrol an authenticator.
            await SignInAsync(page, null);
            await page.GotoAsync("/Account/Manage/TwoFactor");
            var key = await page.Locator("#shared-key").TextContentAsync();
            await page.FillAsync("#Code", People.Totp(key!, DateTimeOffset.UtcNow));
            await page.ClickAsync("text=Turn on");
            await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);

            // Sign out, then back in with a TOTP code.
            await page.GotoAsync("/Account/Logout");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("You are signed out");
            await SignInAsync(page, People.Totp(key!, DateTimeOffset.UtcNow.AddSeconds(30)));

            // The test app's code + PKCE flow, with consent.
            var (verifier, challenge) = OAuth.Pkce();
            await page.GotoAsync(client.Url + "?authority=" + Uri.EscapeDataString(baseUrl) + "&challenge=" + challenge);
            await page.ClickAsync("#signin");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Browser Test App");
            await page.ClickAsync("button[value=accept]");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/callback"));
            var code = OAuth.Query(new Uri(page.Url))["code"];
            using var http = server.CreateClient();
            var redeemed = await OAuth.TokenAsync(http, new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["client_id"] = "browser-test", ["code"] = code,
                ["redirect_uri"] = client.Url + "callback", ["code_verifier"] = verifier,
            });
            Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
            var refreshToken = (await OAuth.JsonAsync(redeemed)).GetProperty("refresh_token").GetString()!;

            // A second browser signs out everywhere else: the first session and its refresh token die.
            await using var second = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
            var other = await second.NewPageAsync();
            await SignInAsync(other, People.Totp(key!, DateTimeOffset.UtcNow.AddSeconds(60)));
            await other.GotoAsync("/Account/Manage/Sessions");
            await Assertions.Expect(other.Locator("li[data-session]")).ToHaveCountAsync(2);
            await other.ClickAsync("text=Sign out everywhere else");
            await Assertions.Expect(other.Locator("[role=status]")).ToContainTextAsync("1 other session");

            await page.GotoAsync("/Account/Manage");
            Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
            var refreshed = await OAuth.TokenAsync(http, Grants.RefreshToken("browser-test", refreshToken));
            Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refreshed)).GetProperty("error").GetString());

            // Repeated wrong passwords lock the account; then even the right one is refused, with the same message.
            await using var third = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
            var attacker = await third.NewPageAsync();
            for (var i = 0; i < 5; i++)
            {
                await TryPasswordAsync(attacker, "wrong password " + i);
                await Assertions.Expect(attacker.Locator("[role=alert]")).ToContainTextAsync("incorrect");
            }

            await TryPasswordAsync(attacker, Password);
            await Assertions.Expect(attacker.Locator("[role=alert]")).ToContainTextAsync("temporarily locked");
            Assert.Contains("/Account/Login", attacker.Url, StringComparison.Ordinal);
        });
    }

    private static async Task SignInAsync(IPage page, string? totp)
    {
        await TryPasswordAsync(page, Password);
        if (totp is not null)
        {
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("LoginWith2fa"));
            await page.FillAsync("#Code", totp);
            await page.ClickAsync("button[type=submit]");
        }

        // Polls the address only: waiting for a load event here raced with Chromium on a busy CI machine.
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/Account/Login"));
    }

    private static async Task TryPasswordAsync(IPage page, string password)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Login", "quinn");
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button[type=submit]");

        // Done when the answer to the POST has loaded: the typed password is gone from the page.
        await page.WaitForFunctionAsync("() => document.readyState === 'complete' && !(document.querySelector('#Password')?.value)");
    }

    /// <summary>A tiny third-party app: a sign-in link to the authorization endpoint and a callback page.</summary>
    private sealed class TestClientApp : IAsyncDisposable
    {
        private readonly WebApplication app;

        private TestClientApp(WebApplication app, string url)
        {
            this.app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<TestClientApp> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            string? self = null;
            app.MapGet("/", (string authority, string challenge) => Results.Content(
                $"""<!DOCTYPE html><html><body><h1>Test app</h1><a id="signin" href="{authority}connect/authorize?client_id=browser-test&amp;response_type=code&amp;scope=openid%20profile%20offline_access&amp;redirect_uri={Uri.EscapeDataString(self + "callback")}&amp;state=xyz&amp;code_challenge={challenge}&amp;code_challenge_method=S256">Sign in</a></body></html>""",
                "text/html"));
            app.MapGet("/callback", (HttpContext context) => Results.Content($"<!DOCTYPE html><html><body><p id=\"result\">{WebUtility.HtmlEncode(context.Request.QueryString.Value)}</p></body></html>", "text/html"));
            await app.StartAsync();
            self = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
            return new TestClientApp(app, self);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
