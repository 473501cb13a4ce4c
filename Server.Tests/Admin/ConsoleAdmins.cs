using System.Net;
using AngleSharp.Html.Dom;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Admin;

/// <summary>People for the admin console's tests: admins of their own (with or without an authenticator), signed in through the real pages.</summary>
internal static class ConsoleAdmins
{
    /// <summary>A new account with the admin role and, when <paramref name="authenticator"/>, TOTP on; its name and base32 key.</summary>
    public static async Task<(string Name, string? Key)> NewAdminAsync(ServerFactory server, bool authenticator = true)
    {
        var name = await People.NewUserAsync(server, "admin");
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync("admin"))
        {
            Assert.True((await roles.CreateAsync(new IdentityRole("admin"))).Succeeded);
        }

        var user = (await users.FindByNameAsync(name))!;
        Assert.True((await users.AddToRoleAsync(user, "admin")).Succeeded);
        if (!authenticator)
        {
            return (name, null);
        }

        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (name, await users.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>A browser signed in as a new admin with password and TOTP code, sent on to the console.</summary>
    public static async Task<(Browser Browser, string Name)> SignedInAdminAsync(ServerFactory server)
    {
        var (name, key) = await NewAdminAsync(server);
        var browser = server.CreateBrowser();
        var signedIn = await People.SignInWithSecondFactorAsync(browser, name, People.NewUserPassword, key!, DateTimeOffset.UtcNow, "/admin");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location!.OriginalString);
        return (browser, name);
    }

    /// <summary>The page, which must answer 200.</summary>
    public static async Task<IHtmlDocument> PageAsync(Browser browser, string path)
    {
        var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Browser.HtmlAsync(response);
    }

    /// <summary>Opens <paramref name="page"/> for its antiforgery token, then posts <paramref name="values"/> to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(Browser browser, string page, string action, IDictionary<string, string>? values = null)
    {
        var document = await PageAsync(browser, page);
        var token = document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string>(values ?? new Dictionary<string, string>()) { ["__RequestVerificationToken"] = token };
        return await browser.PostFormAsync(action, fields);
    }
}
