using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityServer.Tests.Playground;

/// <summary>A developer tries the playground in a real browser, against the server on a loopback port.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class PlaygroundBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    [BrowserFact]
    public async Task AliceSignsInThroughThePlaygroundSeesCheckedTokensRefreshesRevokesAndSignsOut()
    {
        // Redirect URIs on loopback match on any port; a post-logout URI must match exactly, so the port is chosen first.
        var port = LoopbackPort.Free();
        await using var server = new ServerFactory();
        server.OverrideClient("playground", "PostLogoutRedirectUris:0", $"http://localhost:{port}/playground");
        server.OverrideClient("playground", "PostLogoutRedirectUris:1", $"http://127.0.0.1:{port}/playground");
        server.Settings["IdentityServer:Keys:AccessTokenSigningAlgorithm"] = "ES256";
        server.UseKestrel(port);
        server.StartServer();

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ClientOptions.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await Chromium.ScreenshotOnFailureAsync(page, "playground", async () =>
        {
            await SignInAsync(page, uncheck: "roles");

            // Back on the playground: the ID token is RS256 and the access token ES256, both checked against the JWKS.
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/playground$"));
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Signed in: the tokens are below.");
            await Assertions.Expect(page.Locator("#id-token .signature")).ToHaveTextAsync(new Regex("^signature valid \\(RS256"));
            await Assertions.Expect(page.Locator("#id-token .claims")).ToContainTextAsync("\"sub\":");
            await Assertions.Expect(page.Locator("#id-token .expiry")).ToContainTextAsync("Expires in");
            await Assertions.Expect(page.Locator("#access-token .signature")).ToHaveTextAsync(new Regex("^signature valid \\(ES256"));
            await Assertions.Expect(page.Locator("#refresh-token")).ToContainTextAsync("only this server can read it");
            await Assertions.Expect(page.Locator("#token-response")).ToContainTextAsync("\"refresh_token\"");
            await Assertions.Expect(page.Locator("#userinfo")).ToContainTextAsync("HTTP 200");
            await Assertions.Expect(page.Locator("#userinfo")).ToContainTextAsync("alice@example.com");
            await Assertions.Expect(page.Locator("#userinfo")).Not.ToContainTextAsync("\"role\"");
            await Assertions.Expect(page.Locator("#introspect")).ToBeDisabledAsync();

            var first = await page.Locator("#access-token .raw").TextContentAsync();
            await page.ClickAsync("#refresh");
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Refreshed: new tokens are below.");
            await Assertions.Expect(page.Locator("#access-token .raw")).Not.ToHaveTextAsync(first!);
            await Assertions.Expect(page.Locator("#access-token .signature")).ToHaveTextAsync(new Regex("^signature valid"));

            await page.ClickAsync("#revoke");
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("The refresh token is revoked: a refresh now fails.");
            await page.ClickAsync("#refresh");
            await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("invalid_grant");
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Refresh refused.");
            await Assertions.Expect(page.Locator("#sign-out-note")).ToBeHiddenAsync();

            await page.ClickAsync("#sign-out");
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("You are signed out of this server.");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/playground$"));
            await page.GotoAsync("/Account/Manage");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        });
    }

    [BrowserFact]
    public async Task AForgedStateIsIgnoredAndAnAlteredTokenIsShownWithAnInvalidSignature()
    {
        await using var server = new ServerFactory();
        server.UseKestrel(0);
        server.StartServer();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.ClientOptions.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await Chromium.ScreenshotOnFailureAsync(page, "playground", async () =>
        {
            await page.GotoAsync("/playground?code=stolen&state=forged");
            await Assertions.Expect(page.Locator("#problem")).ToContainTextAsync("not the one this page sent");
            await Assertions.Expect(page.Locator("#results")).ToBeHiddenAsync();

            // The token response reaches the page with one claim of the ID token changed after it was signed.
            await page.RouteAsync("**/connect/token", async route =>
            {
                var response = await route.FetchAsync();
                var body = JsonNode.Parse(await response.TextAsync())!.AsObject();
                var parts = body["id_token"]!.GetValue<string>().Split('.');
                var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
                claims["name"] = "Mallory Example";
                parts[1] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
                body["id_token"] = string.Join('.', parts);
                await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = body.ToJsonString() });
            });
            await SignInAsync(page);

            await Assertions.Expect(page.Locator("#id-token .claims")).ToContainTextAsync("Mallory Example");
            await Assertions.Expect(page.Locator("#id-token .signature")).ToHaveTextAsync("signature invalid: the signature does not match the header and claims");
            await Assertions.Expect(page.Locator("#access-token .signature")).ToHaveTextAsync(new Regex("^signature valid \\(RS256"));
        });
    }

    private static async Task SignInAsync(IPage page, string? uncheck = null)
    {
        await page.GotoAsync("/playground");
        await page.SelectOptionAsync("#client", "playground");
        if (uncheck is not null)
        {
            await page.UncheckAsync($"#scopes input[value={uncheck}]");
        }

        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        await page.FillAsync("#Login", "alice");
        await page.FillAsync("#Password", ServerFactory.AlicePassword);
        await page.ClickAsync("button[type=submit]");
        await page.ClickAsync("button[value=accept]");
    }
}
