using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// Passkeys in a real browser: Chromium's virtual authenticator (CDP) makes and uses real WebAuthn credentials
/// against the server on http://localhost, a secure context whose host WebAuthn accepts as relying-party id.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class PasskeyBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string BobPassword = "quiet river copper 48";

    [BrowserFact]
    public async Task APasskeyAddedToAnAccountSignsInWithoutAUserNameAndIsRefusedOnceRemoved()
    {
        await using var server = StartServer(out var baseUrl);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });

        // The virtual authenticator answers an autofill (conditional) request at once, as if the person picked the
        // passkey from the user-name field; hiding autofill support leaves the button as the only way in.
        await context.AddInitScriptAsync("PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);");
        var page = await context.NewPageAsync();
        await Chromium.ScreenshotOnFailureAsync(page, "passkeys", async () =>
        {
            var authenticator = await VirtualAuthenticator.AddAsync(page);
            await page.GotoAsync("/Account/Register");
            await page.FillAsync("#UserName", "bob");
            await page.FillAsync("#Email", "bob@example.com");
            await page.FillAsync("#Password", BobPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as bob");

            await page.GotoAsync("/Account/Manage/Passkeys");
            await page.FillAsync("#Name", "Test key");
            await page.ClickAsync("#passkey-add");
            await Assertions.Expect(Message(page)).ToHaveTextAsync(new Regex("^The passkey was added"));
            await Assertions.Expect(page.Locator("ul.passkeys li[data-passkey-id]")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("ul.passkeys li strong")).ToHaveTextAsync("Test key");
            Assert.Equal(1, await authenticator.CountAsync());

            // No user name is typed: the authenticator's discoverable credential names the account.
            await SignOutAsync(page);
            await page.GotoAsync("/playground");
            await page.SelectOptionAsync("#client", "playground");
            await page.ClickAsync("#sign-in");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
            await Assertions.Expect(page.Locator("#Login")).ToBeEmptyAsync();
            await page.ClickAsync("#passkey-signin");
            await page.ClickAsync("button[value=accept]");
            await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Signed in: the tokens are below.");
            using (var claims = JsonDocument.Parse((await page.Locator("#id-token .claims").TextContentAsync())!))
            {
                var amr = claims.RootElement.GetProperty("amr").EnumerateArray().Select(m => m.GetString()).ToList();
                Assert.Contains("hwk", amr);
                Assert.Contains("mfa", amr);
                Assert.DoesNotContain("pwd", amr);
                Assert.Equal("mfa", claims.RootElement.GetProperty("acr").GetString());
            }

            // The passkey sign-in is recent enough to change the account's passkeys.
            await page.GotoAsync("/Account/Manage/Passkeys");
            await Assertions.Expect(page.Locator("ul.passkeys li")).ToContainTextAsync("last used");
            await page.Locator("ul.passkeys li").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
            await Assertions.Expect(Message(page)).ToHaveTextAsync(new Regex("^The passkey was removed"));
            await Assertions.Expect(page.Locator("ul.passkeys li")).ToHaveCountAsync(0);

            // The authenticator still holds the credential and answers with it; the server no longer knows it.
            await SignOutAsync(page);
            Assert.Equal(1, await authenticator.CountAsync());
            await page.GotoAsync("/Account/Login");
            var refusal = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("#passkey-signin"), IsPasskeyPost);
            Assert.Equal((int)HttpStatusCode.BadRequest, refusal.Status);
            await Assertions.Expect(page.Locator("p.error[role=alert]")).ToContainTextAsync("That passkey was not accepted.");
            await page.GotoAsync("/Account/Manage");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/Account/Login"));
        });
    }

    [BrowserFact]
    public async Task AnAccountCreatedWithAPasskeyHasNoPasswordKeepsItsOnlyPasskeyAndSignsInThroughAutofill()
    {
        await using var server = StartServer(out var baseUrl);
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl });
        var page = await context.NewPageAsync();
        await Chromium.ScreenshotOnFailureAsync(page, "passkeys", async () =>
        {
            var authenticator = await VirtualAuthenticator.AddAsync(page);
            await page.GotoAsync("/Account/Register");
            await page.FillAsync("#UserName", "carol");
            await page.FillAsync("#Email", "carol@example.com");
            await page.ClickAsync("#passkey-register");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as carol");
            Assert.Equal(1, await authenticator.CountAsync());

            await page.GotoAsync("/Account/Manage/Passkeys");
            await Assertions.Expect(page.Locator("ul.passkeys li[data-passkey-id]")).ToHaveCountAsync(1);
            var removal = await page.RunAndWaitForResponseAsync(
                () => page.Locator("ul.passkeys li").GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync(),
                r => r.Request.Method == "POST" && r.Url.Contains("handler=Remove", StringComparison.Ordinal));
            Assert.Equal((int)HttpStatusCode.BadRequest, removal.Status);
            await Assertions.Expect(Message(page)).ToContainTextAsync("only way to sign in");
            await Assertions.Expect(page.Locator("ul.passkeys li[data-passkey-id]")).ToHaveCountAsync(1);

            await page.GotoAsync("/Account/Manage/ChangePassword");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Set a password");
            await Assertions.Expect(page.Locator("#CurrentPassword")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("#send-link")).ToBeVisibleAsync();

            // Autofill: the login page's pending conditional request is answered without a click.
            await SignOutAsync(page);
            await page.GotoAsync("/Account/Login");
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("You are signed in as carol");
            await page.GotoAsync("/Account/Manage/Passkeys");
            await Assertions.Expect(page.Locator("ul.passkeys li")).ToContainTextAsync("last used");
        });
    }

    /// <summary>WebAuthn refuses IP addresses as relying-party ids, so the browser must reach the server by name.</summary>
    private static ServerFactory StartServer(out string baseUrl)
    {
        var port = LoopbackPort.Free();
        var server = new ServerFactory();
        server.Settings["IdentityServer:Accounts:RequireConfirmedEmail"] = "false";
        server.UseKestrel(port);
        server.StartServer();
        baseUrl = $"http://localhost:{port}/";
        return server;
    }

    private static ILocator Message(IPage page) => page.Locator("p[role=status]:not([data-passkey-status])");

    private static bool IsPasskeyPost(IResponse response) =>
        response.Request.Method == "POST" && new Uri(response.Url) is { AbsolutePath: "/Account/Passkey", Query: "" };

    private static async Task SignOutAsync(IPage page)
    {
        await page.GotoAsync("/Account/Logout");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("You are signed out");
    }
}
