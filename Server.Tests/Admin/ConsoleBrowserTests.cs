using System.Net;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityServer.Tests.Admin;

/// <summary>An administrator's morning in a real browser, against the server on a loopback port.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class ConsoleBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string AdaPassword = "harbour lantern meadow 62";

    [BrowserFact]
    public async Task AnAdminSignsInWithTotpCreatesAClientLocksAliceAndFindsItAllInTheAuditLog()
    {
        await using var server = new ServerFactory();
        server.Settings["IdentityServer:Users:1:UserName"] = "ada";
        server.Settings["IdentityServer:Users:1:Email"] = "ada@example.com";
        server.Settings["IdentityServer:Users:1:Password"] = AdaPassword;
        server.Settings["IdentityServer:Users:1:Roles:0"] = "admin";
        server.UseKestrel(0);
        server.StartServer();
        var baseUrl = server.ClientOptions.BaseAddress.ToString();
        using var http = server.CreateClient();

        // Alice signs in to the SPA with code + PKCE and holds a refresh token.
        await using var aliceContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var refreshToken = await AliceRefreshTokenAsync(aliceContext, http);

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        await Chromium.ScreenshotOnFailureAsync(page, "admin-console", async () =>
        {
            // Ada's first visit: no second factor yet, so the console sends her to set one up, and she enrols TOTP.
            await page.GotoAsync("/admin");
            await SubmitPasswordAsync(page);
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Set up two-factor authentication first");
            await page.ClickAsync("text=Set up an authenticator app");
            var key = await page.Locator("#shared-key").TextContentAsync();
            await page.FillAsync("#Code", People.Totp(key!, DateTimeOffset.UtcNow));
            await page.ClickAsync("text=Turn on");
            await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);

            // Then a sign-in of its own with password and TOTP code (the enrolment's code is spent: the next step's).
            await page.GotoAsync("/Account/Logout");
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("You are signed out");
            await page.GotoAsync("/admin");
            await SubmitPasswordAsync(page);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("LoginWith2fa"));
            await page.FillAsync("#Code", People.Totp(key!, DateTimeOffset.UtcNow.AddSeconds(30)));
            await page.ClickAsync("button[type=submit]");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");

            // A machine client, whose secret the page shows once.
            await page.ClickAsync("nav >> text=Clients");
            await page.ClickAsync("text=Create a client");
            await page.FillAsync("#Form_ClientId", "reports-job");
            await page.FillAsync("#Form_DisplayName", "Nightly reports");
            await page.FillAsync("#Form_Scopes", "api");
            await page.ClickAsync("text=Create the client");
            var secret = (await page.Locator("#client-secret").TextContentAsync())!;
            await Assertions.Expect(page.Locator("[role=status]").First).ToContainTextAsync("reports-job");
            var token = await Grants.MachineTokenAsync(http, "api", ("reports-job", secret));
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            await page.ClickAsync("text=See the client");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("reports-job");
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

            // Alice is locked: her refresh token stops working at once.
            await page.ClickAsync("nav >> text=Users");
            await page.FillAsync("#Q", "alice");
            await page.ClickAsync("button:has-text('Search')");
            await page.ClickAsync("#users >> text=alice");
            await page.ClickAsync("text=Lock the account…");
            await page.ClickAsync("button:has-text('Lock alice')");
            await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("The account is locked");
            var refreshed = await OAuth.TokenAsync(http, Grants.RefreshToken(OAuth.Spa, refreshToken));
            Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refreshed)).GetProperty("error").GetString());

            // The audit log tells the story, with ada as the actor of both changes.
            await page.ClickAsync("nav >> text=Audit log");
            await Assertions.Expect(page.Locator("#events tr[data-type='admin.client.created'] td[data-label=Actor]")).ToHaveTextAsync("ada");
            await Assertions.Expect(page.Locator("#events tr[data-type='admin.user.locked'] td[data-label=Actor]")).ToHaveTextAsync("ada");
            await page.FillAsync("#Search_User", "ada");
            await page.FillAsync("#Search_Type", "signin.succeeded");
            await page.ClickAsync("button:has-text('Search')");
            await Assertions.Expect(page.Locator("#events tbody tr[data-type='signin.succeeded']").First).ToBeVisibleAsync();
        });
    }

    private static async Task<string> AliceRefreshTokenAsync(IBrowserContext context, HttpClient http)
    {
        // Nothing listens at the SPA's address: the browser's arrival there is answered here, and the code read from it.
        await context.RouteAsync(OAuth.SpaRedirect + "**", route => route.FulfillAsync(new RouteFulfillOptions { Body = "<!DOCTYPE html><title>SPA</title>", ContentType = "text/html" }));
        var page = await context.NewPageAsync();
        var (verifier, challenge) = OAuth.Pkce();
        await page.GotoAsync(OAuth.AuthorizeUrl(OAuth.CodeRequest(OAuth.Spa, OAuth.SpaRedirect, challenge, "openid profile offline_access api")));
        await page.FillAsync("#Login", "alice");
        await page.FillAsync("#Password", ServerFactory.AlicePassword);
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("button[value=accept]");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(OAuth.SpaRedirect)));
        var redeemed = await OAuth.TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = OAuth.Spa, ["code"] = OAuth.Query(new Uri(page.Url))["code"],
            ["redirect_uri"] = OAuth.SpaRedirect, ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        return (await OAuth.JsonAsync(redeemed)).GetProperty("refresh_token").GetString()!;
    }

    private static async Task SubmitPasswordAsync(IPage page)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        await page.FillAsync("#Login", "ada");
        await page.FillAsync("#Password", AdaPassword);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/Account/Login(\\?|$)"));
    }
}
