using System.Net;
using System.Text;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using IdentityServer.Tests.Passkeys;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Who a fuzzed request comes from: nobody, alice signed in (through the real login page, once, and again
/// whenever a random request signed her out), tess halfway through a sign-in that waits for her second
/// factor, or root, an admin signed in with a recovery code as the admin console requires (a fresh code each
/// time: a TOTP code would tie the fuzzer to the wall clock). Random posts may also lock any of these accounts:
/// <see cref="RepairAsync"/> unlocks them in the store.
/// Tokens issued to alice and to the machine client are handed to the generator as plausible values.
/// </summary>
internal sealed class FuzzCallers(FuzzServer server)
{
    public const string TessPassword = "quartz meadow lantern 73";
    public const string RootPassword = "granite willow beacon 91";
    private static readonly Uri Root = new("http://localhost/");

    public FuzzCaller Anonymous { get; private set; } = new("anonymous", "", "");

    public FuzzCaller Alice { get; private set; } = new("alice", "", "");

    public FuzzCaller Tess { get; private set; } = new("tess (2fa pending)", "", "");

    public FuzzCaller ConsoleAdmin { get; private set; } = new("root (admin console)", "", "");

    public Dictionary<string, string> Tokens { get; } = new(StringComparer.Ordinal);

    /// <summary>The URL of the fuzz server's client metadata document: a client_id this server fetches.</summary>
    public string DocumentClientId => server.DocumentClientId;

    /// <summary>The demo admin client (appsettings.Development.json) and the key of its admin token in <see cref="Tokens"/>.</summary>
    public const string AdminCli = "admin-cli";
    public const string AdminCliSecret = "admin-cli-secret-change-me-0123456789";
    public const string AdminToken = "admin_token";

    /// <summary>
    /// Ids the admin API's {id} is filled with: alice (declared in configuration, so only locked or unlocked, and repaired
    /// like any lockout) and a victim of its own that random requests may lock, reset or delete. Never tess, whose
    /// pending second factor the other groups rely on.
    /// </summary>
    public string AliceId { get; private set; } = "";

    public string VictimId { get; private set; } = "";

    /// <summary>An account with one passkey and no password: removing its passkey is refused (the last way in).</summary>
    public string PasswordlessId { get; private set; } = "";

    /// <summary>Passkeys of alice's, the victim's and the passwordless account's, which random requests may rename or remove.</summary>
    public List<string> PasskeyIds { get; } = [];

    /// <summary>The key of the registered client's registration access token in <see cref="Tokens"/>.</summary>
    public const string RegistrationToken = "registration_access_token";

    /// <summary>A client registered at /connect/register, registered again whenever a random request deleted it.</summary>
    public string RegisteredClientId { get; private set; } = "";

    public async Task SetUpAsync()
    {
        await server.StartDocumentsAsync();
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var tess = new ApplicationUser { UserName = "tess", Email = "tess@example.com", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(tess, TessPassword)).Succeeded);
            await users.ResetAuthenticatorKeyAsync(tess);
            await users.SetTwoFactorEnabledAsync(tess, true);
            var root = new ApplicationUser { UserName = "root", Email = "root@example.com", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(root, RootPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(root, "admin")).Succeeded);
            await users.ResetAuthenticatorKeyAsync(root);
            await users.SetTwoFactorEnabledAsync(root, true);
        }

        Anonymous = await PageCallerAsync("anonymous", "/Account/Login", null);
        await SignInAliceAsync();
        await SignInTessAsync();
        await SignInRootAsync();

        using var browser = server.CreateBrowser();
        var spa = await OAuth.SignInSpaAsync(browser);
        Tokens["access_token"] = spa.GetProperty("access_token").GetString()!;
        Tokens["refresh_token"] = spa.GetProperty("refresh_token").GetString()!;
        Tokens["id_token"] = spa.GetProperty("id_token").GetString()!;
        var machine = await Grants.MachineTokenAsync(browser.Http, scope: null);
        Tokens["machine_token"] = (await OAuth.JsonAsync(machine)).GetProperty("access_token").GetString()!;
        var admin = await Grants.MachineTokenAsync(browser.Http, "admin.read admin.write", (AdminCli, AdminCliSecret));
        Tokens[AdminToken] = (await OAuth.JsonAsync(admin)).GetProperty("access_token").GetString()!;
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            AliceId = (await users.FindByNameAsync("alice"))!.Id;
            var victim = new ApplicationUser { UserName = "fuzz-victim", Email = "fuzz-victim@example.com", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(victim, TessPassword)).Succeeded);
            VictimId = victim.Id;
        }

        var passwordless = await SeededPasskeys.PasswordlessUserAsync(server.Services);
        PasswordlessId = await SeededPasskeys.IdOfAsync(server.Services, passwordless);
        foreach (var (name, count) in new[] { ("alice", 3), ("fuzz-victim", 2), (passwordless, 1) })
        {
            PasskeyIds.AddRange(await SeededPasskeys.AddAsync(server.Services, name, count));
        }

        await RegisterClientAsync();
    }

    private async Task RegisterClientAsync()
    {
        using var http = server.CreateDefaultClient();
        using var metadata = new StringContent(
            """{"redirect_uris":["http://127.0.0.1:5555/callback"],"grant_types":["authorization_code","refresh_token"],"client_name":"Fuzzed"}""",
            Encoding.UTF8, "application/json");
        var response = await http.PostAsync("/connect/register", metadata);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await OAuth.JsonAsync(response);
        RegisteredClientId = body.GetProperty("client_id").GetString()!;
        Tokens[RegistrationToken] = body.GetProperty(RegistrationToken).GetString()!;
    }

    /// <summary>Puts back what random requests may have undone: unlocks both accounts, signs in again if signed out.</summary>
    public async Task RepairAsync()
    {
        using (var scope = server.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            foreach (var name in new[] { "alice", "tess", "root" })
            {
                var user = await users.FindByNameAsync(name) ?? throw new InvalidOperationException($"The fuzzer deleted {name}: that is a finding in itself.");
                if (user.AccessFailedCount > 0 || user.LockoutEnd is not null)
                {
                    await users.SetLockoutEndDateAsync(user, null);
                    await users.ResetAccessFailedCountAsync(user);
                }
            }
        }

        if (!await RegisteredClientExistsAsync())
        {
            await RegisterClientAsync();
        }

        if (!await AnswersOkAsync("/Account/Manage/Index", Alice))
        {
            await SignInAliceAsync();
        }

        if (!await AnswersOkAsync("/Account/LoginWith2fa", Tess))
        {
            await SignInTessAsync();
        }

        if (!await AnswersOkAsync("/admin", ConsoleAdmin))
        {
            await SignInRootAsync();
        }
    }

    private async Task SignInAliceAsync()
    {
        var (browser, cookies) = NewBrowser();
        using (browser)
        {
            var signedIn = await People.SignInAsync(browser, "alice", ServerFactory.AlicePassword, "/");
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Alice = await PageCallerAsync("alice", "/Account/Manage/ChangePassword", (browser, cookies));
        }
    }

    private async Task SignInTessAsync()
    {
        var (browser, cookies) = NewBrowser();
        using (browser)
        {
            var password = await People.SignInAsync(browser, "tess", TessPassword, "/");
            Assert.StartsWith("/Account/LoginWith2fa", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
            Tess = await PageCallerAsync(Tess.Name, "/Account/LoginWith2fa", (browser, cookies));
        }
    }

    private async Task SignInRootAsync()
    {
        string code;
        using (var scope = server.Services.CreateScope())
        {
            // A random request may have switched root's second factor off (2FA reset): it is put back.
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var root = (await users.FindByNameAsync("root"))!;
            if (!await users.GetTwoFactorEnabledAsync(root))
            {
                await users.SetTwoFactorEnabledAsync(root, true);
            }

            code = (await users.GenerateNewTwoFactorRecoveryCodesAsync(root, 1))!.First();
        }

        var (browser, cookies) = NewBrowser();
        using (browser)
        {
            var password = await People.SignInAsync(browser, "root", RootPassword, "/admin");
            Assert.StartsWith("/Account/LoginWith2fa", password.Headers.Location?.OriginalString, StringComparison.Ordinal);
            var page = await browser.GetAsync("/Account/LoginWithRecoveryCode?ReturnUrl=%2Fadmin");
            var signedIn = await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["Code"] = code });
            Assert.Equal("/admin", signedIn.Headers.Location?.OriginalString);
            ConsoleAdmin = await PageCallerAsync(ConsoleAdmin.Name, "/admin/clients/create", (browser, cookies));
        }
    }

    /// <summary>Opens a page with a form and keeps the cookies and the antiforgery token it hands out.</summary>
    private async Task<FuzzCaller> PageCallerAsync(string name, string path, (Browser Browser, CookieContainer Cookies)? signedIn)
    {
        var (browser, cookies) = signedIn ?? NewBrowser();
        var page = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = (await Browser.HtmlAsync(page)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var caller = new FuzzCaller(name, cookies.GetCookieHeader(Root), token);
        if (signedIn is null)
        {
            browser.Dispose();
        }

        return caller;
    }

    private async Task<bool> RegisteredClientExistsAsync()
    {
        using var client = server.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/register/" + RegisteredClientId);
        request.Headers.Authorization = new("Bearer", Tokens[RegistrationToken]);
        return (await client.SendAsync(request)).StatusCode == HttpStatusCode.OK;
    }

    private async Task<bool> AnswersOkAsync(string path, FuzzCaller caller)
    {
        using var client = server.CreateDefaultClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", caller.Cookies);
        return (await client.SendAsync(request)).StatusCode == HttpStatusCode.OK;
    }

    private (Browser Browser, CookieContainer Cookies) NewBrowser()
    {
        var cookies = new CookieContainer();
        return (new Browser(server.CreateDefaultClient(Root, new CookieContainerHandler(cookies))), cookies);
    }
}
