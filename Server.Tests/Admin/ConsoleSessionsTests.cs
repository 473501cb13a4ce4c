using System.Net;
using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Admin;

/// <summary>The sessions page: every live session, by user, and ending one signs that browser out and is audited.</summary>
public sealed class ConsoleSessionsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task ThePageListsAUsersSessionsAndEndingOneSignsThatBrowserOut()
    {
        var (admin, adminName) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var name = await People.NewUserAsync(server);
            using var victim = server.CreateBrowser();
            await People.SignInAsync(victim, name, People.NewUserPassword);
            Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("/Account/Manage")).StatusCode);

            var page = await ConsoleAdmins.PageAsync(admin, "/admin/sessions?user=" + name);
            var row = Assert.Single(page.QuerySelectorAll("#sessions tbody tr"));
            Assert.Equal(name, row.QuerySelector("th[scope=row]")!.TextContent);
            Assert.Equal("pwd", row.QuerySelector(".tag")!.TextContent);

            var ended = await People.PostPageAsync(admin, "/admin/sessions", new Dictionary<string, string>
            {
                ["userId"] = row.QuerySelector("input[name=userId]")!.GetAttribute("value")!,
                ["id"] = row.QuerySelector("input[name=id]")!.GetAttribute("value")!,
            }, "End");
            Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
            var answer = await Browser.HtmlAsync(ended);
            Assert.Contains("was ended", answer.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
            Assert.Empty(answer.QuerySelectorAll($"#sessions tbody tr[data-session=\"{row.GetAttribute("data-session")}\"]"));

            Assert.Equal(HttpStatusCode.Redirect, (await victim.GetAsync("/Account/Manage")).StatusCode);
            var audit = await ConsoleAdmins.PageAsync(admin, "/admin/audit?Type=admin.session.ended&User=" + name);
            var entry = Assert.Single(audit.QuerySelectorAll("#events tbody tr"));
            Assert.Equal(adminName, entry.QuerySelector("td[data-label=Actor]")!.TextContent);
        }
    }

    [Fact]
    public async Task EndingASessionThatIsNotThereSaysSoAndEndsNothing()
    {
        var (admin, _) = await ConsoleAdmins.SignedInAdminAsync(server);
        using (admin)
        {
            var ended = await People.PostPageAsync(admin, "/admin/sessions", new Dictionary<string, string> { ["userId"] = "nobody", ["id"] = "AAAAAAAAAAAA" }, "End");
            Assert.Equal(HttpStatusCode.NotFound, ended.StatusCode);
            Assert.Contains("does not exist", (await Browser.HtmlAsync(ended)).QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
        }
    }
}
