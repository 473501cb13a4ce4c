using System.Net;
using IdentityServer.Data;
using IdentityServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityServer.Tests.Admin;

/// <summary>The users pages: search, then lock (access ends at once), unlock, reset the second factor, end every session.</summary>
public sealed class ConsoleUsersTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    private async Task<string> IdOfAsync(string userName)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(userName))!.Id;
    }

    [Fact]
    public async Task SearchFindsAnAccountByPartOfItsName()
    {
        var name = await People.NewUserAsync(server, "findme");
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var page = await ConsoleAdmins.PageAsync(admin, "/admin/users?q=" + name[..10]);
            var row = Assert.Single(page.QuerySelectorAll("#users tbody tr"));
            Assert.Equal(name, row.GetAttribute("data-user"));
            Assert.Equal("/admin/users/details?id=" + await IdOfAsync(name), row.QuerySelector("a")!.GetAttribute("href"), ignoreCase: true);
        }
    }

    [Fact]
    public async Task LockingEndsTheSessionsAndTheRefreshTokensAndUnlockingLetsThePersonBackIn()
    {
        var name = await People.NewUserAsync(server);
        using var person = server.CreateBrowser();
        var tokens = await OAuth.SignInSpaAsync(person, login: name, password: People.NewUserPassword);
        var (admin, adminName) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var id = await IdOfAsync(name);
            var locked = await ConsoleAdmins.PostAsync(admin, "/admin/users/details?id=" + id, "/admin/users/details?id=" + id + "&handler=Lock");
            Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
            var page = await Browser.HtmlAsync(locked);
            Assert.Contains("locked", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("locked", page.QuerySelector("#state")!.TextContent);

            using var http = server.CreateClient();
            var refreshed = await OAuth.TokenAsync(http, Grants.RefreshToken(OAuth.Spa, tokens.GetProperty("refresh_token").GetString()!));
            Assert.Equal("invalid_grant", (await OAuth.JsonAsync(refreshed)).GetProperty("error").GetString());
            Assert.Equal(HttpStatusCode.Redirect, (await person.GetAsync("/Account/Manage")).StatusCode);
            using (var again = server.CreateBrowser())
            {
                Assert.Equal(HttpStatusCode.BadRequest, (await People.SignInAsync(again, name, People.NewUserPassword)).StatusCode);
            }

            var unlocked = await ConsoleAdmins.PostAsync(admin, "/admin/users/details?id=" + id, "/admin/users/details?id=" + id + "&handler=Unlock");
            Assert.Equal("active", (await Browser.HtmlAsync(unlocked)).QuerySelector("#state")!.TextContent);
            using (var again = server.CreateBrowser())
            {
                Assert.Equal(HttpStatusCode.Redirect, (await People.SignInAsync(again, name, People.NewUserPassword)).StatusCode);
            }

            var audit = await ConsoleAdmins.PageAsync(admin, "/admin/audit?Type=admin&User=" + name);
            var rows = audit.QuerySelectorAll("#events tbody tr");
            Assert.Equal(["admin.user.unlocked", "admin.user.locked"], rows.Select(r => r.GetAttribute("data-type")!));
            Assert.All(rows, r => Assert.Equal(adminName, r.QuerySelector("td[data-label=Actor]")!.TextContent));
        }
    }

    [Fact]
    public async Task AnAdminCannotLockThemselvesOut()
    {
        var (admin, adminName) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var id = await IdOfAsync(adminName);
            var refused = await ConsoleAdmins.PostAsync(admin, "/admin/users/details?id=" + id, "/admin/users/details?id=" + id + "&handler=Lock");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
        }
    }

    [Fact]
    public async Task ResettingTheSecondFactorSwitchesItOffAndEndsTheSessions()
    {
        var (person, personName) = await ConsoleAdmins.SignedInAdminAsync(server);
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (person)
        using (admin)
        {
            var id = await IdOfAsync(personName);
            var reset = await ConsoleAdmins.PostAsync(admin, "/admin/users/details?id=" + id, "/admin/users/details?id=" + id + "&handler=ResetTwoFactor");
            Assert.Equal("off", (await Browser.HtmlAsync(reset)).QuerySelector("#two-factor")!.TextContent);
            Assert.Equal(HttpStatusCode.Redirect, (await person.GetAsync("/Account/Manage")).StatusCode);
        }
    }

    [Fact]
    public async Task EndingEverySessionSignsThePersonOutEverywhere()
    {
        var name = await People.NewUserAsync(server);
        using var first = server.CreateBrowser();
        using var second = server.CreateBrowser();
        await People.SignInAsync(first, name, People.NewUserPassword);
        await People.SignInAsync(second, name, People.NewUserPassword);
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var id = await IdOfAsync(name);
            var ended = await ConsoleAdmins.PostAsync(admin, "/admin/users/details?id=" + id, "/admin/users/details?id=" + id + "&handler=EndSessions");
            Assert.Contains("2 sessions were ended", (await Browser.HtmlAsync(ended)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync("/Account/Manage")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/Account/Manage")).StatusCode);
        }
    }

    [Fact]
    public async Task AnUnknownAccountIsA404()
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/users/details?id=nobody")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/users/details")).StatusCode);
        }
    }
}
